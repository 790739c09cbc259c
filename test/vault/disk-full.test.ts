import { readdirSync } from 'node:fs';
import type * as fsModule from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { newReceiptCode } from '../../core/receipt-code.ts';
import { PhotoVault } from '../../app/services/vault/photo-vault.ts';
import { SimClock } from '../../core/sim-clock.ts';
import { expectVaultError, fakeJpeg, tempDir } from './vault-test-kit.ts';

/**
 * The disk fills up under the vault: writeSync / fsyncSync of node:fs fail the way Linux fails
 * them (ENOSPC, EDQUOT), as the module every vault file imports sees them.
 */
const disk = vi.hoisted(() => ({
  /** Errno code the next writes fail with, or null for a healthy disk. */
  writeFails: null as string | null,
  /** Bytes a write may still take before the disk is full (a short write, then the error). */
  writeRoom: 0,
  fsyncFails: null as string | null,
  writes: 0,
}));

vi.mock('node:fs', async (importOriginal) => {
  const actual = await importOriginal<typeof fsModule>();
  const fail = (code: string, call: string) =>
    Object.assign(new Error(`${code}: no space left on device, ${call}`), { code, syscall: call });
  const writeSync = ((fd: number, buffer: Buffer, offset?: number, length?: number) => {
    disk.writes++;
    if (disk.writeFails) {
      if (disk.writeRoom > 0) {
        const start = offset ?? 0;
        const n = Math.min(disk.writeRoom, length ?? buffer.length - start);
        disk.writeRoom -= n;
        return actual.writeSync(fd, buffer, start, n);
      }
      throw fail(disk.writeFails, 'write');
    }
    return actual.writeSync(fd, buffer, offset, length);
  }) as typeof actual.writeSync;
  const fsyncSync = ((fd: number) => {
    if (disk.fsyncFails) throw fail(disk.fsyncFails, 'fsync');
    return actual.fsyncSync(fd);
  }) as typeof actual.fsyncSync;
  return { ...actual, default: { ...actual, writeSync, fsyncSync }, writeSync, fsyncSync };
});

let root: string;
let cleanup: () => void;
const vaults: PhotoVault[] = [];

beforeEach(() => {
  ({ dir: root, cleanup } = tempDir('full'));
  Object.assign(disk, { writeFails: null, writeRoom: 0, fsyncFails: null, writes: 0 });
});

afterEach(() => {
  Object.assign(disk, { writeFails: null, writeRoom: 0, fsyncFails: null });
  for (const vault of vaults.splice(0)) vault.close();
  cleanup();
});

function openVault(): PhotoVault {
  const vault = PhotoVault.open({ dir: join(root, 'vault'), clock: new SimClock(), retentionDays: 7 });
  vaults.push(vault);
  return vault;
}

const blobNames = () => readdirSync(join(root, 'vault', 'blobs'));

describe('PhotoVault: disk full while storing a capture', () => {
  it('the mock reaches the vault (a healthy put writes through it)', async () => {
    const vault = openVault();
    await vault.beginSession('s1', { receiptCode: 'ABCDE-12345' });
    const before = disk.writes;
    await vault.put('s1', 'still', fakeJpeg('x'));
    expect(disk.writes).toBeGreaterThan(before);
  });

  type Fault = { writeFails?: string; writeRoom?: number; fsyncFails?: string };
  it.each<[string, Fault]>([
    ['write fails at once (ENOSPC)', { writeFails: 'ENOSPC', writeRoom: 0 }],
    ['a short write, then ENOSPC', { writeFails: 'ENOSPC', writeRoom: 700 }],
    ['the quota runs out (EDQUOT)', { writeFails: 'EDQUOT', writeRoom: 0 }],
    ['fsync fails (ENOSPC)', { fsyncFails: 'ENOSPC' }],
  ])(
    '%s: a "disk-full" error, no file left, nothing indexed; the session goes on once there is room',
    async (_what, fault) => {
      const vault = openVault();
      await vault.beginSession('s1', { receiptCode: 'ABCDE-12345' });
      const kept = await vault.put('s1', 'still', fakeJpeg('BEFORE'));
      const before = blobNames();

      Object.assign(disk, fault);
      const error = await expectVaultError(() => vault.put('s1', 'still', fakeJpeg('DURING')), 'disk-full');
      expect(error.message).toMatch(/disk is full/);
      expect(error.message).toContain('still');
      expect((error.cause as { code?: string }).code).toBe(fault.writeFails ?? fault.fsyncFails);
      expect(blobNames()).toEqual(before);
      expect(await vault.list('s1')).toEqual([kept]);
      expect(await vault.count()).toBe(1);

      Object.assign(disk, { writeFails: null, writeRoom: 0, fsyncFails: null });
      const after = fakeJpeg('AFTER');
      const id = await vault.put('s1', 'still', after);
      expect((await vault.get(id)).equals(after)).toBe(true);
      expect(await vault.list('s1')).toEqual([kept, id]);
      expect(blobNames()).toHaveLength(2);
    },
  );

  it('the index full (SQLITE_FULL) while storing: "disk-full", and the sealed file is removed again', async () => {
    const vault = openVault();
    await vault.beginSession('s1', { receiptCode: 'ABCDE-12345' });
    const db = vault.index.db;
    const pages = db.pragma('page_count', { simple: true }) as number;
    // SQLite reports SQLITE_FULL once the file may not grow: the same error as a full disk.
    db.pragma(`max_page_count = ${pages}`);
    let error;
    for (let i = 0; i < 200 && !error; i++) {
      try {
        await vault.put('s1', 'email', Buffer.from(`x${i}@example.org`.repeat(50)));
      } catch (e) {
        error = e;
      }
    }
    expect(error).toBeDefined();
    expect(error).toMatchObject({ name: 'VaultError', code: 'disk-full' });
    expect((error as Error).message).toContain('email');
    // Every file on disk belongs to an indexed item: the one that could not be indexed is gone.
    expect(blobNames().sort()).toEqual([...vault.index.allFiles()].sort());
    // Opening sessions until the index cannot take another: that one is refused as "disk-full".
    let refused: unknown;
    let n = 0;
    for (; n < 2_000 && !refused; n++) {
      try {
        await vault.beginSession(`more-${n}`, { receiptCode: newReceiptCode() });
      } catch (e) {
        refused = e;
      }
    }
    expect(refused).toMatchObject({ name: 'VaultError', code: 'disk-full' });
    expect(vault.index.session(`more-${n - 1}`)).toBeUndefined();
  });

  it('a master key that could not be written (disk full at first start) does not block the next start', async () => {
    disk.writeFails = 'ENOSPC';
    expect(() =>
      PhotoVault.open({ dir: join(root, 'vault'), clock: new SimClock(), retentionDays: 7 }),
    ).toThrow(/ENOSPC/);
    expect(readdirSync(join(root, 'vault'))).not.toContain('master.key');
    disk.writeFails = null;
    const vault = openVault();
    await vault.beginSession('s1', { receiptCode: 'ABCDE-12345' });
    const id = await vault.put('s1', 'still', fakeJpeg('x'));
    expect((await vault.get(id)).equals(fakeJpeg('x'))).toBe(true);
    expect(readdirSync(join(root, 'vault')).filter((f) => f.includes('.tmp'))).toEqual([]);
  });
});
