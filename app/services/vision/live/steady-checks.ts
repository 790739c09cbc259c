/**
 * Hysteresis for live checks: a check's shown state flips only after its raw state has held
 * the other way for `flipMs`, so a hint does not flicker when a value sits on its limit.
 */
export class SteadyChecks {
  readonly #flipMs: number;
  readonly #shown = new Map<string, { pass: boolean; since: number }>();
  readonly #pending = new Map<string, { pass: boolean; since: number }>();

  constructor(flipMs = 300) {
    this.#flipMs = flipMs;
  }

  /** Feeds one frame's raw results; returns the steady state of every check. */
  update(now: number, raw: Readonly<Record<string, boolean>>): Record<string, boolean> {
    const steady: Record<string, boolean> = {};
    for (const [id, pass] of Object.entries(raw)) {
      const shown = this.#shown.get(id);
      if (!shown) {
        this.#shown.set(id, { pass, since: now });
      } else if (shown.pass === pass) {
        this.#pending.delete(id);
      } else {
        const pending = this.#pending.get(id);
        if (!pending || pending.pass !== pass) this.#pending.set(id, { pass, since: now });
        else if (now - pending.since >= this.#flipMs) {
          this.#shown.set(id, { pass, since: now });
          this.#pending.delete(id);
        }
      }
      steady[id] = this.#shown.get(id)!.pass;
    }
    return steady;
  }

  /** Since when every given check has steadily passed, or null if one does not. */
  allPassingSince(ids: readonly string[]): number | null {
    let since = Number.NEGATIVE_INFINITY;
    for (const id of ids) {
      const shown = this.#shown.get(id);
      if (!shown?.pass) return null;
      since = Math.max(since, shown.since);
    }
    return since;
  }

  reset(): void {
    this.#shown.clear();
    this.#pending.clear();
  }
}
