import type Database from 'better-sqlite3';
import { JournalError } from './journal-records.ts';

/**
 * The credit journal's tables, migrated forward by SQLite's user_version. A journal written by
 * a newer build is refused, never rewritten: money records are not guessed at.
 */
export const schemaVersion = 2;

export function migrate(db: Database.Database): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > schemaVersion) {
    throw new JournalError(
      'journal-too-new',
      `the credit journal has schema ${version}; this build knows ${schemaVersion}`,
    );
  }
  if (version < 1) {
    db.exec(`
      CREATE TABLE movements (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at INTEGER NOT NULL,
        session_id TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('inserted','ordered','reversed','refunded','kept','carried')),
        amount INTEGER NOT NULL CHECK (amount >= 0),
        balance_delta INTEGER NOT NULL,
        device_id TEXT,
        ref TEXT UNIQUE,
        order_id TEXT,
        note TEXT
      );
      CREATE TABLE orders (
        id TEXT PRIMARY KEY,
        session_id TEXT NOT NULL,
        product_id TEXT NOT NULL,
        price INTEGER NOT NULL CHECK (price >= 0),
        state TEXT NOT NULL CHECK (state IN ('paid','delivered','reversed')),
        created_at INTEGER NOT NULL,
        settled_at INTEGER,
        reason TEXT
      );
      CREATE TABLE device_counters (
        device_id TEXT PRIMARY KEY,
        last_counter INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      PRAGMA user_version = 1;
    `);
  }
  if (version < 2) {
    db.exec(`
      CREATE TABLE owed_prints (
        order_id TEXT PRIMARY KEY REFERENCES orders(id),
        session_id TEXT NOT NULL,
        sheet_ids TEXT NOT NULL,
        copies INTEGER NOT NULL CHECK (copies >= 1),
        media TEXT NOT NULL,
        reason TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        delivered_at INTEGER,
        given_up_at INTEGER
      );
      PRAGMA user_version = 2;
    `);
  }
}
