import { afterEach, describe, expect, it } from 'vitest';
import type { CcTalkHopper } from '../../../hardware/payment/cctalk/adapter/cctalk-hopper.ts';
import { CcTalkPayment } from '../../../hardware/payment/cctalk/adapter/cctalk-payment.ts';
import type { CcTalkHost } from '../../../hardware/payment/cctalk/driver/cctalk-host.ts';
import { CcTalkError, Header, type CcTalkLink } from '../../../hardware/payment/cctalk/driver/cctalk-link.ts';
import type { ReplyFault } from '../../../hardware/payment/cctalk/emulators/cctalk-device-simulator.ts';
import type { PaymentEvent } from '../../../hardware/payment/payment-port.ts';
import { expectDeviceError } from '../../contract/device-time.ts';
import { coinValues, MemoryCounterStore } from './cctalk-bus.ts';
import { hopperKey, openHopperBus, type HopperBus } from './cctalk-hopper-bus.ts';
import { bytes } from './cctalk-line.ts';

let bus: HopperBus;
const adapters: CcTalkHopper[] = [];
afterEach(async () => {
  for (const adapter of adapters.splice(0)) await adapter.close().catch(() => {});
  await bus?.close();
});

/**
 * The host, with a look at each command before it goes out: a test can make the reply to one
 * command go wrong (the emulator's reply faults apply to its next replies, in order) and count
 * what was sent.
 */
function tapped(host: CcTalkHost, before: (header: number) => void = () => {}) {
  const tap = {
    sent: [] as number[],
    /** The line is dead: every command times out (the hopper itself carries on). */
    silence: false,
    link: {
      request: (address, header, data, options) => {
        if (tap.silence)
          return Promise.reject(new CcTalkError('timeout', 'no reply (the test silenced the line)'));
        tap.sent.push(header);
        before(header);
        return host.request(address, header, data, options);
      },
      close: () => host.close(),
    } satisfies CcTalkLink as CcTalkLink,
    dispenses: () => tap.sent.filter((h) => h === Header.DispenseHopperCoins).length,
  };
  return tap;
}

/** An open hopper adapter on `link` (the bus's host by default). */
async function openAdapter(link?: CcTalkLink, options: Parameters<HopperBus['adapter']>[0] = {}) {
  const adapter = bus.adapter({ ...options, ...(link ? { link } : {}) });
  adapters.push(adapter);
  await adapter.open();
  return adapter;
}

/** Faults the reply to the first dispense command (and only that one). */
function faultFirstDispense(fault: ReplyFault) {
  let done = false;
  return (header: number) => {
    if (header !== Header.DispenseHopperCoins || done) return;
    done = true;
    bus.hopper.faultNextReplies(fault);
  };
}

describe('CcTalkHopper: a dispense is paid once', () => {
  it('a lost reply to a dispense the hopper took is not sent again (its event counter says it was taken)', async () => {
    bus = await openHopperBus();
    const tap = tapped(bus.host, faultFirstDispense('drop'));
    const hopper = await openAdapter(tap.link);
    expect(await hopper.payout(150)).toEqual({ requested: 150, paid: 150 });
    expect(tap.dispenses()).toBe(1);
    expect(bus.hopper.dispensed).toBe(3);
    expect(await hopper.dispensedCount()).toBe(3);
  });

  it('a reply that came back broken (bad checksum) is not taken as a refusal, nor sent again', async () => {
    bus = await openHopperBus();
    const tap = tapped(bus.host, faultFirstDispense('bad-checksum'));
    const hopper = await openAdapter(tap.link);
    expect(await hopper.payout(100)).toEqual({ requested: 100, paid: 100 });
    expect(tap.dispenses()).toBe(1);
    expect(bus.hopper.dispensed).toBe(2);
  });

  it('a dispense the hopper never heard is sent again, and paid once', async () => {
    bus = await openHopperBus();
    const tap = tapped(bus.host, faultFirstDispense('ignore'));
    const hopper = await openAdapter(tap.link);
    expect(await hopper.payout(100)).toEqual({ requested: 100, paid: 100 });
    expect(tap.dispenses()).toBe(2);
    expect(bus.hopper.dispensed).toBe(2);
  });

  it('a dispense the hopper refuses (NAK) rejects with "refused": no coin came out', async () => {
    bus = await openHopperBus();
    const tap = tapped(bus.host, faultFirstDispense('nak'));
    const hopper = await openAdapter(tap.link);
    await expectDeviceError(hopper.payout(100), 'hopper', 'refused');
    expect(bus.hopper.dispensed).toBe(0);
    expect(await hopper.payout(50)).toEqual({ requested: 50, paid: 50 }); // the next one goes
  });

  it('pays more than 255 coins in several dispense commands', async () => {
    bus = await openHopperBus({ hopper: { coins: 400, coinMs: 1 } });
    const hopper = await openAdapter();
    expect(await hopper.payout(300 * 50)).toEqual({ requested: 300 * 50, paid: 300 * 50 });
    expect(bus.hopper.dispensed).toBe(300);
    expect(bus.hopper.coins).toBe(100);
  }, 20_000);
});

