import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { ownerOnlyFile } from '../../core/owner-only-file.ts';

/**
 * Opens one of the operator's small SQLite files under `<dataDir>/operator/`: owner-only (it
 * holds the PIN pad's lock and the audit of who did what), WAL and synchronous=FULL like the
 * credit journal, so what a call wrote is on disk before it returns and a power cut loses none
 * of it. `migrate` runs once per open inside a transaction.
 */
export function openOperatorDb(file: string, migrate: (db: Database.Database) => void): Database.Database {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  ownerOnlyFile(file);
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.transaction(() => migrate(db))();
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}
