import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cliOn } from '../support/cli-in-process.ts';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PhotoVault } from '../../app/services/vault/photo-vault.ts';
import { SimClock } from '../../core/sim-clock.ts';
import { fakeJpeg, tempDir } from './vault-test-kit.ts';

let dataDir: string;
let cleanup: () => void;
const vaultDir = () => join(dataDir, 'vault');
const keyFile = () => join(vaultDir(), 'master.key');
const open = () => PhotoVault.open({ dir: vaultDir(), clock: new SimClock(), retentionDays: 7 });

beforeEach(() => {
  ({ dir: dataDir, cleanup } = tempDir('key-loss'));
  writeFileSync(join(dataDir, 'config.json'), JSON.stringify({ retention: { requireClockSync: false } }));
});
afterEach(() => cleanup());

const cli = (...args: string[]) => cliOn(dataDir, args);

/** A vault with one customer's session (a still and a print sheet), closed. */
async function vaultWithSession(): Promise<void> {
  const vault = open();
  await vault.beginSession('s1', { receiptCode: 'ABCDE-12345' });
  await vault.put('s1', 'still', fakeJpeg('STILL'));
  await vault.put('s1', 'print-sheet', fakeJpeg('SHEET'));
  await vault.endSession('s1', 'retain');
  vault.close();
}

describe('a lost master key is loud', () => {
  it('only a vault with nothing sealed makes a key (its first start)', () => {
    expect(existsSync(keyFile())).toBe(false);
    open().close();
    expect(readFileSync(keyFile())).toHaveLength(32);
  });

  it('a missing key with sessions in the vault is refused, and no new key is made', async () => {
    await vaultWithSession();
    rmSync(keyFile());
    expect(open).toThrow(
      expect.objectContaining({ name: 'VaultError', code: 'master-key-missing' }) as Error,
    );
    expect(open).toThrow(/holds 1 sessions .*Restore the key .*kiosk vault reset-key/s);
    expect(existsSync(keyFile())).toBe(false);
  });

  it('sealed files without an index row still count as sealed data', async () => {
    await vaultWithSession();
    rmSync(keyFile());
    rmSync(join(vaultDir(), 'index.sqlite'));
    rmSync(join(vaultDir(), 'index.sqlite-wal'), { force: true });
    expect(open).toThrow(/master key .* is missing/);
    expect(existsSync(keyFile())).toBe(false);
  });

  it('`kiosk vault status` says so and does not make a key; reset-key shreds, starts a new key and is audited', async () => {
    await vaultWithSession();
    const originalKey = readFileSync(keyFile());
    rmSync(keyFile());

    const status = await cli('vault', 'status');
    expect(status.code).not.toBe(0);
    expect(status.err).toMatch(/master key .* is missing/);
    expect(existsSync(keyFile())).toBe(false);

    const reset = await cli('vault', 'reset-key');
    expect(reset.code).toBe(0);
    expect(JSON.parse(reset.out)).toEqual({
      resetKey: true,
      shredded: { sessions: 1, items: 2, bytes: expect.any(Number) as number },
    });
    expect(readFileSync(keyFile())).toHaveLength(32);
    expect(readFileSync(keyFile()).equals(originalKey)).toBe(false);
    expect(readdirSync(join(vaultDir(), 'blobs'))).toEqual([]);

    const vault = open();
    try {
      expect(vault.index.stats().sessions).toBe(0);
      expect(vault.index.audit().map((a) => a.action)).toEqual(
        expect.arrayContaining(['key-reset', 'key-created']),
      );
      // The new key works.
      await vault.beginSession('s2', { receiptCode: 'FGHJK-67890' });
      const id = await vault.put('s2', 'still', fakeJpeg('NEW'));
      expect((await vault.get(id)).equals(fakeJpeg('NEW'))).toBe(true);
    } finally {
      vault.close();
    }
    expect((await cli('vault', 'status')).code).toBe(0);
  });

  it('reset-key refuses while the key is present: nothing is shredded', async () => {
    await vaultWithSession();
    const reset = await cli('vault', 'reset-key');
    expect(reset.code).not.toBe(0);
    expect(reset.err).toMatch(/present and readable: nothing to reset/);
    const vault = open();
    try {
      expect(vault.index.stats().sessions).toBe(1);
    } finally {
      vault.close();
    }
  });
});
