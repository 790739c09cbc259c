import { mkdirSync, readdirSync, readFileSync, rmSync, unlinkSync } from 'node:fs';
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { syncDir, writeFileAtomic } from '../../../config/durable-file.ts';
import type { Clock } from '../../../core/clock.ts';
import type { PhotoPurpose, PhotoStore, SessionKeep } from '../photo-store/photo-store.ts';
import { parseReceiptCode } from '../../../core/receipt-code.ts';
import { FileKeyProvider, masterKeyState, replaceKeyFile, type KeyProvider } from './key-provider.ts';
import { open, seal } from './sealed-box.ts';
import { SealedRecords } from './sealed-records.ts';
import { refuseDestroyedVault } from './vault-destroy.ts';
import { VaultIndex, type VaultSessionRow } from './vault-index.ts';
import { asWriteError, VaultError } from './vault-error.ts';

const dayMs = 24 * 60 * 60 * 1000;
/** Marks a session that ended with nothing to keep while a message of it still waited. */
const wipeWhenSentNote = 'wipe-when-sent';

export interface PhotoVaultOptions {
  /** The vault folder (`<data dir>/vault`). */
  dir: string;
  clock: Clock;
  retentionDays: number;
  keys?: KeyProvider;
  /** Sessions from `kiosk simulate` are marked, so status can tell demo data from customers'. */
  simulated?: boolean;
}

export interface WipeResult {
  sessions: number;
  items: number;
  bytes: number;
}

/**
 * The encrypted store for everything personal: stills, kept frames, sheets, digital files and
 * email addresses. Each session has a random AES-256 data key, wrapped by the device master key;
 * each item is sealed with AES-256-GCM into a randomly named file. Deleting a session destroys
 * its wrapped key first (a synced commit), then the files, then the rows, so a crash at any
 * point leaves nothing readable, and `resumeShredding()` finishes the job on the next start.
 */
export class PhotoVault implements PhotoStore {
  readonly index: VaultIndex;
  readonly #o: PhotoVaultOptions;
  readonly #keys: KeyProvider;
  readonly #blobs: string;
  readonly #scratch: string;
  /** Email addresses and their messages, each under its own key (sealed-records.ts). */
  readonly records: SealedRecords;

