// What a crash cut off is put right at the next start: orders back to credit (handled by the
// policy), open sessions' photos wiped at once, except those an owed print still needs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { boothConfigSchema } from '../../config/schema.ts';
import { dataPaths, ensureDataDir } from '../../config/data-dir.ts';
import { SystemClock } from '../../core/clock.ts';
import { BoothHost } from '../../app/host/booth-host.ts';
import { simulatedDevices } from '../../app/host/device-set.ts';
import { CreditJournal } from '../../app/money/credit-journal.ts';
import { silentLogger } from '../../app/logging/logger.ts';
import { PhotoVault } from '../../app/services/vault/photo-vault.ts';
import { fakeJpeg } from '../vault/vault-test-kit.ts';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Leaves the data directory as a booth killed mid-session would: paid orders, open sessions. */
async function crashedBooth(dir: string) {
  ensureDataDir(dir);
  const clock = new SystemClock();
  const journal = CreditJournal.open(dataPaths(dir).journal, clock);
  const vault = PhotoVault.open({ dir: dataPaths(dir).vault, clock, retentionDays: 7 });
  const pay = (sessionId: string, orderId: string) => {
    journal.recordInserted({
      sessionId,
      ref: `SIM:${orderId}`,
      deviceId: 'SIM',
      amount: 500,
      currency: 'EUR',
      channel: 'coin',
    });
    journal.placeOrder({ sessionId, orderId, productId: 'photos-4', price: 500 });
  };
  // Killed during the pose: paid, a still in the vault.
  await vault.beginSession('posing', { receiptCode: 'ABCDE-12345' });
  await vault.put('posing', 'still', fakeJpeg('STILL'));
  pay('posing', 'order-posing');
  // Killed during payment: 200 in, no order yet.
  await vault.beginSession('paying', { receiptCode: 'KLMNP-24680' });
  journal.recordInserted({
    sessionId: 'paying',
    ref: 'SIM:paying',
    deviceId: 'SIM',
    amount: 200,
    currency: 'EUR',
    channel: 'coin',
  });
  // Killed after the printer failed: the prints are owed, their sheets must stay.
  await vault.beginSession('owed', { receiptCode: 'FGHJK-67890' });
  const sheet = await vault.put('owed', 'print-sheet', fakeJpeg('SHEET'));
  pay('owed', 'order-owed');
  journal.owePrints({
    orderId: 'order-owed',
    sessionId: 'owed',
    sheetIds: [sheet],
    copies: 1,
    media: '4x6',
    reason: 'media-empty',
  });
  vault.close();
  journal.close();
}

async function restart(dir: string, unusedCredit: 'carry' | 'keep' | 'voucher') {
  const config = boothConfigSchema.parse({
    vision: { engine: 'basic' },
    environment: { enabled: false },
    money: { unusedCredit },
    hardware: { receiptPrinter: { adapter: 'none' } },
  });
  const host = await BoothHost.open(
    {
      dataDir: dir,
      logger: silentLogger(),
      holder: 'test',
      vision: 'none',
      devices: ({ clock }) => simulatedDevices(clock, 1),
    },
    config,
  );
  cleanups.push(() => host.close());
  // The leftover credit is settled as the booth first starts, once its devices are open (a
  // voucher slip needs the receipt printer, a payout recovery the hopper).
  await host.start(config);
  return host;
}

describe('crash recovery at start', () => {
  it.each(['carry', 'keep', 'voucher'] as const)(
    'policy %s: the cut-off order goes back to credit and is handled by it; its photos are wiped, owed sheets kept',
    async (policy) => {
      const dir = mkdtempSync(join(tmpdir(), 'crash-recovery-'));
      cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
      await crashedBooth(dir);
      const host = await restart(dir, policy);
      const vault = host.privacy.vault;
      expect(vault.openSessions()).toEqual(['owed']);
      expect(vault.index.session('posing')).toBeUndefined();
      expect(await vault.list('owed', 'print-sheet')).toHaveLength(1);
      expect(vault.index.audit().some((a) => a.action === 'crash-cleanup' && a.sessions === 1)).toBe(true);
      // The owed order waits for the printer; the other is reversed.
      expect(host.journal.openOrders()).toEqual([]);
      expect(host.journal.owedPrints().map((o) => o.orderId)).toEqual(['order-owed']);
      const totals = host.journal.totals();
      expect(totals.reversed).toBe(500);
      // The reversed order's 500 and the 200 paid before any order, by the policy.
      expect(host.journal.balance()).toBe(policy === 'carry' ? 700 : 0);
      expect(totals.kept).toBe(policy === 'keep' ? 700 : 0);
      // A voucher the next visit can redeem, not credit for whoever walks up next.
      expect(totals.vouchersOutstanding).toBe(policy === 'voucher' ? 700 : 0);
      expect(vault.index.session('paying')).toBeUndefined();
    },
  );

  it('policy keep: credit a crash cut off before any order is settled too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crash-recovery-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    ensureDataDir(dir);
    const journal = CreditJournal.open(dataPaths(dir).journal, new SystemClock());
    journal.recordInserted({
      sessionId: 'paying',
      ref: 'SIM:1',
      deviceId: 'SIM',
      amount: 200,
      currency: 'EUR',
      channel: 'coin',
    });
    journal.close();
    const host = await restart(dir, 'keep');
    expect(host.journal.balance()).toBe(0);
    expect(host.journal.totals().kept).toBe(200);
  });
});
