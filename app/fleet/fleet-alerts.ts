import type { FleetConfig } from '../../config/fleet-config.ts';
import type { CashBoxCount, FleetSummary } from './fleet-summary.ts';

/** What a fleet is alerted to, at once (`booths/<unit id>/events`, type `alert`). */
export type AlertName =
  'out-of-service' | 'paper-low' | 'paper-empty' | 'cash-box-nearly-full' | 'camera-down';

/** Each condition that holds now, with its reason code (null when it has none). */
export type AlertConditions = ReadonlyMap<AlertName, string | null>;

/** A condition that began (`active: true`), cleared, or is still on with another reason. */
export interface AlertChange {
  alert: AlertName;
  active: boolean;
  reason: string | null;
}

/**
 * The conditions that hold in `summary`. Pure: the reporter calls it on every change and the
 * latch below turns it into edges. Opening hours are not an alert (a booth closing at night is
 * what it is meant to do); operator mode is not out of service either (someone is at the booth).
 */
export function alertConditions(
  summary: Pick<FleetSummary, 'outOfServiceReason' | 'devices' | 'printsLeft'>,
  cashBox: CashBoxCount,
  limits: FleetConfig['alerts'],
): AlertConditions {
  const on = new Map<AlertName, string | null>();
  const reason = summary.outOfServiceReason;
  if (reason !== null && !reason.startsWith('hours:')) on.set('out-of-service', reason);
  const printer = summary.devices.find((d) => d.device === 'photo-printer');
  if (printer?.reasons.includes('media-empty')) on.set('paper-empty', 'media-empty');
  else if (printer?.reasons.includes('media-low')) on.set('paper-low', 'media-low');
  else if (summary.printsLeft !== null && summary.printsLeft <= limits.paperLowPrints)
    on.set('paper-low', summary.printsLeft === 0 ? 'media-empty' : 'prints-left');
  const camera = summary.devices.find((d) => d.device === 'camera');
  if (camera && (!camera.online || !camera.ready))
    on.set('camera-down', camera.reasons[0] ?? (camera.online ? 'not-ready' : 'offline'));
  const { coins, notes, nearlyFullShare } = limits.cashBox;
  const fullCoins = coins !== null && cashBox.coins >= coins * nearlyFullShare;
  const fullNotes = notes !== null && cashBox.notes >= notes * nearlyFullShare;
  if (fullCoins || fullNotes)
    on.set(
      'cash-box-nearly-full',
      fullCoins && fullNotes ? 'coins-and-notes' : fullCoins ? 'coins' : 'notes',
    );
  return on;
}

/**
 * Remembers which alerts are on, so each is sent when it starts and when it clears (or when its
 * reason changes), never on every tick.
 */
export class AlertLatch {
  readonly #on = new Map<AlertName, string | null>();

  update(now: AlertConditions): AlertChange[] {
    const changes: AlertChange[] = [];
    for (const [alert, reason] of this.#on)
      if (!now.has(alert)) {
        this.#on.delete(alert);
        changes.push({ alert, active: false, reason });
      }
    for (const [alert, reason] of now)
      if (!this.#on.has(alert) || this.#on.get(alert) !== reason) {
        this.#on.set(alert, reason);
        changes.push({ alert, active: true, reason });
      }
    return changes;
  }

  /** The alerts on now (the presence message lists them, so a late subscriber knows). */
  active(): AlertName[] {
    return [...this.#on.keys()];
  }
}
