import type Database from 'better-sqlite3';
import type { OutboxCounts } from './outbox-api.ts';

export interface QueueRow {
  id: string;
  state: 'waiting' | 'failed';
  attempts: number;
  next_attempt: number | null;
  last_error: string | null;
}

/**
 * Where each sealed message stands (waiting, failed for good), its tries and the counters, in
 * the vault's index beside the sealed record. Nothing personal: a row names the record by its
 * random id, and a record's row going (sent, expired, its session shredded) takes this one with
 * it (ON DELETE CASCADE).
 */
export class OutboxQueue {
  readonly #db: Database.Database;

  constructor(db: Database.Database) {
    this.#db = db;
    db.exec(`
      CREATE TABLE IF NOT EXISTS outbox_queue (
        id TEXT PRIMARY KEY REFERENCES records(id) ON DELETE CASCADE,
        state TEXT NOT NULL CHECK (state IN ('waiting', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt INTEGER,
        last_error TEXT
      );
      CREATE TABLE IF NOT EXISTS outbox_counts (
        name TEXT PRIMARY KEY CHECK (name IN ('sent', 'failed', 'expired')),
        n INTEGER NOT NULL
      );
      INSERT OR IGNORE INTO outbox_counts (name, n) VALUES ('sent', 0), ('failed', 0), ('expired', 0);
    `);
  }

  add(id: string, at: number): void {
    this.#db
      .prepare(`INSERT INTO outbox_queue (id, state, attempts, next_attempt) VALUES (?, 'waiting', 0, ?)`)
      .run(id, at);
  }

  row(id: string): QueueRow | undefined {
    return this.#db.prepare('SELECT * FROM outbox_queue WHERE id = ?').get(id) as QueueRow | undefined;
  }

  all(): QueueRow[] {
    return this.#db.prepare('SELECT * FROM outbox_queue ORDER BY rowid').all() as QueueRow[];
  }

  /** Waiting rows whose next try is due at `now`, oldest first. */
  due(now: number): QueueRow[] {
    return this.#db
      .prepare(
        `SELECT * FROM outbox_queue WHERE state = 'waiting' AND next_attempt <= ? ORDER BY next_attempt, rowid`,
      )
      .all(now) as QueueRow[];
  }

  /** The earliest next try, or null when nothing waits. */
  nextDue(): number | null {
    const row = this.#db
      .prepare(`SELECT MIN(next_attempt) AS at FROM outbox_queue WHERE state = 'waiting'`)
      .get() as { at: number | null };
    return row.at;
  }

  retryLater(id: string, at: number, error: string): void {
    this.#db
      .prepare(
        'UPDATE outbox_queue SET attempts = attempts + 1, next_attempt = ?, last_error = ? WHERE id = ?',
      )
      .run(at, error, id);
  }

  /** A 5xx: on the operator's list until resent; counted once. */
  fail(id: string, error: string): void {
    this.#db.transaction(() => {
      this.#db
        .prepare(
          `UPDATE outbox_queue SET state = 'failed', attempts = attempts + 1, next_attempt = NULL, last_error = ? WHERE id = ?`,
        )
        .run(error, id);
      this.count('failed');
    })();
  }

  /** Back in line now (staff's resend). */
  requeue(id: string, at: number): boolean {
    return (
      this.#db.prepare(`UPDATE outbox_queue SET state = 'waiting', next_attempt = ? WHERE id = ?`).run(at, id)
        .changes > 0
    );
  }

  count(name: 'sent' | 'failed' | 'expired'): void {
    this.#db.prepare('UPDATE outbox_counts SET n = n + 1 WHERE name = ?').run(name);
  }

  counts(): OutboxCounts {
    const rows = this.#db.prepare('SELECT name, n FROM outbox_counts').all() as { name: string; n: number }[];
    const n = (name: string) => rows.find((r) => r.name === name)?.n ?? 0;
    const pending = (this.#db.prepare('SELECT COUNT(*) AS n FROM outbox_queue').get() as { n: number }).n;
    return { sent: n('sent'), failed: n('failed'), expired: n('expired'), pending };
  }
}
