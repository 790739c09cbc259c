import type Database from 'better-sqlite3';
import type { Clock } from '../../core/clock.ts';
import type { BoothConfig, BoothConfigInput, OperatorRole } from '../../config/schema.ts';
import { operatorWithPin } from '../../config/schema.ts';
import { demoPin, hashSecret, newPinProblem, verifySecret } from '../../config/pin.ts';
import { openOperatorDb } from './operator-db.ts';
import {
  appendAudit,
  migrateAudit,
  readAudit,
  type AuditEntry,
  type AuditInput,
  type PinAttemptResult,
} from './operator-audit.ts';
import { OperatorError } from './operator-error.ts';

export type { AuditEntry, AuditInput, PinAttemptResult } from './operator-audit.ts';
export type { OperatorRole } from '../../config/schema.ts';

export type PinCheck =
  | { ok: true; role: OperatorRole; mustChangePin: boolean }
  /** `lockedUntil`: epoch ms the pad opens again, or null while it is not locked. */
  | { ok: false; attemptsLeft: number; lockedUntil: number | null };

/** What OperatorAccess needs of the unit's config: the booth's own ConfigStore. */
export interface OperatorConfigSource {
  current(): BoothConfig;
  update(change: (draft: BoothConfigInput) => void): BoothConfig;
}

/** Wrong PINs in a row that lock the pad. */
export const wrongPinsBeforeLock = 5;
/**
 * How long the n-th lock in a row lasts (a right PIN starts again at the first). Growing, so a
 * guesser gets five tries in 30 s, then in a minute, … and at most 5 every 15 minutes: the 10,000
 * four-digit PINs take three weeks, while an operator who mistyped waits half a minute.
 */
export const lockDelaysMs = [30_000, 60_000, 120_000, 300_000, 900_000] as const;

const lockDelay = (lockouts: number) => lockDelaysMs[Math.min(lockouts, lockDelaysMs.length) - 1]!;

interface PadRow {
  wrong_in_row: number;
  lockouts: number;
  locked_at: number | null;
  locked_until: number | null;
}

/**
 * The PIN pad of operator mode: which role a PIN opens, the lock after wrong PINs (persisted in
 * `<dataDir>/operator/access.sqlite`, so pulling the plug does not reset it), and the audit of
 * every attempt and every operator action. No screen and no state machine: the booth's operator
 * region calls it.
 */
export class OperatorAccess {
  readonly #db: Database.Database;
  readonly #config: OperatorConfigSource;
  readonly #clock: Pick<Clock, 'now'>;

  private constructor(db: Database.Database, config: OperatorConfigSource, clock: Pick<Clock, 'now'>) {
    this.#db = db;
    this.#config = config;
    this.#clock = clock;
  }

  /** `file`: `dataPaths(dataDir).operatorAccess`. */
  static open(options: {
    file: string;
    config: OperatorConfigSource;
    clock: Pick<Clock, 'now'>;
  }): OperatorAccess {
    const db = openOperatorDb(options.file, (db) => {
      migrateAudit(db);
      db.exec(`
        CREATE TABLE IF NOT EXISTS pin_pad (
          id INTEGER PRIMARY KEY CHECK (id = 1),
          wrong_in_row INTEGER NOT NULL,
          lockouts INTEGER NOT NULL,
          locked_at INTEGER,
          locked_until INTEGER
        );
        INSERT OR IGNORE INTO pin_pad (id, wrong_in_row, lockouts) VALUES (1, 0, 0);
      `);
    });
    return new OperatorAccess(db, options.config, options.clock);
  }

  close(): void {
    this.#db.close();
  }

