/**
 * Time as the booth sees it. Devices, the session flow and services take a Clock instead of
 * calling Date.now()/setTimeout directly, so `kiosk simulate` can run hundreds of sessions on
 * simulated time and tests can move time forward without waiting.
 * The shape of setTimeout/clearTimeout matches what XState's `clock` option expects.
 */
export type TimerHandle = { readonly __timer: true } | ReturnType<typeof setTimeout>;

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
  sleep(ms: number): Promise<void>;
  /**
   * Marks real asynchronous work (image decoding, file I/O) started on this clock's time.
   * Simulated time waits for it before moving on; the system clock just passes it through.
   * Never track work that itself waits on the clock (a device's simulated delay).
   */
  track<T>(work: Promise<T>): Promise<T>;
  /**
   * Said by a timer's callback, while it runs, when it started nothing (no promise, no I/O, no
   * event to anyone): simulated time may then fire the next timer without settling first. Only
   * for callbacks that are sure of it (a device polling an empty buffer); the system clock has no
   * use for it.
   */
  timerDidNothing?(): void;
}

export class SystemClock implements Clock {
  now(): number {
    return Date.now();
  }
  setTimeout(fn: () => void, ms: number): TimerHandle {
    return setTimeout(fn, ms);
  }
  clearTimeout(handle: TimerHandle): void {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  }
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }
  track<T>(work: Promise<T>): Promise<T> {
    return work;
  }
}
