import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ownerOnlyFile } from '../../core/owner-only-file.ts';
import { CreditJournal } from '../../app/money/credit-journal.ts';
import { VaultIndex } from '../../app/services/vault/vault-index.ts';
import { DataDirLock } from '../../app/host/data-dir-lock.ts';

let dir: string;
let umask: number;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'owner-only-'));
  // The worst case: a world-writable data directory and no umask at all.
  chmodSync(dir, 0o777);
  umask = process.umask(0);
});
afterEach(() => {
  process.umask(umask);
  rmSync(dir, { recursive: true, force: true });
});

const modeOf = (file: string) => statSync(file).mode & 0o777;

describe('owner-only files', () => {
  it('the journal, the vault index and the lock (with their -wal and -shm files) are 0600', async () => {
    const journal = CreditJournal.open(join(dir, 'journal.sqlite'));
    journal.recordInserted({
      sessionId: 's',
      ref: 'r:1',
      deviceId: 'd',
      amount: 100,
      currency: 'EUR',
      channel: 'coin',
    });
    const index = new VaultIndex(join(dir, 'vault', 'index.sqlite'));
    const lock = DataDirLock.acquire(dir, 'test');
    try {
      const files = [
        ...readdirSync(dir).filter((f) => f.startsWith('journal.sqlite') || f === 'booth.lock'),
        ...readdirSync(join(dir, 'vault')).map((f) => join('vault', f)),
      ];
      expect(files).toEqual(
        expect.arrayContaining(['journal.sqlite', 'journal.sqlite-wal', 'vault/index.sqlite', 'booth.lock']),
      );
      for (const file of files) expect([file, modeOf(join(dir, file))]).toEqual([file, 0o600]);
    } finally {
      lock.release();
      index.close();
      journal.close();
    }
  });

  it('tightens an existing 0644 file, and refuses a symlink in its place', () => {
    const file = join(dir, 'journal.sqlite');
    writeFileSync(file, '', { mode: 0o644 });
    ownerOnlyFile(file);
    expect(modeOf(file)).toBe(0o600);
    const target = join(dir, 'elsewhere');
    writeFileSync(target, 'x', { mode: 0o644 });
    symlinkSync(target, join(dir, 'link.sqlite'));
    expect(() => ownerOnlyFile(join(dir, 'link.sqlite'))).toThrow(/ELOOP/);
    expect(modeOf(target)).toBe(0o644);
  });
});