  /**
   * One try at the pad. While it is locked the PIN is not even compared (a guess then tells
   * nothing). Written with its audit row in one transaction before the answer is given, so a
   * guesser who pulls the plug after each wrong PIN still loses the attempt.
   */
  check(pin: string): PinCheck {
    return this.#db
      .transaction(() => {
        const now = this.#clock.now();
        const pad = this.#pad(now);
        if (pad.locked_until !== null && now < pad.locked_until) {
          this.#attempt(now, null, 'refused-locked');
          return { ok: false, attemptsLeft: 0, lockedUntil: pad.locked_until } as const;
        }
        const opened = this.#match(pin);
        if (opened) {
          this.#setPad({ wrong_in_row: 0, lockouts: 0, locked_at: null, locked_until: null });
          this.#attempt(now, opened.role, opened.demo ? 'demo-pin' : 'ok');
          return {
            ok: true,
            role: opened.role,
            mustChangePin: opened.demo && onRealHardware(this.#config.current()),
          } as const;
        }
        const wrong = pad.wrong_in_row + 1;
        if (wrong < wrongPinsBeforeLock) {
          this.#setPad({ ...pad, wrong_in_row: wrong });
          this.#attempt(now, null, 'wrong');
          return { ok: false, attemptsLeft: wrongPinsBeforeLock - wrong, lockedUntil: null } as const;
        }
        const lockouts = pad.lockouts + 1;
        const lockedUntil = now + lockDelay(lockouts);
        this.#setPad({ wrong_in_row: 0, lockouts, locked_at: now, locked_until: lockedUntil });
        this.#attempt(now, null, 'locked-out');
        return { ok: false, attemptsLeft: 0, lockedUntil } as const;
      })
      .immediate();
  }

  /** The pad as it stands: wrong PINs since the last lock or right PIN, and the lock if any. */
  padState(): { attemptsLeft: number; lockedUntil: number | null } {
    const now = this.#clock.now();
    const pad = this.#pad(now);
    const locked = pad.locked_until !== null && now < pad.locked_until;
    return locked
      ? { attemptsLeft: 0, lockedUntil: pad.locked_until }
      : { attemptsLeft: wrongPinsBeforeLock - pad.wrong_in_row, lockedUntil: null };
  }

  /**
   * Sets `role`'s PIN: hashed, written atomically into the unit's config file (the config
   * store's temp file, fsync and rename) and current at once, no reload needed. `by` is who is
   * signed in: an operator changes only the operator PIN. Audited without the PIN or its hash.
   */
  changePin(role: OperatorRole, newPin: string, by: OperatorRole = role): void {
    if (by === 'operator' && role === 'technician')
      throw new OperatorError('not-allowed', 'an operator cannot change the technician PIN');
    const other = this.#config.current().operator.pins[role === 'operator' ? 'technician' : 'operator'];
    const problem = newPinProblem(newPin, other);
    if (problem) throw new OperatorError('pin-invalid', `the new ${role} PIN is refused: ${problem}`);
    const hash = hashSecret(newPin);
    this.#config.update((draft) => {
      draft.operator = operatorWithPin(draft.operator, role, hash);
    });
    this.audit({ role: by, action: 'pin-changed', subject: role });
  }

  /** Records an operator action (who, what, old → new) in the append-only audit. */
  audit(entry: AuditInput): AuditEntry {
    return appendAudit(this.#db, this.#clock.now(), entry);
  }

  /** The newest `n` audit entries, newest first, for the operator's screens. */
  recentAudit(n: number): AuditEntry[] {
    return readAudit(this.#db, n);
  }

  /** The role `pin` opens. The technician's PIN is tried first: it has every right. */
  #match(pin: string): { role: OperatorRole; demo: boolean } | null {
    // Only digits are PINs: a pasted megabyte is not fed to scrypt.
    if (!/^\d{4,12}$/.test(pin)) return null;
    const { operator, technician } = this.#config.current().operator.pins;
    if (technician && verifySecret(pin, technician)) return { role: 'technician', demo: false };
    if (operator && verifySecret(pin, operator)) return { role: 'operator', demo: false };
    // The demo PIN opens only a unit that has no PIN at all: once one role has a PIN of its
    // own, 0000 must not leave the other (the technician's!) open.
    if (!operator && !technician && pin === demoPin) return { role: 'technician', demo: true };
    return null;
  }

  /**
   * The pad's row. A wall clock stepped back (a dead RTC battery, NTP) under a lock would stretch
   * it by the step: a lock that began "in the future" is taken to begin now, so it lasts its own
   * delay at most once more, never days.
   */
  #pad(now: number): PadRow {
    const pad = this.#db.prepare('SELECT * FROM pin_pad WHERE id = 1').get() as PadRow;
    if (pad.locked_at === null || pad.locked_until === null || now >= pad.locked_at) return pad;
    // Written back: recomputed on every read, the lock would keep moving with the clock.
    const moved = { ...pad, locked_at: now, locked_until: now + lockDelay(Math.max(1, pad.lockouts)) };
    this.#setPad(moved);
    return moved;
  }

  #setPad(pad: PadRow): void {
    this.#db
      .prepare(
        'UPDATE pin_pad SET wrong_in_row = ?, lockouts = ?, locked_at = ?, locked_until = ? WHERE id = 1',
      )
      .run(pad.wrong_in_row, pad.lockouts, pad.locked_at, pad.locked_until);
  }

  #attempt(at: number, role: OperatorRole | null, result: PinAttemptResult): void {
    appendAudit(this.#db, at, { role, action: 'pin-entry', result });
  }
}

/**
 * A booth on any device that is not simulated (or absent) is a real unit in a public place: the
 * demo PIN there must be changed before anything else. A demo on simulated hardware keeps 0000.
 */
export function onRealHardware(config: BoothConfig): boolean {
  const { camera, payment, photoPrinter, receiptPrinter, hopper } = config.hardware;
  return [camera, payment, photoPrinter, receiptPrinter, hopper].some(
    (device) => device.adapter !== 'simulated' && device.adapter !== 'none',
  );
}
