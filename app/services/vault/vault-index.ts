import { mkdirSync } from 'node:fs';
import { ownerOnlyFile } from '../../../core/owner-only-file.ts';
import { rememberStatements } from '../../../core/sqlite-statements.ts';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

export type VaultSessionState = 'open' | 'kept' | 'shredding';

export interface VaultSessionRow {
  id: string;
  created: number;
  expires: number;
  wrapped_key: Buffer | null;
  state: VaultSessionState;
  simulated: number;
}

export interface VaultItemRow {
  id: string;
  session_id: string;
  purpose: string;
  file: string;
  bytes: number;
  created: number;
  expires: number;
}

/** What a sealed record is for: the outbox's two kinds of message (more may follow). */
export type SealedRecordKind = 'digital-copy' | 'contact';

export interface SealedRecordRow {
  id: string;
  /** The session whose data key wraps the record's key; null: wrapped by the master key. */
  session_id: string | null;
  kind: SealedRecordKind;
  created: number;
  expires: number;
}

export interface AuditRow {
  at: number;
  action: string;
  sessions: number;
  items: number;
  bytes: number;
  reason: string;
}

const schema = `
  CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY,
    created INTEGER NOT NULL,
    expires INTEGER NOT NULL,
    wrapped_key BLOB,
    receipt TEXT UNIQUE,
    state TEXT NOT NULL CHECK (state IN ('open', 'kept', 'shredding')),
    simulated INTEGER NOT NULL DEFAULT 0
  );
  CREATE TABLE IF NOT EXISTS items (
    id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions(id),
    purpose TEXT NOT NULL,
    file TEXT NOT NULL UNIQUE,
    bytes INTEGER NOT NULL,
    created INTEGER NOT NULL,
    expires INTEGER NOT NULL
  );
  CREATE INDEX IF NOT EXISTS items_by_session ON items(session_id);
  CREATE TABLE IF NOT EXISTS consents (
    id INTEGER PRIMARY KEY,
    session_id TEXT NOT NULL,
    policy_version TEXT NOT NULL,
    language TEXT NOT NULL,
    at INTEGER NOT NULL,
    guardian_notice INTEGER NOT NULL
  );
  CREATE TABLE IF NOT EXISTS records (
    id TEXT PRIMARY KEY,
    session_id TEXT,
    kind TEXT NOT NULL,
    wrapped_key BLOB NOT NULL,
    box BLOB NOT NULL,
    created INTEGER NOT NULL,
    expires INTEGER NOT NULL
  );
  CREATE INDEX IF NOT EXISTS records_by_session ON records(session_id);
  CREATE TABLE IF NOT EXISTS session_notes (
    session_id TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (session_id, key)
  );
  CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    action TEXT NOT NULL,
    sessions INTEGER NOT NULL,
    items INTEGER NOT NULL,
    bytes INTEGER NOT NULL,
    reason TEXT NOT NULL
  );
`;

/**
 * The vault's index: which sealed file belongs to which session, when it expires, and each
 * session's wrapped data key. SQLite with WAL and synchronous=FULL, so a destroyed key stays
 * destroyed across a power cut. Holds no personal data: receipt codes only as keyed fingerprints.
 *
 * Sessions `kiosk simulate` made (marked simulated; demo portraits, never a customer) are the
 * one exception: their rows commit with synchronous=OFF (kept across a killed process, not
 * promised across a power cut) and their shred skips the WAL scrub, so a simulation runs
 * thousands of sessions without an fsync each. Any write that touches a customer's session, and
 * every commit after it, is synced as always (a FULL commit syncs the whole log before it).
 */
export class VaultIndex {
  readonly db: Database.Database;
  /**
   * Whether each session seen is a simulated one: set when the row is made and never changed, so
   * the look-up every write does (synced or not) is one query per session, not one per write.
   */
  readonly #simulatedById = new Map<string, boolean>();