describe('CcTalkHopper: a payout that goes wrong part-way', () => {
  it('noise on the status replies mid-payout costs retries, not coins', async () => {
    bus = await openHopperBus({ hopper: { coinMs: 20 } });
    const hopper = await openAdapter();
    bus.hopper.onCoin((n) => {
      if (n === 2) bus.hopper.faultNextReplies('bad-checksum', 2);
      if (n === 4) bus.hopper.faultNextReplies('garbage');
    });
    expect(await hopper.payout(6 * 50)).toEqual({ requested: 300, paid: 300 });
    expect(bus.host.counters.retries).toBeGreaterThan(0);
    expect(bus.hopper.dispensed).toBe(6);
  });

  it('a payout that makes no progress is halted with an emergency stop: fault "stalled"', async () => {
    bus = await openHopperBus({ hopper: { coinMs: 60_000 } });
    const tap = tapped(bus.host);
    const hopper = await openAdapter(tap.link, { stallMs: 300 });
    expect(await hopper.payout(200)).toEqual({ requested: 200, paid: 0, fault: 'stalled' });
    expect(tap.sent).toContain(Header.EmergencyStop);
    expect(bus.hopper.remaining).toBe(0);
    expect(bus.hopper.dispensed).toBe(0);
  });

  it('a power cut mid-payout: fault "power-down", paid what its count says came out', async () => {
    bus = await openHopperBus({ hopper: { coinMs: 20 } });
    const hopper = await openAdapter();
    bus.hopper.onCoin((n) => n === 2 && bus.hopper.powerCycle());
    expect(await hopper.payout(8 * 50)).toEqual({ requested: 400, paid: 100, fault: 'power-down' });
    expect(bus.hopper.dispensed).toBe(2);
    // Enabled again before the next payout: the reset had disabled it.
    expect(await hopper.payout(50)).toEqual({ requested: 50, paid: 50 });
  });

  it('a hopper that goes silent mid-payout: fault "timeout", never more than came out; the count tells the rest', async () => {
    bus = await openHopperBus({ hopper: { coinMs: 20 } });
    const tap = tapped(bus.host);
    const hopper = await openAdapter(tap.link);
    bus.hopper.onCoin((n) => n === 1 && (tap.silence = true));
    const result = await hopper.payout(5 * 50);
    expect(result).toMatchObject({ requested: 250, fault: 'timeout' });
    // What it saw counted before the silence: a lower bound, never more than came out.
    expect(result.paid).toBeLessThan(250);
    expect(result.paid).toBeLessThanOrEqual(bus.hopper.dispensed * 50);
    expect(hopper.status()).toMatchObject({ online: false, ready: false, reasons: ['timeout'] });
    // It kept paying without the host, as a real hopper does; once it answers, the count is exact.
    tap.silence = false;
    while (bus.hopper.remaining > 0) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await hopper.dispensedCount()).toBe(5);
    expect(bus.hopper.dispensed).toBe(5);
  });

  it('a short silence mid-payout is waited out: the count says all came out, no fault', async () => {
    bus = await openHopperBus({ hopper: { coinMs: 20 } });
    const tap = tapped(bus.host);
    const hopper = await openAdapter(tap.link, { lostMs: 300 });
    bus.hopper.onCoin((n) => {
      if (n !== 1) return;
      tap.silence = true;
      // Back after the payout gave up waiting (300 ms of silence) and before the count is given up.
      setTimeout(() => (tap.silence = false), 450);
    });
    expect(await hopper.payout(5 * 50)).toEqual({ requested: 250, paid: 250 });
    expect(hopper.status().ready).toBe(true);
  });

  it('a hopper that does not answer before a payout: it rejects with "timeout" and pays nothing', async () => {
    bus = await openHopperBus();
    const hopper = await openAdapter();
    bus.hopper.faultNextReplies('ignore', 3);
    await expectDeviceError(hopper.payout(100), 'hopper', 'timeout');
    expect(bus.hopper.dispensed).toBe(0);
    expect(hopper.status()).toMatchObject({ online: false, reasons: ['timeout'] });
    // It answers again: the failure is over with the first command that gets through.
    expect(await hopper.dispensedCount()).toBe(0);
    expect(hopper.status()).toEqual({ online: true, ready: true, reasons: [], level: 'ok' });
  });
});

