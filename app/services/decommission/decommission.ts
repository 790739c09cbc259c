import type { OperatorRole } from '../../../config/schema.ts';
import type { Clock, TimerHandle } from '../../../core/clock.ts';
import { BoothError, errorCode, type DecommissionCode } from '../../../core/errors.ts';
import type { Logger } from '../../logging/logger.ts';
import type { AuditInput } from '../../operator/operator-audit.ts';
import type { PinCheck } from '../../operator/operator-access.ts';
import type { HandedBack, OwedRow } from '../../operator/owed-desk.ts';
import type { EndOfServiceView } from '../outbox/outbox-api.ts';
import { countVault, destroyVault } from '../vault/vault-destroy.ts';
import {
  endOfServiceView,
  readDecommissionState,
  writeDecommissionState,
  zeroCounts,
  type DecommissionCounts,
  type DecommissionState,
} from './decommission-state.ts';

const dayMs = 24 * 60 * 60 * 1000;
/** While a customer is at the booth, or the printer is not ready, look again this often. */
const busyRetryMs = 30_000;

/**
 * The last two steps, which need nothing of the booth but its data directory: the vault
 * destroyed, then the final audit line (counts only). The booth host runs this alone at start-up
 * when a power cut came during the destruction, as the vault can then no longer be opened.
 */
export function finishDestruction(
  parts: Pick<DecommissionParts, 'stateFile' | 'vaultDir' | 'clock' | 'logger' | 'audit' | 'onStep'>,
  from: DecommissionState | null = readDecommissionState(parts.stateFile),
): DecommissionState | null {
  let state = from;
  const write = (next: DecommissionState) => {
    writeDecommissionState(parts.stateFile, next);
    parts.onStep?.(next.step);
    return next;
  };
  if (state && state.step === 'outbox-flushed' && state.destroying) {
    destroyVault(parts.vaultDir);
    state = write({ ...state, step: 'vault-destroyed' });
  }
  if (state && state.step === 'vault-destroyed') {
    parts.audit({ role: 'technician', action: 'decommissioned', after: state.counts });
    parts.logger.warn({ event: 'decommissioned', ...state.counts }, 'end of service: the vault is destroyed');
    state = write({ ...state, step: 'done', finishedAt: parts.clock.now() });
  }
  return state;
}

export class DecommissionError extends BoothError<DecommissionCode> {
  override name = 'DecommissionError';
}

export interface DecommissionParts {
  /** `decommissionFile(dataDir)`. */
  stateFile: string;
  /** The vault folder (`dataPaths(dataDir).vault`). */
  vaultDir: string;
  clock: Clock;
  logger: Logger;
  /** `endOfService.noticeDays` now. */
  noticeDays: () => number;
  /** The booth's PIN pad (OperatorAccess.check): the same lock and audit as the screen. */
  checkPin: (pin: string) => PinCheck;
  /** The operator audit (OperatorAccess.audit): outside the vault, so it keeps the final line. */
  audit: (entry: AuditInput) => void;
  /** Whether nobody is in a session: money is handed back and the vault destroyed only then. */
  betweenCustomers: () => boolean;
  /** The booth's owed prints (OwedDesk): its list, and giving one up with its price handed back. */
  owed: {
    list(): OwedRow[];
    giveUp(input: {
      orderId: string;
      as: 'refund' | 'voucher';
      role: OperatorRole;
    }): Promise<{ price: number } & HandedBack>;
  };
  /** Runs the booth's own owed print queue now (null: it cannot print now). */
  deliverOwedNow: () => Promise<unknown>;
  /** Tries every waiting message once more (Outbox.flush); what is left is shredded with the vault. */
  flushOutbox: () => Promise<{ sent: number; unsent: number }>;
  /** Closes the booth's handle on the vault before its files go. */
  closeVault: () => void;
  /** Told after each step is written (the host logs it; tests stop the process there). */
  onStep?: (step: DecommissionState['step']) => void;
}

/**
 * The booth's end of service (`kiosk decommission`, or the technician's operator screen).
 *
 * `begin` (technician PIN) writes the closing date: for `endOfService.noticeDays` the booth
 * still serves and shows "this booth is closing on <date>" (`view().phase === 'closing'`).
 * Then, between customers: it stops taking money, prints what is owed or hands its price back
 * (coins from the hopper, the rest on a voucher: `refund`, as a closing booth cannot honour a
 * voucher later, the operator does by hand), tries the outbox once more, then destroys the vault
 * (master key first, then the index and every sealed file) and writes the final audit line,
 * counts only. Each step is written to `decommission.json` when done, so a power cut at any point
 * is finished by `resume()` at the next start; asking again is harmless.
 */
export class Decommission {
  readonly #p: DecommissionParts;
  #timer: TimerHandle | null = null;
  #running: Promise<EndOfServiceView> | null = null;
  #stopped = false;

  constructor(parts: DecommissionParts) {
    this.#p = parts;
  }

