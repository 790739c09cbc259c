import type { Logger } from '../../logging/logger.ts';

export interface ScreenWatchdogOptions {
  /** Restarts the window showing the screen (kill it; it comes back on its own). */
  restart: (reason: string) => void;
  logger: Logger;
  /** How long the screen may be gone (no bridge client) before the window is restarted. */
  goneMs?: number;
  /** How long a (re)started window may take to connect its screen. */
  firstConnectMs?: number;
  setTimer?: (fn: () => void, ms: number) => NodeJS.Timeout;
  clearTimer?: (timer: NodeJS.Timeout) => void;
}

/**
 * Keeps the customer's screen alive in the browser shell. Chromium itself comes back when its
 * process exits, but a crashed renderer (a GPU fault, out of memory) leaves Chromium running on
 * an "Aw, Snap!" page that never reconnects: the booth would serve nobody, with the customer's
 * money in. The page's own bridge reconnects within a second or two when the connection merely
 * drops, so a screen gone for longer means the page is dead: the window is restarted.
 */
export class ScreenWatchdog {
  readonly #o: Required<Omit<ScreenWatchdogOptions, 'logger' | 'restart'>> & ScreenWatchdogOptions;
  #timer: NodeJS.Timeout | undefined;
  #clients = 0;
  #stopped = false;

  constructor(options: ScreenWatchdogOptions) {
    this.#o = {
      goneMs: 15_000,
      firstConnectMs: 60_000,
      setTimer: (fn, ms) => setTimeout(fn, ms),
      clearTimer: (timer) => clearTimeout(timer),
      ...options,
    };
  }

  /** The window was (re)started: its screen must connect in time. */
  windowStarted(): void {
    if (this.#clients === 0)
      this.#arm(this.#o.firstConnectMs, 'the screen did not connect after the window started');
  }

  /** The bridge's client count changed. */
  clientsChanged(clients: number): void {
    this.#clients = clients;
    if (clients > 0) this.#disarm();
    else this.#arm(this.#o.goneMs, 'the screen went away and did not come back');
  }

  stop(): void {
    this.#stopped = true;
    this.#disarm();
  }

  #arm(ms: number, reason: string): void {
    this.#disarm();
    if (this.#stopped) return;
    this.#timer = this.#o.setTimer(() => {
      this.#timer = undefined;
      if (this.#stopped || this.#clients > 0) return;
      this.#o.logger.warn({ reason, afterMs: ms }, 'kiosk screen lost: restarting its window');
      this.#o.restart(reason);
    }, ms);
  }

  #disarm(): void {
    if (this.#timer !== undefined) this.#o.clearTimer(this.#timer);
    this.#timer = undefined;
  }
}
