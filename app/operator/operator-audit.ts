import type Database from 'better-sqlite3';
import type { OperatorRole } from '../../config/schema.ts';

/**
 * The operator's audit trail: every PIN attempt and every operator action, one row each, in
 * `<dataDir>/operator/access.sqlite`. Append-only, as the credit journal's movements are
 * (app/money/journal-schema.ts): SQLite's own triggers refuse an UPDATE or DELETE, so not even
 * someone with the technician PIN and a shell can tidy away what they did from the booth.
 */

/** What a PIN attempt came to. Never the digits: an audit that held them would leak the PIN. */
export type PinAttemptResult = 'ok' | 'demo-pin' | 'wrong' | 'locked-out' | 'refused-locked';

export interface AuditEntry {
  id: number;
  at: number;
  /** Who: the role that was signed in, or null for a PIN attempt nobody has yet been let in by. */
  role: OperatorRole | null;
  /** What, in kebab case: `pin-entry`, `pin-changed`, `cash-box-emptied`, `price-changed`… */
  action: string;
  /** What it was done to, e.g. a product id or a receipt code; null when the action says all. */
  subject: string | null;
  /** For `pin-entry`: what the attempt came to. */
  result: PinAttemptResult | null;
  /** The value before and after, where the action changes one (a price: 800 → 900). */
  before: unknown;
  after: unknown;
}

/** What a caller records; `audit` adds the time and the id. */
export interface AuditInput {
  role: OperatorRole | null;
  action: string;
  subject?: string | null;
  before?: unknown;
  after?: unknown;
}

/** A value kept in the audit must be small: the table is read on the booth's own screen. */
const maxValueChars = 4_000;
const actionPattern = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

export function migrateAudit(db: Database.Database): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS audit (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      at INTEGER NOT NULL,
      role TEXT CHECK (role IN ('operator','technician')),
      action TEXT NOT NULL,
      subject TEXT,
      result TEXT CHECK (result IN ('ok','demo-pin','wrong','locked-out','refused-locked')),
      before_value TEXT,
      after_value TEXT
    );
    CREATE TRIGGER IF NOT EXISTS audit_not_updated BEFORE UPDATE ON audit BEGIN
      SELECT RAISE(ABORT, 'the operator audit is append-only');
    END;
    CREATE TRIGGER IF NOT EXISTS audit_not_deleted BEFORE DELETE ON audit BEGIN
      SELECT RAISE(ABORT, 'the operator audit is append-only');
    END;
  `);
}

export function appendAudit(
  db: Database.Database,
  at: number,
  entry: AuditInput & { result?: PinAttemptResult | null },
): AuditEntry {
  if (!actionPattern.test(entry.action))
    throw new TypeError(
      `an audited action is named in kebab case (like "price-changed"), not "${entry.action}"`,
    );
  const before = valueText(entry.before, 'before');
  const after = valueText(entry.after, 'after');
  const info = db
    .prepare(
      `INSERT INTO audit (at, role, action, subject, result, before_value, after_value)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(at, entry.role, entry.action, entry.subject ?? null, entry.result ?? null, before, after);
  return {
    id: Number(info.lastInsertRowid),
    at,
    role: entry.role,
    action: entry.action,
    subject: entry.subject ?? null,
    result: entry.result ?? null,
    before: entry.before ?? null,
    after: entry.after ?? null,
  };
}

/** The newest `n` entries, newest first. */
export function readAudit(db: Database.Database, n: number): AuditEntry[] {
  const limit = Math.max(0, Math.min(Math.trunc(n), 1_000));
  const rows = db
    .prepare(
      `SELECT id, at, role, action, subject, result, before_value, after_value FROM audit
       ORDER BY id DESC LIMIT ?`,
    )
    .all(limit) as {
    id: number;
    at: number;
    role: OperatorRole | null;
    action: string;
    subject: string | null;
    result: PinAttemptResult | null;
    before_value: string | null;
    after_value: string | null;
  }[];
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    role: r.role,
    action: r.action,
    subject: r.subject,
    result: r.result,
    before: r.before_value === null ? null : JSON.parse(r.before_value),
    after: r.after_value === null ? null : JSON.parse(r.after_value),
  }));
}

function valueText(value: unknown, which: string): string | null {
  if (value === undefined || value === null) return null;
  const text = JSON.stringify(value);
  if (text === undefined) throw new TypeError(`the audited "${which}" value cannot be kept as JSON`);
  if (text.length > maxValueChars)
    throw new TypeError(
      `the audited "${which}" value is ${text.length} characters; at most ${maxValueChars}`,
    );
  return text;
}
