import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PhotoVault } from '../../app/services/vault/photo-vault.ts';
import { SimClock } from '../../core/sim-clock.ts';
import { fakeJpeg, filesContaining, tempDir } from './vault-test-kit.ts';

// Sessions `kiosk simulate` makes commit without fsync and skip the WAL scrub; a customer's
// session (and every commit after one) is synced and scrubbed exactly as before.

let root: string;
let cleanup: () => void;
const vaults: PhotoVault[] = [];

beforeEach(() => {
  ({ dir: root, cleanup } = tempDir('sim-durability'));
});

afterEach(() => {
  for (const vault of vaults.splice(0)) vault.close();
  cleanup();
});

function openVault(simulated: boolean): PhotoVault {
  const vault = PhotoVault.open({
    dir: join(root, 'vault'),
    clock: new SimClock(),
    retentionDays: 7,
    simulated,
  });
  vaults.push(vault);
  return vault;
}

const synchronous = (vault: PhotoVault) => vault.index.db.pragma('synchronous', { simple: true });

describe('PhotoVault: simulated sessions skip the fsyncs, customers keep them', () => {
  it('a simulated session is sealed and readable, and the index is back at synchronous=FULL after each write', async () => {
    const vault = openVault(true);
    const id = randomUUID();
    await vault.beginSession(id, { receiptCode: 'ABCDE-12345' });
    expect(synchronous(vault)).toBe(2);
    const still = fakeJpeg('SIMULATED-STILL');
    const item = await vault.put(id, 'still', still);
    expect(synchronous(vault)).toBe(2);
    expect(vault.index.isSimulated(id)).toBe(true);
    expect((await vault.get(item)).equals(still)).toBe(true);
    // Sealed like any other: the plain bytes are nowhere on disk.
    expect(filesContaining(join(root, 'vault'), 'SIMULATED-STILL')).toEqual([]);
    await vault.endSession(id, 'wipe');
    expect(synchronous(vault)).toBe(2);
    expect(vault.index.session(id)).toBeUndefined();
    expect(readdirSync(join(root, 'vault', 'blobs'))).toEqual([]);
  });

  it("a customer's shred still scrubs the destroyed key from the log, also after simulated sessions", async () => {
    const vault = openVault(true);
    const simulated = randomUUID();
    await vault.beginSession(simulated, { receiptCode: 'ABCDE-12345' });
    await vault.put(simulated, 'still', fakeJpeg('S'));
    vault.shred(simulated, 'session-end', 'test');
    vaults.splice(0).forEach((v) => v.close());

    const unit = openVault(false);
    const customer = randomUUID();
    await unit.beginSession(customer, { receiptCode: 'FGHJK-67890' });
    expect(unit.index.isSimulated(customer)).toBe(false);
    await unit.put(customer, 'still', fakeJpeg('C'));
    const wrappedKey = unit.index.session(customer)!.wrapped_key!;
    unit.shred(customer, 'session-end', 'test');
    expect(filesContaining(join(root, 'vault'), wrappedKey)).toEqual([]);
    expect(synchronous(unit)).toBe(2);
  });
});
