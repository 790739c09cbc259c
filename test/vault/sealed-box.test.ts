import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { open, seal } from '../../app/services/vault/sealed-box.ts';
import { FileKeyProvider } from '../../app/services/vault/key-provider.ts';
import { PhotoVault } from '../../app/services/vault/photo-vault.ts';
import { SimClock } from '../../core/sim-clock.ts';
import { expectVaultError, fakeJpeg, modeOf, tempDir } from './vault-test-kit.ts';

let dir: string;
let cleanup: () => void;
const vaults: PhotoVault[] = [];

beforeEach(() => {
  ({ dir, cleanup } = tempDir('box'));
});

afterEach(() => {
  for (const vault of vaults.splice(0)) vault.close();
  cleanup();
});

function openVault(vaultDir: string): PhotoVault {
  const vault = PhotoVault.open({ dir: vaultDir, clock: new SimClock(), retentionDays: 7 });
  vaults.push(vault);
  return vault;
}

// Layout of a box: [version 1 byte][iv 12][tag 16][ciphertext].
const ivAt = 1;
const tagAt = 13;
const bodyAt = 29;

describe('sealed box (AES-256-GCM)', () => {
  const key = randomBytes(32);
  const plaintext = fakeJpeg('SEALED-BOX-PLAINTEXT');
  const aad = 'item:i1|session:s1|purpose:still';

  it('opens what it sealed, and the box is version + iv + tag + ciphertext of the same length', () => {
    const box = seal(key, plaintext, aad);
    expect(box[0]).toBe(1);
    expect(box.length).toBe(1 + 12 + 16 + plaintext.length);
    expect(box.includes(Buffer.from('SEALED-BOX-PLAINTEXT'))).toBe(false);
    expect(open(key, box, aad).equals(plaintext)).toBe(true);
    expect(open(key, seal(key, Buffer.alloc(0), aad), aad).length).toBe(0);
  });

  it('uses a fresh nonce each time: the same photo sealed twice gives different boxes', () => {
    const a = seal(key, plaintext, aad);
    const b = seal(key, plaintext, aad);
    expect(a.subarray(ivAt, tagAt).equals(b.subarray(ivAt, tagAt))).toBe(false);
    expect(a.equals(b)).toBe(false);
  });

  it.each([
    ['version byte', 0],
    ['first iv byte', ivAt],
    ['last iv byte', tagAt - 1],
    ['first tag byte', tagAt],
    ['last tag byte', bodyAt - 1],
    ['first ciphertext byte', bodyAt],
    ['middle ciphertext byte', bodyAt + 1000],
    ['last ciphertext byte', -1],
  ])('a flipped %s is "tampered", never garbage', async (_what, at) => {
    const box = seal(key, plaintext, aad);
    const index = at < 0 ? box.length + at : at;
    box[index] = box[index]! ^ 0x01;
    await expectVaultError(() => open(key, box, aad), 'tampered');
  });

  it('a truncated, extended or empty box is "tampered"', async () => {
    const box = seal(key, plaintext, aad);
    await expectVaultError(() => open(key, box.subarray(0, box.length - 1), aad), 'tampered');
    await expectVaultError(() => open(key, Buffer.concat([box, Buffer.from([0])]), aad), 'tampered');
    await expectVaultError(() => open(key, box.subarray(0, 28), aad), 'tampered');
    await expectVaultError(() => open(key, Buffer.alloc(0), aad), 'tampered');
  });

  it('the wrong key is "tampered" and says it may be the wrong key', async () => {
    const error = await expectVaultError(
      () => open(randomBytes(32), seal(key, plaintext, aad), aad),
      'tampered',
    );
    expect(error.message).toMatch(/wrong key/);
  });

  it('a box opened under another item, session or purpose (its AAD) is "tampered"', async () => {
    const box = seal(key, plaintext, aad);
    for (const other of [
      'item:i2|session:s1|purpose:still',
      'item:i1|session:s2|purpose:still',
      'item:i1|session:s1|purpose:print-sheet',
      '',
    ]) {
      await expectVaultError(() => open(key, box, other), 'tampered');
    }
  });
});

