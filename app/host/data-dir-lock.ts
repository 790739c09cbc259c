import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { ownerOnlyFile } from '../../core/owner-only-file.ts';
import { join } from 'node:path';
import Database from 'better-sqlite3';

/** Another process holds the data directory: a booth runs on it (or a command that changes it). */
export class DataDirInUseError extends Error {
  readonly code = 'data-dir-in-use';
  constructor(
    readonly dataDir: string,
    /** The holder's pid and what it runs, as it wrote them; null when it could not be read. */
    readonly holder: { pid: number; what: string } | null,
  ) {
    const who = holder ? `pid ${holder.pid} (${holder.what})` : 'another process';
    super(`the data directory ${dataDir} is in use by ${who}; stop it first, or use another --data-dir`);
    this.name = 'DataDirInUseError';
  }
}

/**
 * One process at a time on a data directory. The lock is an exclusive SQLite lock on
 * `booth.lock` (a POSIX record lock underneath): the kernel drops it when the process ends,
 * however it ends, so kill -9 or a power cut never leaves a stale lock, and no pid file has to
 * be trusted. `booth.lock.pid` only says who holds it, for the message a second process shows.
 * (Node has no flock; better-sqlite3 is already how the booth touches its files.)
 */
export class DataDirLock {
  readonly #db: Database.Database;
  readonly #pidFile: string;

  private constructor(db: Database.Database, pidFile: string) {
    this.#db = db;
    this.#pidFile = pidFile;
  }

  /** Takes the lock or throws DataDirInUseError naming the holder. `what`: e.g. `kiosk start`. */
  static acquire(dataDir: string, what: string): DataDirLock {
    const file = join(dataDir, 'booth.lock');
    const pidFile = `${file}.pid`;
    ownerOnlyFile(file);
    const db = new Database(file, { timeout: 0 });
    try {
      db.pragma('locking_mode = EXCLUSIVE');
      db.exec('BEGIN EXCLUSIVE');
    } catch (error) {
      db.close();
      if ((error as { code?: string }).code === 'SQLITE_BUSY')
        throw new DataDirInUseError(dataDir, holder(pidFile));
      throw error;
    }
    writeFileSync(pidFile, JSON.stringify({ pid: process.pid, what }) + '\n', { mode: 0o600 });
    return new DataDirLock(db, pidFile);
  }

  release(): void {
    if (!this.#db.open) return;
    rmSync(this.#pidFile, { force: true });
    this.#db.close();
  }
}

function holder(pidFile: string): { pid: number; what: string } | null {
  try {
    const parsed = JSON.parse(readFileSync(pidFile, 'utf8')) as { pid?: unknown; what?: unknown };
    if (typeof parsed.pid !== 'number') return null;
    return { pid: parsed.pid, what: typeof parsed.what === 'string' ? parsed.what : 'unknown' };
  } catch {
    return null;
  }
}
