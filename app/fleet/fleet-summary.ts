import type { CashPeriodFigures } from '../money/credit-journal.ts';
import type { BoothStatus, DeviceHealthRow } from '../host/control/booth-status.ts';

/** Coins and notes in the cash box: every one the acceptors took since it was last emptied. */
export interface CashBoxCount {
  coins: number;
  notes: number;
}

/**
 * The periodic status summary a booth sends its fleet (`booths/<unit id>/events`, type
 * `status`). No money amounts and nothing personal: takings stay behind the operator's PIN and
 * the technicians' token (a broker is often shared more widely than the booth); the cash box is
 * counted in coins and notes, what a collection round needs.
 */
export interface FleetSummary {
  type: 'status';
  time: string;
  version: string;
  unit: string;
  state: string;
  screen: string;
  outOfServiceReason: string | null;
  maintenance: boolean;
  devices: DeviceHealthRow[];
  devicesUp: number;
  devicesDown: string[];
  printsLeft: number | null;
  owed: { orders: number; sheets: number };
  cashBox: CashBoxCount;
  uptimeSeconds: number;
  /** Messages dropped since start because the offline queue was full (oldest first). */
  queueDropped: number;
}

/**
 * The cash box's count from the journal's open period (since the last emptying): every coin and
 * note credited, and the coins of the operator's payment test (they drop into the box too).
 */
export function cashBoxCount(period: Pick<CashPeriodFigures, 'denominations' | 'testCoins'>): CashBoxCount {
  let coins = period.testCoins.count;
  let notes = 0;
  for (const d of period.denominations) {
    if (d.channel === 'coin') coins += d.count;
    else if (d.channel === 'bill') notes += d.count;
  }
  return { coins, notes };
}

export function fleetSummary(input: {
  status: BoothStatus;
  cashBox: CashBoxCount;
  version: string;
  now: number;
  queueDropped: number;
}): FleetSummary {
  const { status } = input;
  return {
    type: 'status',
    time: new Date(input.now).toISOString(),
    version: input.version,
    unit: status.unit.id,
    state: status.state,
    screen: status.screen,
    outOfServiceReason: status.outOfServiceReason,
    maintenance: status.maintenance,
    devices: status.devices,
    devicesUp: status.devices.filter((d) => d.online && d.ready).length,
    devicesDown: status.devices.filter((d) => !d.online || !d.ready).map((d) => d.device),
    printsLeft: status.printsLeft,
    owed: status.owed,
    cashBox: input.cashBox,
    uptimeSeconds: status.uptimeSeconds,
    queueDropped: input.queueDropped,
  };
}
