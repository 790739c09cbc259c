import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PhotoVault } from '../../app/services/vault/photo-vault.ts';
import { FileKeyProvider } from '../../app/services/vault/key-provider.ts';
import { SimClock } from '../../core/sim-clock.ts';
import {
  allPurposes,
  expectVaultError,
  fakeJpeg,
  filesContaining,
  filesUnder,
  jpegHeader,
  modeOf,
  tempDir,
} from './vault-test-kit.ts';

const dayMs = 24 * 60 * 60 * 1000;

let root: string;
let cleanup: () => void;
let vaultDir: string;
let clock: SimClock;
const vaults: PhotoVault[] = [];

beforeEach(() => {
  ({ dir: root, cleanup } = tempDir('pv'));
  vaultDir = join(root, 'vault');
  clock = new SimClock();
});

afterEach(() => {
  for (const vault of vaults.splice(0)) vault.close();
  cleanup();
});

function openVault(options: { retentionDays?: number } = {}): PhotoVault {
  const vault = PhotoVault.open({ dir: vaultDir, clock, retentionDays: options.retentionDays ?? 7 });
  vaults.push(vault);
  return vault;
}

function closeVault(vault: PhotoVault): void {
  vault.close();
  vaults.splice(vaults.indexOf(vault), 1);
}

const blobs = () => join(vaultDir, 'blobs');
const blobNames = () => readdirSync(blobs()).sort();
const fileOf = (vault: PhotoVault, itemId: string) => join(blobs(), vault.index.item(itemId)!.file);

/** A session with one item of every purpose; returns the item ids and what was stored. */
async function fullSession(vault: PhotoVault, receiptCode: string, sessionId: string = randomUUID()) {
  await vault.beginSession(sessionId, { receiptCode });
  const stored = new Map<string, Buffer>();
  for (const purpose of allPurposes) {
    const data =
      purpose === 'email'
        ? Buffer.from(`jane.doe+${sessionId.slice(0, 8)}@example.org`)
        : fakeJpeg(`PLAINTEXT-${purpose}-${sessionId}`);
    stored.set(await vault.put(sessionId, purpose, data), data);
  }
  return { sessionId, stored };
}

