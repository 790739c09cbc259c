import type { BoothHost } from '../booth-host.ts';
import type { CashReport } from '../../operator/cash-book.ts';
import type { DiagnosticsStatus } from '../../diagnostics/diagnostics-control.ts';

export interface DeviceHealthRow {
  device: string;
  ready: boolean;
  online: boolean;
  reasons: string[];
}

/** `kiosk status`: what an operator asks of a running booth, money in minor units. Nothing personal. */
export interface BoothStatus {
  unit: { id: string; name: string };
  state: string;
  screen: string;
  betweenCustomers: boolean;
  outOfServiceReason: string | null;
  maintenance: boolean;
  /**
   * The operator's PIN pad: wrong PINs left before it locks, and until when it is locked (epoch
   * ms; null: not locked). null: this booth has no operator mode (a simulation).
   */
  pinPad: { attemptsLeft: number; lockedUntil: number | null } | null;
  devices: DeviceHealthRow[];
  /** Prints left as the photo printer reports them (or as counted); null: it cannot tell. */
  printsLeft: number | null;
  currency: string;
  /** Since the cash box was last emptied. */
  takings: {
    since: number | null;
    cashIn: number;
    expectedInCashBox: number;
    revenue: number;
    delivered: number;
  };
  /** Sheets still owed to earlier customers, and for how many orders. */
  owed: { orders: number; sheets: number };
  startedAt: number;
  uptimeSeconds: number;
  /** The technicians' HTTPS diagnostics: whether it serves, where, its certificate's SHA-256 fingerprint. */
  diagnostics: DiagnosticsStatus | null;
}

export function boothStatus(
  host: BoothHost,
  cash: CashReport,
  startedAt: number,
  now: number,
  diagnostics: DiagnosticsStatus | null = null,
): BoothStatus {
  const booth = host.booth;
  const view = booth.view();
  const devices = booth.devices;
  const row = (device: string, status: { ready: boolean; online: boolean; reasons: readonly string[] }) => ({
    device,
    ready: status.ready,
    online: status.online,
    reasons: [...status.reasons],
  });
  const owed = host.journal.owedPrints();
  return {
    unit: { id: booth.config.unit.id, name: booth.config.unit.name },
    state: view.state,
    screen: view.screen.screen,
    betweenCustomers: view.betweenCustomers,
    outOfServiceReason: view.outOfServiceReason,
    maintenance: booth.snapshot().context.maintenance,
    pinPad: host.operatorAccess?.padState() ?? null,
    devices: [
      row('camera', devices.camera.status()),
      row('payment', devices.payment.status()),
      row('photo-printer', devices.photoPrinter.status()),
      ...(devices.receiptPrinter ? [row('receipt-printer', devices.receiptPrinter.status())] : []),
      ...(devices.hopper ? [row('hopper', devices.hopper.status())] : []),
    ],
    printsLeft: devices.photoPrinter.status().mediaRemaining,
    currency: cash.currency,
    takings: {
      since: cash.from,
      cashIn: cash.moneyIn.total,
      expectedInCashBox: cash.expectedInCashBox,
      revenue: cash.orders.delivered.amount,
      delivered: cash.orders.delivered.count,
    },
    owed: { orders: owed.length, sheets: owed.reduce((n, o) => n + o.sheetIds.length * o.copies, 0) },
    startedAt,
    uptimeSeconds: Math.max(0, Math.round((now - startedAt) / 1000)),
    diagnostics,
  };
}
