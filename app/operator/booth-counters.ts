import type Database from 'better-sqlite3';
import { openOperatorDb } from './operator-db.ts';
import { OperatorError } from './operator-error.ts';

/** What one session adds to the counters (the booth's SessionSummary, without its id). */
export interface CountedSession {
  outcome: string;
  fault: { state: string } | null;
  sheetsPrinted: number;
  refusedRules: readonly string[];
}

export interface CounterRow {
  /** `sessions`, `completed`, `abandoned`, `declined`, `owed`, `failed`, `prints`, `refused:<rule>`, `failure:<state>`. */
  name: string;
  today: number;
  yesterday: number;
  sinceReset: number;
  /** When this counter was last reset (epoch ms), or null: since the booth began counting. */
  resetAt: number | null;
}

/** The counters always shown, in this order; the `refused:` and `failure:` ones as they come. */
const fixed = ['sessions', 'completed', 'abandoned', 'declined', 'owed', 'failed', 'prints'] as const;
const namePattern =
  /^(sessions|completed|abandoned|declined|owed|failed|prints|refused:[a-z0-9._-]{1,64}|failure:[a-z0-9._-]{1,64})$/i;

/**
 * The operator's counters: sessions by how they ended, prints, refused photos by rule and
 * failures by state, per day (the booth's local date) and since each counter's own reset, in
 * `<dataDir>/operator/counters.sqlite`. A reset sets one counter's since-reset figure to 0 and
 * keeps the days (pibooth users could only reset everything at once), audited by the caller.
 */
export class BoothCounters {
  readonly #db: Database.Database;
  readonly #dayOf: (epochMs: number) => string;

  private constructor(db: Database.Database, dayOf: (epochMs: number) => string) {
    this.#db = db;
    this.#dayOf = dayOf;
  }

  /** `dayOf`: the booth's local date of a moment (tests pass one; the default is this machine's zone). */
  static open(file: string, dayOf: (epochMs: number) => string = localDay): BoothCounters {
    const db = openOperatorDb(file, (d) =>
      d.exec(`
        CREATE TABLE IF NOT EXISTS counter_days (
          day TEXT NOT NULL, name TEXT NOT NULL, value INTEGER NOT NULL CHECK (value >= 0),
          PRIMARY KEY (day, name)
        );
        CREATE TABLE IF NOT EXISTS counter_totals (
          name TEXT PRIMARY KEY, since_reset INTEGER NOT NULL CHECK (since_reset >= 0), reset_at INTEGER
        );
      `),
    );
    return new BoothCounters(db, dayOf);
  }

  close(): void {
    this.#db.close();
  }

  /** Counts one ended session at `at` (epoch ms). */
  record(session: CountedSession, at: number): void {
    const add = new Map<string, number>();
    const bump = (name: string, by = 1) => {
      if (by > 0) add.set(name, (add.get(name) ?? 0) + by);
    };
    bump('sessions');
    const outcome =
      session.outcome === 'walked-away' || session.outcome === 'cancelled' ? 'abandoned' : session.outcome;
    if ((fixed as readonly string[]).includes(outcome)) bump(outcome);
    bump('prints', session.sheetsPrinted);
    for (const rule of session.refusedRules) bump(`refused:${rule}`);
    if (session.fault) bump(`failure:${session.fault.state}`);
    const day = this.#dayOf(at);
    const dayRow = this.#db.prepare(
      `INSERT INTO counter_days (day, name, value) VALUES (?, ?, ?)
       ON CONFLICT (day, name) DO UPDATE SET value = value + excluded.value`,
    );
    const total = this.#db.prepare(
      `INSERT INTO counter_totals (name, since_reset, reset_at) VALUES (?, ?, NULL)
       ON CONFLICT (name) DO UPDATE SET since_reset = since_reset + excluded.since_reset`,
    );
    this.#db.transaction(() => {
      for (const [name, by] of add) {
        if (!namePattern.test(name)) continue; // an id the screen could not show: not counted
        dayRow.run(day, name, by);
        total.run(name, by);
      }
    })();
  }

  /** Every counter as of `now`: the fixed ones first, then refusals and failures by name. */
  rows(now: number): CounterRow[] {
    const today = this.#dayOf(now);
    const yesterday = this.#dayOf(now - 24 * 60 * 60_000);
    const totals = new Map(
      (
        this.#db.prepare('SELECT name, since_reset, reset_at FROM counter_totals').all() as {
          name: string;
          since_reset: number;
          reset_at: number | null;
        }[]
      ).map((r) => [r.name, r]),
    );
    const onDay = (day: string) =>
      new Map(
        (
          this.#db.prepare('SELECT name, value FROM counter_days WHERE day = ?').all(day) as {
            name: string;
            value: number;
          }[]
        ).map((r) => [r.name, r.value]),
      );
    const t = onDay(today);
    const y = onDay(yesterday);
    const others = [...totals.keys()].filter((n) => !(fixed as readonly string[]).includes(n)).sort();
    return [...fixed, ...others].map((name) => ({
      name,
      today: t.get(name) ?? 0,
      yesterday: y.get(name) ?? 0,
      sinceReset: totals.get(name)?.since_reset ?? 0,
      resetAt: totals.get(name)?.reset_at ?? null,
    }));
  }

  /** Resets one counter's since-reset figure; returns what it was (for the audit). */
  reset(name: string, at: number): number {
    if (!namePattern.test(name)) throw new OperatorError('counter-unknown', `no counter is called "${name}"`);
    const before =
      (
        this.#db.prepare('SELECT since_reset FROM counter_totals WHERE name = ?').get(name) as
          { since_reset: number } | undefined
      )?.since_reset ?? 0;
    this.#db
      .prepare(
        `INSERT INTO counter_totals (name, since_reset, reset_at) VALUES (?, 0, ?)
         ON CONFLICT (name) DO UPDATE SET since_reset = 0, reset_at = excluded.reset_at`,
      )
      .run(name, at);
    return before;
  }
}

/** This machine's local date of a moment, as YYYY-MM-DD. */
export function localDay(epochMs: number): string {
  const d = new Date(epochMs);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}
