import { randomBytes, randomUUID } from 'node:crypto';
import type { Clock } from '../../../core/clock.ts';
import type { KeyProvider } from './key-provider.ts';
import { open, seal } from './sealed-box.ts';
import type { SealedRecordKind, SealedRecordRow, VaultIndex } from './vault-index.ts';

export type { SealedRecordKind, SealedRecordRow } from './vault-index.ts';
import { asWriteError, VaultError } from './vault-error.ts';

/**
 * Small personal records (an email address and the message to send to it) sealed in the vault
 * index itself, each with its own random AES-256 key. That key is wrapped by the session's data
 * key (a digital copy belongs to its session's compartment and goes with it) or, for a record
 * that must outlive a session wiped at its end (a contact request), by the master key.
 *
 * Why a key per record rather than the session's key: the address must be shredded the moment
 * the mail server accepts the message, while the session's photos stay for reprints until the
 * retention ends. Destroying the record's key (its row, with secure_delete, and the WAL
 * checkpointed) makes the record unreadable without touching the session.
 */
export class SealedRecords {
  readonly #index: VaultIndex;
  readonly #keys: KeyProvider;
  readonly #clock: Pick<Clock, 'now'>;
  readonly #sessionKey: (sessionId: string) => Buffer;

  constructor(parts: {
    index: VaultIndex;
    keys: KeyProvider;
    clock: Pick<Clock, 'now'>;
    /** The session's data key (a copy the caller zeroes). */
    sessionKey: (sessionId: string) => Buffer;
  }) {
    this.#index = parts.index;
    this.#keys = parts.keys;
    this.#clock = parts.clock;
    this.#sessionKey = parts.sessionKey;
  }

  /** Seals `data`; returns the record's random id. */
  seal(input: { sessionId: string | null; kind: SealedRecordKind; data: Buffer; expires: number }): string {
    const id = randomUUID();
    const recordKey = randomBytes(32);
    try {
      const wrapped = this.#wrap(id, input.sessionId, recordKey);
      const box = seal(recordKey, input.data, boxAad(id, input.kind));
      this.#index.insertRecord({
        id,
        session_id: input.sessionId,
        kind: input.kind,
        wrapped_key: wrapped,
        box,
        created: this.#clock.now(),
        expires: input.expires,
      });
    } catch (error) {
      throw asWriteError(error, `a ${input.kind} record`);
    } finally {
      recordKey.fill(0);
    }
    return id;
  }

  open(id: string): Buffer {
    const row = this.#index.recordWithBox(id);
    if (!row)
      throw new VaultError('not-found', `record ${id} is not in the vault (shredded or never stored)`);
    const recordKey = this.#unwrap(row.id, row.session_id, row.wrapped_key);
    try {
      return open(recordKey, row.box, boxAad(row.id, row.kind));
    } finally {
      recordKey.fill(0);
    }
  }

  get(id: string): SealedRecordRow | undefined {
    return this.#index.record(id);
  }

  list(kind?: SealedRecordKind): SealedRecordRow[] {
    return this.#index.records(kind);
  }

  /**
   * Crypto-shreds one record: its row (wrapped key and sealed box) is deleted with its audit
   * line in one synced commit, SQLite's secure_delete zeroes the freed cells, and the WAL is
   * checkpointed and emptied so no earlier page keeps the key. `reason` must hold nothing personal.
   */
  shred(id: string, action: string, reason: string): boolean {
    const row = this.#index.record(id);
    if (!row) return false;
    this.#index.forgetRecord(id, {
      at: this.#clock.now(),
      action,
      sessions: 0,
      items: 1,
      bytes: 0,
      reason,
    });
    this.#index.scrub();
    return true;
  }

  #wrap(id: string, sessionId: string | null, recordKey: Buffer): Buffer {
    if (sessionId === null) return this.#keys.wrapKey(recordKey, `record:${id}`);
    const sessionKey = this.#sessionKey(sessionId);
    try {
      return seal(sessionKey, recordKey, keyAad(id, sessionId));
    } finally {
      sessionKey.fill(0);
    }
  }

  #unwrap(id: string, sessionId: string | null, wrapped: Buffer): Buffer {
    if (sessionId === null) return this.#keys.unwrapKey(wrapped, `record:${id}`);
    const sessionKey = this.#sessionKey(sessionId);
    try {
      return open(sessionKey, wrapped, keyAad(id, sessionId));
    } finally {
      sessionKey.fill(0);
    }
  }
}

function keyAad(id: string, sessionId: string): string {
  return `record-key:${id}|session:${sessionId}`;
}

function boxAad(id: string, kind: string): string {
  return `record:${id}|kind:${kind}`;
}