describe('CcTalkHopper: open', () => {
  it('waits out a payout the hopper is still making (a booth that crashed mid-payout), so the count is final', async () => {
    bus = await openHopperBus({ hopper: { coinMs: 15 } });
    // The crashed booth's last words: enable, dispense 10.
    await bus.host.request(3, Header.EnableHopper, bytes(165));
    await bus.host.request(3, Header.DispenseHopperCoins, bytes(0x42, 0x00, 0x0d, 10));
    expect(bus.hopper.remaining).toBeGreaterThan(0);
    const hopper = await openAdapter();
    expect(bus.hopper.remaining).toBe(0);
    expect(await hopper.dispensedCount()).toBe(10);
    expect(hopper.deviceId).toBe(hopperKey);
  });

  it('refuses an address that answers as another kind of device', async () => {
    bus = await openHopperBus();
    const wrong = bus.adapter({ address: 2 });
    adapters.push(wrong);
    const error = await expectDeviceError(wrong.open(), 'hopper', 'wrong-device');
    expect(error.message).toMatch(/answers as "Coin Acceptor", not as a payout hopper/);
    expect(wrong.status()).toEqual({
      online: false,
      ready: false,
      reasons: ['closed', 'wrong-device'],
      level: 'unknown',
    });
  });

  it('says "timeout" when nothing answers at its address', async () => {
    bus = await openHopperBus();
    const absent = bus.adapter({ address: 9 });
    adapters.push(absent);
    await expectDeviceError(absent.open(), 'hopper', 'timeout');
  });
});

describe('CcTalkHopper on the same bus as the coin acceptor', () => {
  it('pays out while the payment adapter polls the coin acceptor through the same host, each device its own', async () => {
    bus = await openHopperBus({ hopper: { coinMs: 15 } });
    const store = new MemoryCounterStore();
    const payment = new CcTalkPayment({
      link: bus.host,
      currency: 'EUR',
      coin: { address: 2, values: coinValues },
      counters: store,
      pollMs: 100,
    });
    const credits: PaymentEvent[] = [];
    payment.onEvent((event) => {
      store.journal(event);
      if (event.type === 'credit') credits.push(event);
    });
    await payment.open();
    await payment.setAcceptance(true);
    const hopper = await openAdapter();
    bus.hopper.onCoin((n) => n === 3 && bus.coin.insertCoin(2));
    expect(await hopper.payout(10 * 50)).toEqual({ requested: 500, paid: 500 });
    while (credits.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(credits).toMatchObject([{ type: 'credit', amount: 100 }]);
    expect(bus.coin.cashbox).toEqual([2]);
    expect(bus.hopper.dispensed).toBe(10);
    await payment.close();
  });
});