describe('FileKeyProvider (the device master key)', () => {
  it('creates the key file owner-only (0600), 32 bytes, and reuses it on reopen', () => {
    const file = join(dir, 'master.key');
    const first = FileKeyProvider.open(file, { create: true });
    expect(statSync(file).size).toBe(32);
    expect(modeOf(file)).toBe(0o600);
    const keyBytes = readFileSync(file);
    const wrapped = first.wrapKey(Buffer.alloc(32, 7), 'session-1');

    const second = FileKeyProvider.open(file, { create: true });
    expect(readFileSync(file).equals(keyBytes)).toBe(true);
    expect(second.unwrapKey(wrapped, 'session-1').equals(Buffer.alloc(32, 7))).toBe(true);
    expect(second.fingerprint('ABCDE-12345')).toBe(first.fingerprint('ABCDE-12345'));
  });

  it.each([0, 31, 33, 64])(
    'a %i-byte key file is "master-key-unreadable", and the file is left alone',
    async (n) => {
      const file = join(dir, 'master.key');
      const bytes = randomBytes(n);
      writeFileSync(file, bytes);
      const error = await expectVaultError(
        () => FileKeyProvider.open(file, { create: true }),
        'master-key-unreadable',
      );
      expect(error.message).toContain(`${n} bytes, not 32`);
      expect(readFileSync(file).equals(bytes)).toBe(true);
    },
  );

  it('a key path that cannot be read is "master-key-unreadable"', async () => {
    const file = join(dir, 'master.key');
    mkdirSync(file);
    await expectVaultError(() => FileKeyProvider.open(file, { create: true }), 'master-key-unreadable');
  });

  it('a half-made key file left by a crash at first start does not stop the next start', () => {
    // createKeyFile writes `.master.key.<pid>.tmp` then renames it; a crash in between leaves it.
    // Under a PID namespace (a container) the next start often has the same pid.
    writeFileSync(join(dir, `.master.key.${process.pid}.tmp`), randomBytes(5));
    const keys = FileKeyProvider.open(join(dir, 'master.key'), { create: true });
    expect(statSync(join(dir, 'master.key')).size).toBe(32);
    expect(keys.unwrapKey(keys.wrapKey(Buffer.alloc(32, 1), 's'), 's').equals(Buffer.alloc(32, 1))).toBe(
      true,
    );
  });

  it('a wrapped key only unwraps for the session it was wrapped for, and only under its master key', async () => {
    const keys = FileKeyProvider.open(join(dir, 'a.key'), { create: true });
    const other = FileKeyProvider.open(join(dir, 'b.key'), { create: true });
    const wrapped = keys.wrapKey(randomBytes(32), 'session-a');
    await expectVaultError(() => keys.unwrapKey(wrapped, 'session-b'), 'tampered');
    await expectVaultError(() => other.unwrapKey(wrapped, 'session-a'), 'tampered');
  });

  it('the fingerprint is keyed: a different master key gives a different fingerprint', () => {
    const a = FileKeyProvider.open(join(dir, 'a.key'), { create: true });
    const b = FileKeyProvider.open(join(dir, 'b.key'), { create: true });
    expect(a.fingerprint('ABCDE-12345')).toMatch(/^[0-9a-f]{64}$/);
    expect(a.fingerprint('ABCDE-12345')).not.toBe(b.fingerprint('ABCDE-12345'));
    expect(a.fingerprint('ABCDE-12345')).not.toBe(a.fingerprint('ABCDE-12346'));
    // Not a plain hash of the code either.
    expect(a.fingerprint('ABCDE-12345')).not.toBe(createHash('sha256').update('ABCDE-12345').digest('hex'));
  });
});

describe('a vault under another master key', () => {
  it('cannot read the first vault’s items: a clear error, not garbage', async () => {
    const first = openVault(join(dir, 'first'));
    await first.beginSession('s1', { receiptCode: 'ABCDE-12345' });
    const photo = fakeJpeg('MASTER-KEY-TEST');
    const item = await first.put('s1', 'still', photo);
    expect((await first.get(item)).equals(photo)).toBe(true);
    first.close();
    vaults.splice(vaults.indexOf(first), 1);

    // Same index and files, different master key (a copied disk in another unit).
    writeFileSync(join(dir, 'first', 'master.key'), randomBytes(32));
    const stranger = openVault(join(dir, 'first'));
    const error = await expectVaultError(() => stranger.get(item), 'tampered');
    expect(error.message).toMatch(/tampered or wrong key/);
    // Nor can it find the session by its receipt code: the lookup is keyed too.
    expect(stranger.sessionForReceipt('ABCDE-12345')).toBeNull();
  });
});