  constructor(options: PhotoVaultOptions) {
    refuseDestroyedVault(options.dir);
    this.#o = options;
    mkdirSync(options.dir, { recursive: true, mode: 0o700 });
    this.#blobs = join(options.dir, 'blobs');
    this.#scratch = join(options.dir, 'scratch');
    mkdirSync(this.#blobs, { recursive: true, mode: 0o700 });
    mkdirSync(this.#scratch, { recursive: true, mode: 0o700 });
    this.index = new VaultIndex(join(options.dir, 'index.sqlite'));
    try {
      this.#keys = options.keys ?? this.#openMasterKey();
    } catch (error) {
      this.index.close();
      throw error;
    }
    this.records = new SealedRecords({
      index: this.index,
      keys: this.#keys,
      clock: options.clock,
      sessionKey: (sessionId) => this.#dataKey(this.#liveSession(sessionId)),
    });
  }

  /**
   * The master key; made only while the vault holds nothing sealed (its first start). A key that
   * goes missing later is refused loudly rather than replaced, which would make every stored
   * photo, owed prints included, unreadable without a word.
   */
  #openMasterKey(): KeyProvider {
    const sessions = this.index.stats().sessions;
    const files = readdirSync(this.#blobs).length;
    return FileKeyProvider.open(masterKeyFile(this.#o.dir), {
      create: sessions === 0 && files === 0,
      refusal:
        `the vault master key ${masterKeyFile(this.#o.dir)} is missing, but the vault holds ${sessions} sessions ` +
        `(${files} sealed files) that only that key can read. Restore the key from your backup, or run ` +
        '`kiosk vault reset-key` to shred what can no longer be read and start a new key.',
    });
  }

  /**
   * After the master key is lost: crypto-shreds every session (nothing sealed with the old key
   * can be read any more), removes stray files, and writes a new key; audited. Refuses while the
   * key is there and readable: then nothing is lost and there is nothing to reset.
   */
  static resetKey(options: Omit<PhotoVaultOptions, 'keys'>): WipeResult {
    const file = masterKeyFile(options.dir);
    const state = masterKeyState(file);
    if (state.state === 'ok') {
      state.key.fill(0);
      throw new VaultError(
        'master-key-present',
        `the vault master key ${file} is present and readable: nothing to reset`,
      );
    }
    const vault = new PhotoVault({ ...options, keys: lostKey });
    try {
      const ids = vault.index.sessionIdsWhere('1 = 1');
      const result = vault.wipe(
        ids,
        'key-reset',
        'the master key was lost: what it sealed can no longer be read',
      );
      vault.sweepStrays();
      replaceKeyFile(file);
      vault.index.addAudit({
        at: options.clock.now(),
        action: 'key-created',
        sessions: 0,
        items: 0,
        bytes: 0,
        reason: `a new master key after a reset (${state.state === 'missing' ? 'the old one was missing' : 'the old one was unreadable'})`,
      });
      return result;
    } finally {
      vault.close();
    }
  }

  /** Opens the vault and finishes whatever a crash interrupted: shreds, half-written files. */
  static open(options: PhotoVaultOptions): PhotoVault {
    const vault = new PhotoVault(options);
    vault.resumeShredding();
    vault.sweepStrays();
    // A record shredded just before a crash may still sit in the WAL's older pages.
    vault.index.scrub();
    return vault;
  }

  close(): void {
    this.index.close();
  }

  /** Applies to sessions begun from now on (a config reload changes it). */
  setRetentionDays(days: number): void {
    this.#o.retentionDays = days;
  }

  get dir(): string {
    return this.#o.dir;
  }

  async beginSession(sessionId: string, options: { receiptCode: string }): Promise<void> {
    const now = this.#o.clock.now();
    const dataKey = randomBytes(32);
    try {
      this.index.insertSession({
        id: sessionId,
        created: now,
        expires: now + this.#o.retentionDays * dayMs,
        wrappedKey: this.#keys.wrapKey(dataKey, sessionId),
        receipt: this.#keys.fingerprint(normalisedCode(options.receiptCode)),
        simulated: this.#o.simulated ?? false,
      });
    } catch (error) {
      throw asWriteError(error, 'a new session');
    } finally {
      dataKey.fill(0);
    }
  }

  async put(sessionId: string, purpose: PhotoPurpose, data: Buffer): Promise<string> {
    const session = this.#liveSession(sessionId);
    const id = randomUUID();
    const file = randomBytes(16).toString('hex');
    const key = this.#dataKey(session);
    let sealed: Buffer;
    try {
      sealed = seal(key, data, aad(id, sessionId, purpose));
    } finally {
      key.fill(0);
    }
    try {
      // A simulated session's file (a demo portrait, sealed) is not synced: see VaultIndex.
      writeFileAtomic(join(this.#blobs, file), sealed, 0o600, { sync: session.simulated !== 1 });
      this.index.insertItem({
        id,
        session_id: sessionId,
        purpose,
        file,
        bytes: sealed.length,
        created: this.#o.clock.now(),
        expires: session.expires,
      });
    } catch (error) {
      rmSync(join(this.#blobs, file), { force: true });
      throw asWriteError(error, `a ${purpose}`);
    }
    return id;
  }

  async get(itemId: string): Promise<Buffer> {
    const item = this.index.item(itemId);
    if (!item)
      throw new VaultError('not-found', `item ${itemId} is not in the vault (deleted or never stored)`);
    const session = this.#liveSession(item.session_id);
    let sealed: Buffer;
    try {
      sealed = readFileSync(join(this.#blobs, item.file));
    } catch (error) {
      throw new VaultError('not-found', `the file of item ${itemId} is missing from the vault`, {
        cause: error,
      });
    }
    const key = this.#dataKey(session);
    try {
      return open(key, sealed, aad(item.id, item.session_id, item.purpose));
    } finally {
      key.fill(0);
    }
  }

  async list(sessionId: string, purpose?: PhotoPurpose): Promise<string[]> {
    return this.index
      .items(sessionId)
      .filter((i) => !purpose || i.purpose === purpose)
      .map((i) => i.id);
  }

  async endSession(sessionId: string, keep: SessionKeep): Promise<void> {
    if (!this.index.session(sessionId)) return;
    if (keep === 'wipe' && this.records.list().some((r) => r.session_id === sessionId)) {
      // A digital copy still waits for the mail server: wiping now would shred it unsent. The
      // outbox wipes the session once its last message is sent or its lifetime ends.
      this.index.setSessionState(sessionId, 'kept');
      this.index.setSessionNote(sessionId, wipeWhenSentNote, '1');
    } else if (keep === 'wipe') this.shred(sessionId, 'session-end', 'session ended with nothing to keep');
    else this.index.setSessionState(sessionId, 'kept');
  }

  /** Wipes a session that ended with nothing to keep once no message of it waits any more. */
  wipeIfMessagesDone(sessionId: string): boolean {
    if (this.index.sessionNote(sessionId, wipeWhenSentNote) !== '1') return false;
    if (this.records.list().some((r) => r.session_id === sessionId)) return false;
    this.shred(sessionId, 'session-end', 'session ended with nothing to keep; its messages went first');
    return true;
  }

  async deleteSession(sessionId: string, reason: string): Promise<void> {
    this.shred(sessionId, 'delete', reason);
  }

  async count(): Promise<number> {
    return this.index.stats().items;
  }

  /** The session a receipt code belongs to, if it is still in the vault. */
  sessionForReceipt(typed: string): string | null {
    const code = parseReceiptCode(typed);
    if (!code) return null;
    return this.index.sessionByReceipt(this.#keys.fingerprint(code))?.id ?? null;
  }

  /** Sessions whose retention has run out at `now` (ended or not: retention is a promise). */
  expiredSessions(now: number): string[] {
    return this.index.sessionIdsWhere(`expires <= ?`, now);
  }

  /** Sessions not ended: at start-up, those are what a crash cut off. */
  openSessions(): string[] {
    return this.index.sessionIdsWhere(`state = 'open'`);
  }

  /** Ended sessions created at or before `cutoff` (an operator's `wipe --older-than`). */
  endedSessionsCreatedBy(cutoff: number): string[] {
    return this.index.sessionIdsWhere(`created <= ? AND state != 'open'`, cutoff);
  }

  /** Crypto-shreds sessions: key, then files, then rows; one audit line per session. */
  wipe(sessionIds: readonly string[], action: string, reason: string): WipeResult {
    const total: WipeResult = { sessions: 0, items: 0, bytes: 0 };
    for (const id of sessionIds) {
      const done = this.shred(id, action, reason);
      total.sessions += done.sessions;
      total.items += done.items;
      total.bytes += done.bytes;
    }
    return total;
  }

  shred(sessionId: string, action: string, reason: string): WipeResult {
    if (!this.index.session(sessionId)) return { sessions: 0, items: 0, bytes: 0 };
    this.index.destroyKey(sessionId);
    return this.#finishShred(sessionId, action, reason);
  }

  /** Finishes shreds a crash interrupted: their keys are already gone, files and rows follow. */
  resumeShredding(): number {
    const pending = this.index.sessionIdsWhere(`state = 'shredding'`);
    // A crash between destroying a key and scrubbing the log leaves the key in the WAL.
    if (pending.length > 0) this.index.scrub();
    for (const id of pending)
      this.#finishShred(id, 'resume-shred', 'a wipe was interrupted; finished at start-up');
    return pending.length;
  }

  /** Removes sealed files no row points to (a crash between writing and indexing) and scratch files. */
  sweepStrays(): number {
    const known = this.index.allFiles();
    let removed = 0;
    for (const name of readdirSync(this.#blobs)) {
      if (!known.has(name)) {
        rmSync(join(this.#blobs, name), { force: true });
        removed++;
      }
    }
    for (const name of readdirSync(this.#scratch))
      rmSync(join(this.#scratch, name), { force: true, recursive: true });
    return removed;
  }

  /**
   * Lends plain data to a library that insists on a file path: the file lives inside the vault's
   * scratch folder (never /tmp) only while `use` runs.
   */
  async withScratchFile<T>(data: Buffer, extension: string, use: (path: string) => Promise<T>): Promise<T> {
    const path = join(this.#scratch, `${randomBytes(16).toString('hex')}${extension}`);
    writeFileAtomic(path, data);
    try {
      return await use(path);
    } finally {
      rmSync(path, { force: true });
    }
  }

  #finishShred(sessionId: string, action: string, reason: string): WipeResult {
    const items = this.index.items(sessionId);
    for (const item of items) {
      try {
        unlinkSync(join(this.#blobs, item.file));
      } catch (error) {
        if ((error as { code?: string }).code !== 'ENOENT') throw error;
      }
    }
    // Its key is gone already; a simulated session's unlinks need not outlive a power cut.
    if (!this.index.isSimulated(sessionId)) syncDir(this.#blobs);
    const bytes = items.reduce((n, i) => n + i.bytes, 0);
    this.index.forgetSession(sessionId, {
      at: this.#o.clock.now(),
      action,
      sessions: 1,
      items: items.length,
      bytes,
      reason,
    });
    return { sessions: 1, items: items.length, bytes };
  }

  #liveSession(sessionId: string): VaultSessionRow {
    const session = this.index.session(sessionId);
    if (!session) throw new VaultError('no-session', `session ${sessionId} has no compartment in the vault`);
    if (!session.wrapped_key) throw new VaultError('key-destroyed', `session ${sessionId} is being deleted`);
    return session;
  }

  #dataKey(session: VaultSessionRow): Buffer {
    return this.#keys.unwrapKey(session.wrapped_key!, session.id);
  }
}

function masterKeyFile(dir: string): string {
  return join(dir, 'master.key');
}

/** Stands in for a lost key while its sessions are shredded: shredding needs no key. */
const lostKey: KeyProvider = {
  wrapKey: () => {
    throw new VaultError('master-key-missing', 'the master key is being reset');
  },
  unwrapKey: () => {
    throw new VaultError('master-key-missing', 'the master key is being reset');
  },
  fingerprint: () => {
    throw new VaultError('master-key-missing', 'the master key is being reset');
  },
};

function aad(itemId: string, sessionId: string, purpose: string): string {
  return `item:${itemId}|session:${sessionId}|purpose:${purpose}`;
}

function normalisedCode(code: string): string {
  const parsed = parseReceiptCode(code);
  if (!parsed) throw new VaultError('not-found', 'not a receipt code');
  return parsed;
}