describe('PhotoVault: storing and reading', () => {
  it('gives back exactly what was stored, for every purpose, and lists it by purpose in order', async () => {
    const vault = openVault();
    const { sessionId, stored } = await fullSession(vault, 'ABCDE-12345');
    for (const [id, data] of stored) expect((await vault.get(id)).equals(data)).toBe(true);
    expect(await vault.list(sessionId)).toEqual([...stored.keys()]);
    for (const [i, purpose] of allPurposes.entries()) {
      expect(await vault.list(sessionId, purpose)).toEqual([[...stored.keys()][i]]);
    }
    expect(await vault.count()).toBe(allPurposes.length);
    // Still there, and still readable, after a restart.
    closeVault(vault);
    const again = openVault();
    for (const [id, data] of stored) expect((await again.get(id)).equals(data)).toBe(true);
  });

  it('stamps each session with its retention from the clock, and a new retention applies to new sessions', async () => {
    const vault = openVault({ retentionDays: 7 });
    await vault.beginSession('s1', { receiptCode: 'ABCDE-12345' });
    vault.setRetentionDays(2);
    await clock.advance(dayMs);
    await vault.beginSession('s2', { receiptCode: 'ABCDE-12346' });
    const start = new SimClock().now();
    expect(vault.index.session('s1')).toMatchObject({
      created: start,
      expires: start + 7 * dayMs,
      state: 'open',
    });
    expect(vault.index.session('s2')).toMatchObject({
      created: start + dayMs,
      expires: start + 3 * dayMs,
    });
    expect(vault.expiredSessions(start + 3 * dayMs - 1)).toEqual([]);
    expect(vault.expiredSessions(start + 3 * dayMs)).toEqual(['s2']);
    expect(vault.expiredSessions(start + 7 * dayMs)).toEqual(['s1', 's2']);
  });

  it('keeps files in random names, owner-only, with no plaintext and no JPEG header in them', async () => {
    const vault = openVault();
    const sessions = [await fullSession(vault, 'ABCDE-12345'), await fullSession(vault, 'FGHJK-67890')];
    const names = blobNames();
    expect(names).toHaveLength(2 * allPurposes.length);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^[0-9a-f]{32}$/);
    expect(modeOf(vaultDir)).toBe(0o700);
    expect(modeOf(blobs())).toBe(0o700);
    for (const { sessionId, stored } of sessions) {
      for (const [id, data] of stored) {
        const file = fileOf(vault, id);
        expect(modeOf(file)).toBe(0o600);
        expect(file).not.toContain(id);
        expect(file).not.toContain(sessionId);
        const bytes = readFileSync(file);
        expect(bytes.includes(data)).toBe(false);
      }
      // Nothing of the plaintext in any file of the vault (blobs, index, its WAL, the key).
      expect(filesContaining(vaultDir, `PLAINTEXT-still-${sessionId}`)).toEqual([]);
      expect(filesContaining(vaultDir, `jane.doe+${sessionId.slice(0, 8)}@example.org`)).toEqual([]);
    }
    expect(filesContaining(vaultDir, jpegHeader)).toEqual([]);
    expect(filesContaining(vaultDir, jpegHeader.subarray(0, 3))).toEqual([]);
    expect(filesContaining(vaultDir, 'JFIF')).toEqual([]);
  });

  it('keeps no receipt code in the index in any form a person would type, only a keyed fingerprint', async () => {
    const vault = openVault();
    // Typed sloppily at the booth: lower case, a space for the dash, O for 0, L for 1.
    await vault.beginSession('s1', { receiptCode: 'aob1c d2e3f' });
    await vault.put('s1', 'still', fakeJpeg('x'));
    const forms = ['A0B1C-D2E3F', 'A0B1CD2E3F', 'a0b1c-d2e3f', 'a0b1cd2e3f', 'AOB1C-D2E3F', 'aob1c d2e3f'];
    const search = () => {
      const files = readdirSync(vaultDir).filter((f) => f.startsWith('index.sqlite'));
      expect(files).toContain('index.sqlite');
      const hits: string[] = [];
      for (const f of files) {
        const bytes = readFileSync(join(vaultDir, f));
        for (const form of forms) {
          if (bytes.includes(Buffer.from(form))) hits.push(`${f}: ${form}`);
          if (bytes.includes(Buffer.from(form, 'utf16le'))) hits.push(`${f}: ${form} (utf-16)`);
        }
      }
      return { files, hits };
    };
    const live = search();
    expect(live.files).toContain('index.sqlite-wal');
    expect(live.hits).toEqual([]);
    const keys = FileKeyProvider.open(join(vaultDir, 'master.key'), { create: false });
    const row = vault.index.db.prepare('SELECT receipt FROM sessions WHERE id = ?').get('s1') as {
      receipt: string;
    };
    expect(row.receipt).toBe(keys.fingerprint('A0B1C-D2E3F'));
    closeVault(vault);
    expect(search().hits).toEqual([]);
  });

  it('finds a session by its receipt code however it is typed', async () => {
    const vault = openVault();
    await vault.beginSession('s1', { receiptCode: 'A0B1C-D2E3F' });
    await vault.beginSession('s2', { receiptCode: 'XYZ00-11111' });
    for (const typed of [
      'A0B1C-D2E3F',
      'a0b1c-d2e3f',
      'A0B1CD2E3F',
      'a0b1cd2e3f',
      'AOB1C-D2E3F',
      'aob1c-d2e3f',
    ]) {
      expect(vault.sessionForReceipt(typed), typed).toBe('s1');
    }
    expect(vault.sessionForReceipt(' xyzoo-LIIII ')).toBe('s2');
    expect(vault.sessionForReceipt('A0B1C-D2E3G')).toBeNull();
    expect(vault.sessionForReceipt('A0B1C-D2E3')).toBeNull();
    expect(vault.sessionForReceipt('U0B1C-D2E3F')).toBeNull();
    expect(vault.sessionForReceipt('')).toBeNull();
  });

  it('refuses a session without a valid receipt code, and items for sessions it does not have', async () => {
    const vault = openVault();
    await expectVaultError(() => vault.beginSession('s1', { receiptCode: 'not a code' }), 'not-found');
    expect(vault.index.session('s1')).toBeUndefined();
    await expectVaultError(() => vault.put('nope', 'still', fakeJpeg('x')), 'no-session');
    await expectVaultError(() => vault.get(randomUUID()), 'not-found');
    expect(blobNames()).toEqual([]);
  });
});

