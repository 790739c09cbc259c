import type { BoothHost } from '../host/booth-host.ts';
import type { Logger } from '../logging/logger.ts';
import type { SystemdNotifier } from './systemd-notify.ts';

/**
 * Pings systemd's watchdog every `everyMs`, but only while `alive()` says the booth works: a
 * ping comes from a timer, so the event loop turned; `alive()` adds the booth's flow. When it
 * stops answering, the pings stop and systemd restarts the booth after WatchdogSec.
 */
export class SystemdWatchdog {
  readonly #o: { notifier: SystemdNotifier; everyMs: number; alive: () => boolean; logger: Logger };
  #timer: NodeJS.Timeout | undefined;
  #sending = false;
  #inFlight: Promise<unknown> = Promise.resolve();
  #wasAlive = true;

  constructor(options: { notifier: SystemdNotifier; everyMs: number; alive: () => boolean; logger: Logger }) {
    this.#o = options;
  }

  start(): void {
    this.#timer = setInterval(() => this.#tick(), this.#o.everyMs);
    this.#tick();
  }

  /** No more pings; resolves once the one on its way (if any) is sent, so none follows STOPPING=1. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#inFlight;
  }

  /** A ping is on its way (systemd-notify has not exited yet). */
  get sending(): boolean {
    return this.#sending;
  }

  #tick(): void {
    let alive: boolean;
    try {
      alive = this.#o.alive();
    } catch {
      alive = false;
    }
    if (alive !== this.#wasAlive)
      this.#o.logger[alive ? 'info' : 'error'](
        {},
        alive
          ? 'systemd watchdog: the booth answers again'
          : 'systemd watchdog: the booth does not answer; no ping',
      );
    this.#wasAlive = alive;
    // One ping at a time: a manager slow to read must not pile up processes.
    if (!alive || this.#sending) return;
    this.#sending = true;
    this.#inFlight = this.#o.notifier
      .watchdog()
      .catch(() => false)
      .finally(() => (this.#sending = false));
  }
}

/**
 * The booth's flow is alive: its actor is running (not stopped, not failed on an error), and
 * answers a snapshot. Between two flows (a config being applied: devices reopen) there is none
 * for up to `gapMs`; a longer gap is a hang.
 */
export function boothAlive(host: BoothHost, now: () => number = Date.now, gapMs = 60_000): () => boolean {
  let noBoothSince: number | null = null;
  return () => {
    let status: string;
    try {
      status = host.booth.snapshot().status;
    } catch {
      noBoothSince ??= now();
      return now() - noBoothSince < gapMs;
    }
    noBoothSince = null;
    return status === 'active';
  };
}
