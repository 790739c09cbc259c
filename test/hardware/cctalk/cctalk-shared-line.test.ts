import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { SystemClock } from '../../../core/clock.ts';
import { createCcTalkHopper } from '../../../hardware/payment/cctalk/adapter/cctalk-hopper-device.ts';
import { createCcTalkPayment } from '../../../hardware/payment/cctalk/adapter/cctalk-payment-device.ts';
import { CcTalkLines } from '../../../hardware/payment/cctalk/adapter/cctalk-shared-line.ts';
import {
  ccTalkPaymentSchema,
  type CcTalkPaymentConfig,
} from '../../../hardware/payment/cctalk/cctalk-config.ts';
import { CcTalkError, Header } from '../../../hardware/payment/cctalk/driver/cctalk-link.ts';
import {
  CcTalkEmulators,
  emulatorSerialNumbers,
} from '../../../hardware/payment/cctalk/emulators/cctalk-emulators.ts';
import type { PaymentEvent } from '../../../hardware/payment/payment-port.ts';
import { MemoryCounterStore } from './cctalk-bus.ts';

/** socat processes this test process started (one per emulated bus). */
function ownSocats(): string[] {
  try {
    return execFileSync('pgrep', ['-P', String(process.pid), 'socat'], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .filter(Boolean);
  } catch {
    return []; // pgrep exits 1 when there is none
  }
}

const simulator = (extra: Record<string, unknown> = {}): CcTalkPaymentConfig =>
  ccTalkPaymentSchema.parse({
    adapter: 'cctalk',
    port: 'simulator',
    echo: false,
    pollMs: 100,
    bill: null,
    ...extra,
  });

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
});

describe('one ccTalk line per port, shared by the payment device and the hopper', () => {
  it('on port "simulator": one emulated bus for both, the hopper on it; the last one out closes it', async () => {
    const lines = new CcTalkLines();
    const clock = new SystemClock();
    const config = simulator();
    const store = new MemoryCounterStore();
    const payment = createCcTalkPayment(config, { clock, currency: 'EUR', counters: store, lines });
    const hopper = createCcTalkHopper({ address: 3, coinValue: 50 }, config, {
      clock,
      lines,
      emulatedCoins: 30,
    });
    cleanups.push(
      () => payment.close(),
      () => hopper.close(),
    );
    expect(ownSocats()).toEqual([]); // building opens nothing
    // Either may come first: here the hopper opens the line and the payment device joins it.
    await hopper.open();
    await payment.open();
    expect(ownSocats()).toHaveLength(1);
    expect(lines.holders('simulator')).toBe(2);
    expect(hopper.deviceId).toBe(`cctalk:hopper:${emulatorSerialNumbers.hopper}`);
    expect(hopper.status()).toEqual({ online: true, ready: true, reasons: [], level: 'ok' });

    const credits: PaymentEvent[] = [];
    payment.onEvent((e) => {
      store.journal(e);
      if (e.type === 'credit') credits.push(e);
    });
    await payment.setAcceptance(true);
    expect(await hopper.payout(150)).toEqual({ requested: 150, paid: 150 });
    expect(await hopper.dispensedCount()).toBe(3);
    expect(payment.lineCounters()!.commands).toBeGreaterThan(0); // one host counts both devices' commands

    await payment.close();
    expect(ownSocats()).toHaveLength(1); // the hopper still holds the line
    expect(await hopper.dispensedCount()).toBe(3);
    await hopper.close();
    expect(lines.holders('simulator')).toBe(0);
    expect(ownSocats()).toEqual([]);
    expect(credits).toEqual([]);
  }, 30_000);

  it('on a port of its own (emulators behind a real pty): both lease the one host on it', async () => {
    const lines = new CcTalkLines();
    const clock = new SystemClock();
    const emulators = await CcTalkEmulators.open({
      checksum: 'simple8',
      echo: false,
      coin: { address: 2, values: { EU050A: 50, EU200A: 200 } },
      bill: null,
      hopper: { address: 3, coins: 20, coinMs: 5 },
    });
    cleanups.push(() => emulators.close());
    const config = ccTalkPaymentSchema.parse({
      adapter: 'cctalk',
      port: emulators.hostPath,
      echo: false,
      pollMs: 100,
      coin: { values: { EU050A: 50, EU200A: 200 } },
      bill: null,
    });
    const store = new MemoryCounterStore();
    const payment = createCcTalkPayment(config, { clock, currency: 'EUR', counters: store, lines });
    const hopper = createCcTalkHopper({ address: 3, coinValue: 50 }, config, { clock, lines });
    cleanups.push(
      () => payment.close(),
      () => hopper.close(),
    );
    // Both at once: a second host on the port would fail to lock it, so this shows they share one.
    await Promise.all([payment.open(), hopper.open()]);
    expect(lines.holders(emulators.hostPath)).toBe(2);
    const credits: PaymentEvent[] = [];
    payment.onEvent((e) => e.type === 'credit' && credits.push(e));
    await payment.setAcceptance(true);
    emulators.insertCoin(200);
    expect(await hopper.payout(100)).toEqual({ requested: 100, paid: 100 });
    while (credits.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(credits).toMatchObject([{ amount: 200 }]);
    expect(emulators.hopper!.dispensed).toBe(2);
    await hopper.close();
    await payment.close();
    expect(lines.holders(emulators.hostPath)).toBe(0);
  }, 30_000);

  it('a lease for the same port spoken differently retires the old line: its holder hears "closed"', async () => {
    const lines = new CcTalkLines();
    const old = await lines.lease(simulator());
    cleanups.push(() => old.close());
    await old.link.request(2, Header.SimplePoll);
    const changed = await lines.lease(simulator({ coin: { values: { EU200A: 200 } } }));
    cleanups.push(() => changed.close());
    const error = await old.link.request(2, Header.SimplePoll).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CcTalkError);
    expect((error as CcTalkError).code).toBe('closed');
    await changed.link.request(2, Header.SimplePoll);
    expect(lines.holders('simulator')).toBe(1);
    await old.close(); // letting go of a retired line changes nothing for the new one
    await changed.link.request(2, Header.SimplePoll);
    await changed.close();
    expect(ownSocats()).toEqual([]);
  }, 30_000);

  it('a port that will not open fails every lease waiting on it, and the next lease tries again', async () => {
    const lines = new CcTalkLines();
    const config = ccTalkPaymentSchema.parse({ adapter: 'cctalk', port: '/dev/no-such-cctalk-port' });
    const both = await Promise.allSettled([lines.lease(config), lines.lease(config)]);
    expect(both.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(String((both[0] as PromiseRejectedResult).reason)).toMatch(/cannot open the serial port/);
    expect(lines.holders('/dev/no-such-cctalk-port')).toBe(0);
    await expect(lines.lease(config)).rejects.toThrow(/cannot open the serial port/);
  });
});
