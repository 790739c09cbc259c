import type { Clock, TimerHandle } from './clock.ts';

interface Timer {
  readonly __timer: true;
  readonly id: number;
  readonly due: number;
  readonly fn: () => void;
}

/**
 * Virtual time for simulations and tests. Time only moves when `advance`/`runUntil` is called.
 * Real asynchronous work (image decoding, SQLite, file writes) still takes real time, so code
 * that starts such work on simulated time registers it with `track()`; the clock waits for
 * tracked work to finish before it moves time on, which keeps runs deterministic.
 */
export class SimClock implements Clock {
  #now: number;
  #seq = 0;
  #timers = new Map<number, Timer>();
  #inFlight = new Set<Promise<unknown>>();
  /** Set by `timerDidNothing()` while the timer being fired runs. */
  #firedIdle = false;
  /**
   * How far the wall clock has been stepped (`jumpWallClock`): `now()` moves with it, timers do
   * not, as a real machine's timers run on the monotonic clock while NTP or a dead RTC battery
   * steps the wall clock under them.
   */
  #wallOffset = 0;

  constructor(startAt = Date.UTC(2026, 0, 5, 9, 0, 0)) {
    this.#now = startAt;
  }

  now(): number {
    return this.#now + this.#wallOffset;
  }

  /** Steps the wall clock by `ms` (back when negative) without firing or moving any timer. */
  jumpWallClock(ms: number): void {
    this.#wallOffset += ms;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const timer: Timer = { __timer: true, id: ++this.#seq, due: this.#now + Math.max(0, ms), fn };
    this.#timers.set(timer.id, timer);
    return timer;
  }

  clearTimeout(handle: TimerHandle): void {
    if (handle && typeof handle === 'object' && 'id' in handle) this.#timers.delete((handle as Timer).id);
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.setTimeout(resolve, ms));
  }

  /**
   * Register real asynchronous work (CPU or disk, never anything that waits on this clock:
   * that would wait forever) so time does not move on while it runs.
   */
  track<T>(work: Promise<T>): Promise<T> {
    this.#inFlight.add(work);
    const done = (): void => {
      this.#inFlight.delete(work);
    };
    work.then(done, done);
    return work;
  }

  /**
   * The timer being fired started nothing, so there is nothing to settle after it. A poll five
   * times a simulated second would otherwise cost three event-loop turns each, most of a long
   * simulation's time. Saying it while something did start would let time run ahead of work.
   */
  timerDidNothing(): void {
    this.#firedIdle = true;
  }

  get pendingTimers(): number {
    return this.#timers.size;
  }

  /** Let promise callbacks, I/O callbacks and tracked work finish, without moving time. */
  async settle(): Promise<void> {
    for (let quietRounds = 0; quietRounds < 3;) {
      if (this.#inFlight.size > 0) {
        await Promise.allSettled([...this.#inFlight]);
        quietRounds = 0;
      } else {
        quietRounds++;
      }
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  /** Fire the earliest due timer (moving time to it). Returns false when no timer is left. */
  async step(): Promise<boolean> {
    await this.settle();
    return this.#fireNext();
  }

  /** Fires the earliest timer and settles; the caller has settled before. */
  async #fireNext(): Promise<boolean> {
    let next: Timer | undefined;
    for (const t of this.#timers.values())
      if (!next || t.due < next.due || (t.due === next.due && t.id < next.id)) next = t;
    if (!next) return false;
    this.#timers.delete(next.id);
    this.#now = Math.max(this.#now, next.due);
    this.#firedIdle = false;
    next.fn();
    if (this.#firedIdle) this.#firedIdle = false;
    else await this.settle();
    return true;
  }

  /** Move time forward by `ms`, firing every timer that falls due on the way, in order. */
  async advance(ms: number): Promise<void> {
    const until = this.#now + ms;
    await this.runUntil(() => false, until + this.#wallOffset);
    this.#now = Math.max(this.#now, until);
  }

  /**
   * Fire timers in order until `done()` holds, no timer is left, or the next timer lies beyond
   * `deadline` (a wall-clock time, as `now()` tells it when called: a later jump of the wall
   * clock does not move it, as it would not move a real timer). Returns whether `done()` held.
   */
  async runUntil(done: () => boolean, deadline = Number.POSITIVE_INFINITY): Promise<boolean> {
    const until = deadline - this.#wallOffset;
    await this.settle();
    while (!done()) {
      let nextDue = Number.POSITIVE_INFINITY;
      for (const t of this.#timers.values()) nextDue = Math.min(nextDue, t.due);
      if (nextDue > until || !(await this.#fireNext())) return done();
    }
    return true;
  }
}
