import type { Clock, TimerHandle } from '../../../core/clock.ts';
import type { Logger } from '../../logging/logger.ts';
import type { ClockTrust } from './clock-trust.ts';
import type { PhotoVault, WipeResult } from './photo-vault.ts';

export type RetentionRun =
  ({ ran: true; at: number } & WipeResult) | { ran: false; at: number; reason: string };

/**
 * Keeps the retention promise: at start-up (catching up after the unit was off) and then
 * periodically, sessions whose retention ran out are crypto-shredded. On an untrustworthy
 * clock it deletes nothing, records why, and tries again at the next period.
 */
export class RetentionScheduler {
  #timer: TimerHandle | undefined;
  #last: RetentionRun | undefined;

  constructor(
    private readonly deps: {
      vault: PhotoVault;
      trust: ClockTrust;
      clock: Clock;
      logger: Logger;
      periodMs?: number;
    },
  ) {}

  get lastRun(): RetentionRun | undefined {
    return this.#last;
  }

  /** Runs now, then every period until stopped. */
  start(): RetentionRun {
    const run = this.runOnce();
    this.#schedule();
    return run;
  }

  stop(): void {
    if (this.#timer) this.deps.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  runOnce(): RetentionRun {
    const { vault, trust, clock, logger } = this.deps;
    const at = clock.now();
    const verdict = trust.check(at);
    if (!verdict.trusted) {
      const reason = verdict.reason ?? 'clock untrusted';
      // One audit line per distinct reason, not one per period.
      if (this.#last?.ran !== false || this.#last.reason !== reason) {
        vault.index.addAudit({ at, action: 'retention-deferred', sessions: 0, items: 0, bytes: 0, reason });
      }
      logger.warn({ reason }, 'retention wipe deferred');
      return (this.#last = { ran: false, at, reason });
    }
    const result = vault.wipe(vault.expiredSessions(at), 'retention', 'retention period over');
    if (result.sessions > 0) logger.info({ ...result }, 'retention wipe done');
    return (this.#last = { ran: true, at, ...result });
  }

  #schedule(): void {
    this.#timer = this.deps.clock.setTimeout(
      () => {
        this.runOnce();
        this.#schedule();
      },
      this.deps.periodMs ?? 60 * 60_000,
    );
  }
}