describe('PhotoVault: tampering is a clear error, never someone else’s photo', () => {
  it('a flipped byte in a sealed file is "tampered"', async () => {
    const vault = openVault();
    await vault.beginSession('s1', { receiptCode: 'ABCDE-12345' });
    const id = await vault.put('s1', 'still', fakeJpeg('FLIP'));
    const file = fileOf(vault, id);
    const bytes = readFileSync(file);
    bytes[bytes.length - 10] = bytes[bytes.length - 10]! ^ 0x80;
    writeFileSync(file, bytes);
    await expectVaultError(() => vault.get(id), 'tampered');
  });

  it('a truncated or missing file is an error, not a partial photo', async () => {
    const vault = openVault();
    await vault.beginSession('s1', { receiptCode: 'ABCDE-12345' });
    const a = await vault.put('s1', 'still', fakeJpeg('A'));
    const b = await vault.put('s1', 'still', fakeJpeg('B'));
    writeFileSync(fileOf(vault, a), readFileSync(fileOf(vault, a)).subarray(0, 100));
    await expectVaultError(() => vault.get(a), 'tampered');
    rmSync(fileOf(vault, b));
    await expectVaultError(() => vault.get(b), 'not-found');
  });

  it('files swapped between two items of a session are "tampered"', async () => {
    const vault = openVault();
    await vault.beginSession('s1', { receiptCode: 'ABCDE-12345' });
    const a = await vault.put('s1', 'still', fakeJpeg('ITEM-A'));
    const b = await vault.put('s1', 'still', fakeJpeg('ITEM-B'));
    const fa = readFileSync(fileOf(vault, a));
    const fb = readFileSync(fileOf(vault, b));
    writeFileSync(fileOf(vault, a), fb);
    writeFileSync(fileOf(vault, b), fa);
    await expectVaultError(() => vault.get(a), 'tampered');
    await expectVaultError(() => vault.get(b), 'tampered');
  });

  it('an item re-labelled with another purpose is "tampered"', async () => {
    const vault = openVault();
    await vault.beginSession('s1', { receiptCode: 'ABCDE-12345' });
    const a = await vault.put('s1', 'email', Buffer.from('jane@example.org'));
    vault.index.db.prepare(`UPDATE items SET purpose = 'still' WHERE id = ?`).run(a);
    await expectVaultError(() => vault.get(a), 'tampered');
  });

  it('a file copied from another session, or an item moved to another session, is "tampered"', async () => {
    const vault = openVault();
    await vault.beginSession('s1', { receiptCode: 'ABCDE-12345' });
    await vault.beginSession('s2', { receiptCode: 'FGHJK-67890' });
    const mine = await vault.put('s1', 'still', fakeJpeg('MINE'));
    const theirs = await vault.put('s2', 'still', fakeJpeg('THEIRS'));
    writeFileSync(fileOf(vault, mine), readFileSync(fileOf(vault, theirs)));
    await expectVaultError(() => vault.get(mine), 'tampered');
    // The row of s2's item pointed at s1: s1's key, s1 in the AAD, neither fits.
    vault.index.db.prepare(`UPDATE items SET session_id = 's1' WHERE id = ?`).run(theirs);
    await expectVaultError(() => vault.get(theirs), 'tampered');
  });

  it('a wrapped key copied from another session is "tampered"', async () => {
    const vault = openVault();
    await vault.beginSession('s1', { receiptCode: 'ABCDE-12345' });
    await vault.beginSession('s2', { receiptCode: 'FGHJK-67890' });
    const a = await vault.put('s1', 'still', fakeJpeg('A'));
    const key2 = vault.index.session('s2')!.wrapped_key;
    vault.index.db.prepare(`UPDATE sessions SET wrapped_key = ? WHERE id = 's1'`).run(key2);
    await expectVaultError(() => vault.get(a), 'tampered');
    await expectVaultError(() => vault.put('s1', 'still', fakeJpeg('B')), 'tampered');
  });
});

