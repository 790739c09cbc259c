// The demo payment device numbers its coins per epoch, kept in the credit journal: after a
// restart or a reload that rebuilds it, no coin is dropped as "already credited".
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { boothConfigSchema, type BoothConfigInput } from '../../config/schema.ts';
import type { Booth } from '../../app/booth/booth.ts';
import { BoothHost } from '../../app/host/booth-host.ts';
import { configuredDevices } from '../../app/host/device-set.ts';
import { silentLogger } from '../../app/logging/logger.ts';
import type { SimulatedPaymentDevice } from '../../hardware/payment/simulated-payment-device.ts';
import { until } from '../shell/booth-fixture.ts';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

// Carry: the credit stays in the booth across the restart and the cancel, so the balance counts
// every coin credited (the default would put it on a voucher at each).
const configWith = (change: Partial<BoothConfigInput> = {}) =>
  boothConfigSchema.parse({
    vision: { engine: 'basic' },
    environment: { enabled: false },
    products: [{ id: 'photos-4', prints: 1, price: 5000 }],
    documents: ['schengen-visa'],
    hardware: { receiptPrinter: { adapter: 'none' } },
    ...change,
    money: { unusedCredit: 'carry', ...change.money },
  });

async function openHost(dir: string): Promise<BoothHost> {
  const config = configWith();
  const host = await BoothHost.open(
    {
      dataDir: dir,
      logger: silentLogger(),
      holder: 'test',
      vision: 'none',
      devices: ({ clock, journal }) => configuredDevices(clock, { seed: 1, counters: journal }),
    },
    config,
  );
  await host.start(config);
  return host;
}

/** A customer at the payment screen (the price is above anything inserted here). */
async function atPayment(booth: Booth): Promise<SimulatedPaymentDevice> {
  await until(() => booth.view().waitingForCustomer, 20_000, 'attract');
  booth.send({ type: 'TOUCH' });
  booth.send({ type: 'SELECT_LANGUAGE', language: 'en' });
  booth.send({ type: 'ACCEPT_CONSENT' });
  await until(() => booth.view().screen.screen === 'choose', 10_000, 'choose');
  booth.send({ type: 'CHOOSE', documentId: 'schengen-visa', productId: 'photos-4' });
  const payment = booth.devices.payment as SimulatedPaymentDevice;
  await until(() => payment.status().accepting, 10_000, 'coins accepted');
  return payment;
}

async function insert(host: BoothHost, payment: SimulatedPaymentDevice, coins: number[]): Promise<void> {
  for (const coin of coins) {
    const before = host.journal.balance();
    expect(payment.insertCoin(coin)).toBe('credited');
    await until(() => host.journal.balance() === before + coin, 10_000, `${coin} journaled`);
  }
}

describe('simulated payment refs survive restarts and reloads', () => {
  it('200 + 100, restart, 200, reload, 100 + 50: all 650 credited', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'payment-refs-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));

    let host = await openHost(dir);
    await insert(host, await atPayment(host.booth), [200, 100]);
    await host.close();

    host = await openHost(dir);
    cleanups.push(() => host.close());
    expect(host.journal.balance()).toBe(300);
    await insert(host, await atPayment(host.booth), [200]);

    // A reload that changes the accepted notes rebuilds the payment device.
    const oldPayment = host.booth.devices.payment;
    host.booth.send({ type: 'CANCEL' });
    host.booth.send({ type: 'CANCEL' }); // confirmed: money is in
    // The booth says the credit stays for the next customer; the reload waits for attract.
    await until(() => host.booth.view().screen.screen === 'moneyBack', 10_000, 'money back screen');
    host.booth.send({ type: 'FINISH' });
    host.requestConfig(configWith({ money: { bills: [500, 1000] } }));
    await until(() => host.booth.devices.payment !== oldPayment, 20_000, 'payment device rebuilt');
    await insert(host, await atPayment(host.booth), [100, 50]);
    expect(host.journal.balance()).toBe(650);
  });
});
