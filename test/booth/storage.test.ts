// Storage is a device: below the reserve the booth takes no money; a session whose books could
// not be closed (a full disk) keeps the booth out of service and is closed once there is room.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { boothConfigSchema, type BoothConfigInput } from '../../config/schema.ts';
import { SystemClock } from '../../core/clock.ts';
import { StorageWatch } from '../../app/booth/storage-watch.ts';
import { BoothHost } from '../../app/host/booth-host.ts';
import { simulatedDevices } from '../../app/host/device-set.ts';
import { CreditJournal } from '../../app/money/credit-journal.ts';
import { createLogger } from '../../app/logging/logger.ts';
import { until } from '../shell/booth-fixture.ts';
import { walkUpAndPay } from '../support/walk-up.ts';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  vi.restoreAllMocks();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'booth-storage-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function openHost(dir: string, change: Partial<BoothConfigInput> = {}) {
  const lines: { level: number; msg: string }[] = [];
  const logger = createLogger({
    level: 'info',
    destination: {
      write: (line: string) => void lines.push(JSON.parse(line) as { level: number; msg: string }),
    },
  });
  const config = boothConfigSchema.parse({
    vision: { engine: 'basic' },
    environment: { enabled: false },
    timeouts: { countdownMs: 50, healthRecheckMs: 100 },
    products: [{ id: 'photos-4', prints: 1, price: 200 }],
    documents: ['schengen-visa'],
    ...change,
  });
  const host = await BoothHost.open(
    {
      dataDir: dir,
      logger,
      holder: 'test',
      vision: 'none',
      devices: ({ clock }) => simulatedDevices(clock, 1),
    },
    config,
  );
  cleanups.push(() => host.close());
  await host.start(config);
  return { host, lines };
}

describe('StorageWatch', () => {
  it('reads the real file system: ready above the reserve, low below it', () => {
    const dir = tempDir();
    const clock = new SystemClock();
    const roomy = new StorageWatch({ dir, reserveBytes: 1, clock });
    expect(roomy.status()).toEqual({ online: true, ready: true, reasons: [] });
    expect(roomy.freeBytes()).toBeGreaterThan(1);
    const greedy = new StorageWatch({ dir, reserveBytes: Number.MAX_SAFE_INTEGER, clock });
    expect(greedy.status()).toEqual({ online: true, ready: false, reasons: ['low'] });
    const gone = new StorageWatch({ dir: join(dir, 'missing'), reserveBytes: 1, clock });
    expect(gone.status()).toEqual({ online: false, ready: false, reasons: ['unreadable'] });
  });
});

describe('a booth low on storage', () => {
  it('is out of service as storage:low and takes no money', async () => {
    // A reserve of a million MB: more than this disk has free.
    const { host } = await openHost(tempDir(), { storage: { reserveMb: 1_000_000 } });
    await until(() => host.booth.view().outOfServiceReason === 'storage:low', 20_000, 'storage:low');
    expect(host.booth.view().waitingForCustomer).toBe(false);
    expect(host.booth.devices.payment.status().accepting).toBe(false);
  });

  it('a session that cannot close its books: error log, out of service, the order reversed once there is room', async () => {
    const { host, lines } = await openHost(tempDir());
    const booth = host.booth;
    await walkUpAndPay(booth, { documentId: 'schengen-visa', productId: 'photos-4', coin: 200 });
    const [order] = host.journal.openOrders();
    expect(order).toBeDefined();
    // The disk fills up now: the reversal of the order cannot be written.
    const full = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    const reverse = vi.spyOn(CreditJournal.prototype, 'reverseOrder').mockImplementation(() => {
      throw full;
    });
    booth.send({ type: 'CANCEL' });
    booth.send({ type: 'CANCEL' }); // confirmed: money is in
    await until(() => booth.view().outOfServiceReason?.startsWith('journal:'), 20_000, 'out of service');
    expect(host.journal.openOrders().map((o) => o.id)).toEqual([order!.id]);
    expect(lines.some((l) => l.level === 50 && /could not be closed in the books/.test(l.msg))).toBe(true);
    // Rechecks while the disk is still full keep it closed.
    await new Promise((r) => setTimeout(r, 300));
    expect(booth.view().waitingForCustomer).toBe(false);
    // Room again: the next recheck closes the books and the booth reopens.
    reverse.mockRestore();
    await until(() => booth.view().waitingForCustomer, 20_000, 'back in service');
    expect(host.journal.openOrders()).toEqual([]);
    expect(host.journal.totals()).toMatchObject({ reversed: 200, delivered: 0 });
  });
});