describe('PhotoVault: ending and deleting sessions', () => {
  it("endSession('retain') keeps a session readable; endSession('wipe') shreds it", async () => {
    const vault = openVault();
    const kept = await fullSession(vault, 'ABCDE-12345');
    const wiped = await fullSession(vault, 'FGHJK-67890');
    await vault.endSession(kept.sessionId, 'retain');
    await vault.endSession(wiped.sessionId, 'wipe');

    expect(vault.index.session(kept.sessionId)!.state).toBe('kept');
    for (const [id, data] of kept.stored) expect((await vault.get(id)).equals(data)).toBe(true);

    expect(vault.index.session(wiped.sessionId)).toBeUndefined();
    expect(await vault.list(wiped.sessionId)).toEqual([]);
    for (const id of wiped.stored.keys()) await expectVaultError(() => vault.get(id), 'not-found');
    expect(vault.sessionForReceipt('FGHJK-67890')).toBeNull();
    expect(blobNames()).toEqual([...vault.index.allFiles()].sort());
    expect(blobNames()).toHaveLength(allPurposes.length);
    expect(vault.index.audit()[0]).toMatchObject({ action: 'session-end', sessions: 1, items: 5 });

    // Ending an unknown or already-wiped session is a no-op.
    await vault.endSession(wiped.sessionId, 'wipe');
    await vault.endSession('never-began', 'retain');
    expect(vault.index.audit()).toHaveLength(1);
  });

  it('endedSessionsCreatedBy leaves open sessions alone; a deleted session cannot be read', async () => {
    const vault = openVault();
    const a = await fullSession(vault, 'ABCDE-12345', 'a');
    await fullSession(vault, 'FGHJK-67890', 'b');
    await vault.endSession('a', 'retain');
    expect(vault.endedSessionsCreatedBy(clock.now())).toEqual(['a']);
    await vault.deleteSession('a', 'customer asked');
    for (const id of a.stored.keys()) await expectVaultError(() => vault.get(id), 'not-found');
    expect(vault.index.audit()[0]).toMatchObject({ action: 'delete', reason: 'customer asked' });
  });

  it('shreds in order: once the key is destroyed nothing can be read though the files still exist, and the key is gone from disk', async () => {
    const vault = openVault();
    const { sessionId, stored } = await fullSession(vault, 'ABCDE-12345');
    const other = await fullSession(vault, 'FGHJK-67890');
    const wrapped = vault.index.session(sessionId)!.wrapped_key!;
    expect(filesContaining(vaultDir, wrapped).length).toBeGreaterThan(0);
    const files = [...stored.keys()].map((id) => fileOf(vault, id));

    // The first step of a shred, and a crash before the next.
    vault.index.destroyKey(sessionId);
    for (const file of files) expect(existsSync(file)).toBe(true);
    expect(vault.index.session(sessionId)).toMatchObject({ state: 'shredding', wrapped_key: null });
    for (const id of stored.keys()) await expectVaultError(() => vault.get(id), 'key-destroyed');
    await expectVaultError(() => vault.put(sessionId, 'still', fakeJpeg('late')), 'key-destroyed');
    // Crypto-shredding only holds if the wrapped key is not left in the index file or its WAL.
    expect(filesContaining(vaultDir, wrapped)).toEqual([]);
    closeVault(vault);

    // The restart finishes the job.
    const again = openVault();
    for (const file of files) expect(existsSync(file)).toBe(false);
    expect(again.index.session(sessionId)).toBeUndefined();
    expect(again.index.items(sessionId)).toEqual([]);
    for (const id of stored.keys()) await expectVaultError(() => again.get(id), 'not-found');
    expect(again.index.audit()[0]).toMatchObject({ action: 'resume-shred', sessions: 1, items: 5 });
    for (const [id, data] of other.stored) expect((await again.get(id)).equals(data)).toBe(true);
    expect(blobNames()).toEqual([...again.index.allFiles()].sort());
  });

  it('resumeShredding finishes a session left in "shredding" with some of its files already gone', async () => {
    const vault = openVault();
    const { sessionId, stored } = await fullSession(vault, 'ABCDE-12345');
    vault.index.destroyKey(sessionId);
    rmSync(fileOf(vault, [...stored.keys()][0]!));
    expect(vault.resumeShredding()).toBe(1);
    expect(vault.index.session(sessionId)).toBeUndefined();
    expect(blobNames()).toEqual([]);
    expect(vault.resumeShredding()).toBe(0);
  });

  it('the audit says what went and why, with no session id, receipt code or fingerprint', async () => {
    const vault = openVault();
    const keys = FileKeyProvider.open(join(vaultDir, 'master.key'), { create: false });
    const { sessionId } = await fullSession(vault, 'ABCDE-12345');
    const sealedBytes = filesUnder(blobs()).reduce((n, f) => n + statSync(f).size, 0);
    const found = vault.sessionForReceipt('abcde12345')!;
    expect(found).toBe(sessionId);
    const done = vault.shred(found, 'user-request-delete', 'deleted on request');
    expect(done).toEqual({ sessions: 1, items: 5, bytes: sealedBytes });
    const rows = vault.index.db.prepare('SELECT * FROM audit').all() as Record<string, unknown>[];
    expect(rows).toHaveLength(1);
    expect(Object.keys(rows[0]!).sort()).toEqual([
      'action',
      'at',
      'bytes',
      'id',
      'items',
      'reason',
      'sessions',
    ]);
    expect(rows[0]).toMatchObject({
      at: clock.now(),
      action: 'user-request-delete',
      sessions: 1,
      items: 5,
      bytes: sealedBytes,
      reason: 'deleted on request',
    });
    const text = JSON.stringify(rows);
    for (const secret of [sessionId, 'ABCDE-12345', 'ABCDE12345', keys.fingerprint('ABCDE-12345')]) {
      expect(text).not.toContain(secret);
    }
  });

  it('wipe shreds each listed session once and adds up what went', async () => {
    const vault = openVault();
    const a = await fullSession(vault, 'ABCDE-12345', 'a');
    await fullSession(vault, 'FGHJK-67890', 'b');
    const c = await fullSession(vault, 'MNPQR-67890', 'c');
    const bytesOf = (s: { stored: Map<string, Buffer> }) =>
      [...s.stored.keys()].reduce((n, id) => n + vault.index.item(id)!.bytes, 0);
    const expected = { sessions: 2, items: 10, bytes: bytesOf(a) + bytesOf(c) };
    expect(vault.wipe(['a', 'c', 'a', 'missing'], 'operator-wipe', 'test')).toEqual(expected);
    expect(vault.index.sessionIdsWhere('1 = 1')).toEqual(['b']);
    expect(vault.index.audit().map((r) => r.action)).toEqual(['operator-wipe', 'operator-wipe']);
  });
});

