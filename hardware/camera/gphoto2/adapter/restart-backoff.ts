/**
 * How long the camera's supervisor waits before starting a new camera child after losing one:
 * 0.5 s, then 1, 2, and 5 s for every try after that. A camera that comes back (replugged,
 * switched on, gvfs stopped) is found within 5 s, and one that keeps failing costs a process
 * start every 5 s, not a busy loop.
 *
 * The count starts again once a child has stayed healthy for `stableMs`: a camera that drops
 * once an hour is retried quickly each time, one that drops every second is not.
 */
export const restartDelaysMs: readonly number[] = [500, 1000, 2000, 5000];

export class RestartBackoff {
  #failures = 0;
  #healthySince: number | undefined;

  constructor(
    private readonly delaysMs: readonly number[] = restartDelaysMs,
    private readonly stableMs = 10_000,
  ) {
    if (delaysMs.length === 0) throw new Error('RestartBackoff needs at least one delay');
  }

  /** Tries in a row that failed (or lost the camera before it was stable). */
  get failures(): number {
    return this.#failures;
  }

  /** The child is up and has the camera, from `now`. */
  healthy(now: number): void {
    this.#healthySince ??= now;
  }

  /** The child was lost (or failed to find the camera) at `now`: the wait before the next try. */
  lost(now: number): number {
    if (this.#healthySince !== undefined && now - this.#healthySince >= this.stableMs) this.#failures = 0;
    this.#healthySince = undefined;
    const delay = this.delaysMs[Math.min(this.#failures, this.delaysMs.length - 1)]!;
    this.#failures++;
    return delay;
  }

  reset(): void {
    this.#failures = 0;
    this.#healthySince = undefined;
  }
}