  constructor(file: string) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    ownerOnlyFile(file);
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('foreign_keys = ON');
    // Freed cells are zeroed, so a destroyed key or deleted row is not left in the file's free space.
    this.db.pragma('secure_delete = ON');
    this.db.exec(schema);
    rememberStatements(this.db);
  }

  close(): void {
    this.db.close();
  }

  meta(key: string): string | undefined {
    const row = this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as
      { value: string } | undefined;
    return row?.value;
  }

  setMeta(key: string, value: string): void {
    this.db
      .prepare(
        'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
      )
      .run(key, value);
  }

  session(id: string): VaultSessionRow | undefined {
    return this.db.prepare('SELECT * FROM sessions WHERE id = ?').get(id) as VaultSessionRow | undefined;
  }

  sessionByReceipt(fingerprint: string): VaultSessionRow | undefined {
    return this.db.prepare('SELECT * FROM sessions WHERE receipt = ?').get(fingerprint) as
      VaultSessionRow | undefined;
  }

  insertSession(row: {
    id: string;
    created: number;
    expires: number;
    wrappedKey: Buffer;
    receipt: string | null;
    simulated: boolean;
  }): void {
    this.#relaxedIf(row.simulated, () =>
      this.db
        .prepare(
          `INSERT INTO sessions (id, created, expires, wrapped_key, receipt, state, simulated)
           VALUES (?, ?, ?, ?, ?, 'open', ?)`,
        )
        .run(row.id, row.created, row.expires, row.wrappedKey, row.receipt, row.simulated ? 1 : 0),
    );
  }

  setSessionState(id: string, state: 'kept'): void {
    this.#forSession(id, () =>
      this.db.prepare(`UPDATE sessions SET state = ? WHERE id = ? AND state = 'open'`).run(state, id),
    );
  }

  /** Step one of a crypto-shred: the key goes first, in its own synced commit. */
  destroyKey(id: string): void {
    const simulated = this.#simulated(id);
    this.#relaxedIf(simulated, () =>
      this.db.prepare(`UPDATE sessions SET wrapped_key = NULL, state = 'shredding' WHERE id = ?`).run(id),
    );
    // A simulated session's key sealed demo portraits: the log is left to SQLite's own checkpoints.
    if (!simulated) this.scrub();
  }

  /**
   * The write-ahead log still holds every earlier version of a page, wrapped keys included:
   * copy it into the main file and empty it, so a destroyed key is gone from disk, not just hidden.
   */
  scrub(): void {
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  items(sessionId: string): VaultItemRow[] {
    return this.db
      .prepare('SELECT * FROM items WHERE session_id = ? ORDER BY created, rowid')
      .all(sessionId) as VaultItemRow[];
  }

  item(id: string): VaultItemRow | undefined {
    return this.db.prepare('SELECT * FROM items WHERE id = ?').get(id) as VaultItemRow | undefined;
  }

  insertItem(row: VaultItemRow): void {
    this.#forSession(row.session_id, () =>
      this.db
        .prepare(
          `INSERT INTO items (id, session_id, purpose, file, bytes, created, expires)
           VALUES (@id, @session_id, @purpose, @file, @bytes, @created, @expires)`,
        )
        .run(row),
    );
  }

  /** Last step of a shred: rows go, and the audit line says what went and why (no personal data). */
  forgetSession(id: string, audit: AuditRow): void {
    this.#forSession(id, () =>
      this.db.transaction(() => {
        this.db.prepare('DELETE FROM items WHERE session_id = ?').run(id);
        // A record sealed under the session's key is unreadable once the key is gone; its row goes too.
        this.db.prepare('DELETE FROM records WHERE session_id = ?').run(id);
        this.db.prepare('DELETE FROM session_notes WHERE session_id = ?').run(id);
        this.db.prepare('DELETE FROM sessions WHERE id = ?').run(id);
        this.addAudit(audit);
      })(),
    );
    this.#simulatedById.delete(id);
  }

  /** Whether the session is one `kiosk simulate` made (false for an unknown one). */
  isSimulated(id: string): boolean {
    return this.#simulated(id);
  }

  #simulated(id: string): boolean {
    const known = this.#simulatedById.get(id);
    if (known !== undefined) return known;
    const row = this.db.prepare('SELECT simulated FROM sessions WHERE id = ?').get(id) as
      { simulated: number } | undefined;
    // An unknown session is not remembered: its row may be made later.
    if (row) this.#simulatedById.set(id, row.simulated === 1);
    return row?.simulated === 1;
  }

  /** Runs a write about one session: synced, unless the session is a simulated one. */
  #forSession<T>(sessionId: string, write: () => T): T {
    return this.#relaxedIf(this.#simulated(sessionId), write);
  }

  /**
   * Runs `write` with synchronous=OFF when `relaxed` (simulated sessions only, see the class),
   * then back to FULL. Inside an open transaction the level cannot change: the write stays synced.
   */
  #relaxedIf<T>(relaxed: boolean, write: () => T): T {
    if (!relaxed || this.db.inTransaction) return write();
    this.db.pragma('synchronous = OFF');
    try {
      return write();
    } finally {
      this.db.pragma('synchronous = FULL');
    }
  }

  insertRecord(row: SealedRecordRow & { wrapped_key: Buffer; box: Buffer }): void {
    this.db
      .prepare(
        `INSERT INTO records (id, session_id, kind, wrapped_key, box, created, expires)
         VALUES (@id, @session_id, @kind, @wrapped_key, @box, @created, @expires)`,
      )
      .run(row);
  }

  record(id: string): SealedRecordRow | undefined {
    return this.db
      .prepare('SELECT id, session_id, kind, created, expires FROM records WHERE id = ?')
      .get(id) as SealedRecordRow | undefined;
  }

  recordWithBox(id: string): (SealedRecordRow & { wrapped_key: Buffer; box: Buffer }) | undefined {
    return this.db.prepare('SELECT * FROM records WHERE id = ?').get(id) as
      (SealedRecordRow & { wrapped_key: Buffer; box: Buffer }) | undefined;
  }

  records(kind?: SealedRecordKind): SealedRecordRow[] {
    const columns = 'SELECT id, session_id, kind, created, expires FROM records';
    return (
      kind
        ? this.db.prepare(`${columns} WHERE kind = ? ORDER BY created, rowid`).all(kind)
        : this.db.prepare(`${columns} ORDER BY created, rowid`).all()
    ) as SealedRecordRow[];
  }

  /** A record's row and its audit line, in one synced commit (the caller scrubs the WAL). */
  forgetRecord(id: string, audit: AuditRow): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM records WHERE id = ?').run(id);
      this.addAudit(audit);
    })();
  }

  /** A note about a session that holds nothing personal (what was ordered); goes with the session. */
  setSessionNote(sessionId: string, key: string, value: string): void {
    this.#forSession(sessionId, () =>
      this.db
        .prepare(
          `INSERT INTO session_notes (session_id, key, value) VALUES (?, ?, ?)
           ON CONFLICT(session_id, key) DO UPDATE SET value = excluded.value`,
        )
        .run(sessionId, key, value),
    );
  }

  sessionNote(sessionId: string, key: string): string | undefined {
    const row = this.db
      .prepare('SELECT value FROM session_notes WHERE session_id = ? AND key = ?')
      .get(sessionId, key) as { value: string } | undefined;
    return row?.value;
  }

  addAudit(row: AuditRow): void {
    this.db
      .prepare(
        'INSERT INTO audit (at, action, sessions, items, bytes, reason) VALUES (@at, @action, @sessions, @items, @bytes, @reason)',
      )
      .run(row);
  }

  audit(limit = 100): AuditRow[] {
    return this.db
      .prepare('SELECT at, action, sessions, items, bytes, reason FROM audit ORDER BY id DESC LIMIT ?')
      .all(limit) as AuditRow[];
  }

  sessionIdsWhere(sql: string, ...params: unknown[]): string[] {
    return (
      this.db.prepare(`SELECT id FROM sessions WHERE ${sql} ORDER BY created`).all(...params) as {
        id: string;
      }[]
    ).map((r) => r.id);
  }

  allFiles(): Set<string> {
    return new Set(
      (this.db.prepare('SELECT file FROM items').all() as { file: string }[]).map((r) => r.file),
    );
  }

  recordConsent(row: {
    sessionId: string;
    policyVersion: string;
    language: string;
    at: number;
    guardianNotice: boolean;
  }): void {
    this.#forSession(row.sessionId, () =>
      this.db
        .prepare(
          'INSERT INTO consents (session_id, policy_version, language, at, guardian_notice) VALUES (?, ?, ?, ?, ?)',
        )
        .run(row.sessionId, row.policyVersion, row.language, row.at, row.guardianNotice ? 1 : 0),
    );
  }

  consents(
    sessionId: string,
  ): { policy_version: string; language: string; at: number; guardian_notice: number }[] {
    return this.db
      .prepare(
        'SELECT policy_version, language, at, guardian_notice FROM consents WHERE session_id = ? ORDER BY id',
      )
      .all(sessionId) as { policy_version: string; language: string; at: number; guardian_notice: number }[];
  }

  stats(): {
    sessions: number;
    simulated: number;
    items: number;
    bytes: number;
    oldest: number | null;
    nextExpiry: number | null;
  } {
    const s = this.db
      .prepare(
        `SELECT COUNT(*) AS sessions, COALESCE(SUM(simulated), 0) AS simulated, MIN(created) AS oldest,
                MIN(expires) AS nextExpiry FROM sessions`,
      )
      .get() as { sessions: number; simulated: number; oldest: number | null; nextExpiry: number | null };
    const i = this.db
      .prepare('SELECT COUNT(*) AS items, COALESCE(SUM(bytes), 0) AS bytes FROM items')
      .get() as {
      items: number;
      bytes: number;
    };
    return { ...s, ...i };
  }
}