describe('PhotoVault: stray files and scratch files', () => {
  it('sweepStrays removes sealed files no row points to and everything in scratch, nothing else', async () => {
    const vault = openVault();
    const { stored } = await fullSession(vault, 'ABCDE-12345');
    const known = blobNames();
    writeFileSync(join(blobs(), 'deadbeefdeadbeefdeadbeefdeadbeef'), 'orphan: written, never indexed');
    writeFileSync(join(blobs(), 'cafebabecafebabecafebabecafebabe.tmp'), 'half written');
    writeFileSync(join(vaultDir, 'scratch', 'left.jpg'), fakeJpeg('SCRATCH'));
    mkdirSync(join(vaultDir, 'scratch', 'sub'));
    writeFileSync(join(vaultDir, 'scratch', 'sub', 'x'), 'x');

    expect(vault.sweepStrays()).toBe(2);
    expect(blobNames()).toEqual(known);
    expect(readdirSync(join(vaultDir, 'scratch'))).toEqual([]);
    for (const [id, data] of stored) expect((await vault.get(id)).equals(data)).toBe(true);
    expect(vault.sweepStrays()).toBe(0);
  });

  it('open() sweeps strays left by a crash', async () => {
    const vault = openVault();
    await fullSession(vault, 'ABCDE-12345');
    closeVault(vault);
    writeFileSync(join(blobs(), '0123456789abcdef0123456789abcdef'), 'orphan');
    writeFileSync(join(vaultDir, 'scratch', 'x.png'), 'plain');
    const again = openVault();
    expect(blobNames()).toEqual([...again.index.allFiles()].sort());
    expect(readdirSync(join(vaultDir, 'scratch'))).toEqual([]);
  });

  it('withScratchFile lends the data as a file inside vault/scratch, owner-only, and removes it after', async () => {
    const vault = openVault();
    const data = fakeJpeg('SCRATCH-LOAN');
    let seen = '';
    const result = await vault.withScratchFile(data, '.jpg', async (path) => {
      seen = path;
      expect(path.startsWith(join(vaultDir, 'scratch') + '/')).toBe(true);
      expect(path.endsWith('.jpg')).toBe(true);
      expect(readFileSync(path).equals(data)).toBe(true);
      expect(modeOf(path)).toBe(0o600);
      return 42;
    });
    expect(result).toBe(42);
    expect(seen).not.toBe('');
    expect(existsSync(seen)).toBe(false);
    expect(readdirSync(join(vaultDir, 'scratch'))).toEqual([]);
  });

  it('withScratchFile removes the file when the callback throws, and passes the error on', async () => {
    const vault = openVault();
    let seen = '';
    const failure = new Error('the library choked');
    await expect(
      vault.withScratchFile(fakeJpeg('x'), '.png', async (path) => {
        seen = path;
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(existsSync(seen)).toBe(false);
    expect(readdirSync(join(vaultDir, 'scratch'))).toEqual([]);
  });
});