  /** What the screens show: the closing notice and its date, whether money is taken. */
  view(): EndOfServiceView {
    return endOfServiceView(this.#state(), this.#p.clock.now());
  }

  /**
   * Starts the end of service. `pin` (the control channel) is checked on the booth's PIN pad;
   * `role` is for the operator screen, whose pad checked it already. Technician only. Asked again
   * while it is under way: nothing changes (the first closing date stands).
   */
  async begin(input: { pin?: string; role?: OperatorRole; noticeDays?: number }): Promise<EndOfServiceView> {
    const role = input.pin !== undefined ? this.#roleOf(input.pin) : input.role;
    if (role !== 'technician')
      throw new DecommissionError(
        'technician-pin-required',
        'decommissioning the booth needs the technician PIN',
      );
    const now = this.#p.clock.now();
    if (!this.#state()) {
      const days = input.noticeDays ?? this.#p.noticeDays();
      const state: DecommissionState = {
        step: 'notice',
        begunAt: now,
        closesAt: now + days * dayMs,
        destroying: false,
        counts: zeroCounts(),
        finishedAt: null,
      };
      // Through #write, like every step: whoever follows the steps (the booth's health) hears of it.
      this.#write(state);
      this.#p.audit({
        role,
        action: 'decommission-begun',
        after: { closesAt: state.closesAt, noticeDays: days },
      });
      this.#p.logger.warn(
        { event: 'decommission-begun', closesAt: new Date(state.closesAt).toISOString() },
        'end of service begun',
      );
    }
    this.#stopped = false;
    return this.advance();
  }

  /** At start-up: carries on from the step written last (nothing to do if it never began). */
  resume(): Promise<EndOfServiceView> {
    return this.advance();
  }

  /** Closes the booth's handle on the vault (idempotent): the host's shutdown calls it too. */
  closeVault(): void {
    this.#p.closeVault();
  }

  /** Stops the timer (booth shutting down); the state file keeps where it got to. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) this.#p.clock.clearTimeout(this.#timer);
    this.#timer = null;
    await this.#running?.catch(() => undefined);
  }

  /** Does every step that is due now; schedules itself for the closing date or a busy booth. */
  advance(): Promise<EndOfServiceView> {
    this.#running ??= this.#run()
      .catch((error: unknown) => {
        this.#p.logger.error(
          { event: 'decommission-step-failed', code: errorCode(error) },
          'an end-of-service step failed',
        );
        this.#later(busyRetryMs);
        throw error;
      })
      .finally(() => (this.#running = null));
    return this.#running;
  }

  async #run(): Promise<EndOfServiceView> {
    let state = this.#state();
    if (!state || state.step === 'done') return this.view();
    const { clock } = this.#p;
    if (state.step === 'notice') {
      if (clock.now() < state.closesAt) {
        this.#later(state.closesAt - clock.now());
        return this.view();
      }
      state = this.#write({ ...state, step: 'money-stopped' });
    }
    if (!this.#p.betweenCustomers()) {
      this.#later(busyRetryMs);
      return this.view();
    }
    if (state.step === 'money-stopped') {
      const settled = await this.#settleOwed(state.counts);
      if (!settled) {
        this.#later(busyRetryMs);
        return this.view();
      }
      state = this.#write({ ...state, step: 'owed-settled', counts: settled });
    }
    if (state.step === 'owed-settled') {
      const { sent, unsent } = await this.#p.flushOutbox();
      state = this.#write({
        ...state,
        step: 'outbox-flushed',
        counts: { ...state.counts, mailsSent: state.counts.mailsSent + sent, mailsShredded: unsent },
      });
    }
    if (state.step === 'outbox-flushed') {
      if (!state.destroying) {
        // Counted while the index is still there; written before anything goes.
        const contents = countVault(this.#p.vaultDir);
        state = this.#write({ ...state, destroying: true, counts: { ...state.counts, ...contents } });
      }
      this.#p.closeVault();
    }
    finishDestruction(this.#p, state);
    return this.view();
  }

  /**
   * Prints what the printer can, then hands back the price of whatever is still owed. Returns
   * null while it cannot (a customer came back into a session): the next try carries on.
   */
  async #settleOwed(counts: DecommissionCounts): Promise<DecommissionCounts | null> {
    const before = this.#owed();
    if (before.length > 0) await this.#p.deliverOwedNow();
    const left = this.#owed();
    const next = { ...counts, owedDelivered: counts.owedDelivered + (before.length - left.length) };
    for (const row of left) {
      if (!this.#p.betweenCustomers()) return null;
      const back = await this.#p.owed.giveUp({ orderId: row.orderId, as: 'refund', role: 'technician' });
      next.owedRefunded++;
      next.refundedPaidOut += back.paidOut;
      next.refundedOnVouchers += back.voucher?.amount ?? 0;
      // Each one written as it goes: a power cut after it does not count it twice.
      this.#write({ ...this.#state()!, counts: next });
    }
    if (this.#owed().length > 0)
      throw new DecommissionError(
        'owed-work-unsettled',
        'owed prints are left that could not be handed back',
      );
    return next;
  }

  /** Owed prints not settled: still to print, and those the queue could not print (sheets gone). */
  #owed(): OwedRow[] {
    return this.#p.owed.list();
  }

  #roleOf(pin: string): OperatorRole | null {
    const check = this.#p.checkPin(pin);
    return check.ok ? check.role : null;
  }

  #state(): DecommissionState | null {
    return readDecommissionState(this.#p.stateFile);
  }

  #write(state: DecommissionState): DecommissionState {
    writeDecommissionState(this.#p.stateFile, state);
    this.#p.onStep?.(state.step);
    return state;
  }

  #later(ms: number): void {
    if (this.#stopped) return;
    if (this.#timer) this.#p.clock.clearTimeout(this.#timer);
    // Timers are at most a day (Node clamps longer ones); a longer notice just looks again.
    this.#timer = this.#p.clock.setTimeout(
      () => {
        this.#timer = null;
        this.advance().catch(() => undefined);
      },
      Math.min(Math.max(ms, 0), dayMs),
    );
  }
}
