import { afterEach, describe, expect, it } from 'vitest';
import { SystemClock } from '../../core/clock.ts';
import type { PaymentEvent, PaymentStatus } from '../../hardware/payment/payment-port.ts';
import {
  SimulatedPaymentDevice,
  type SimulatedPaymentOptions,
} from '../../hardware/payment/simulated-payment-device.ts';
import { SimClock } from '../../core/sim-clock.ts';
import { expectDeviceError, realTime, simulatedTime } from '../contract/device-time.ts';
import { describePaymentContract, type PaymentDriver } from '../contract/payment-contract.ts';

const money = { currency: 'EUR', coins: [50, 100, 200], bills: [500, 1000] } as const;

function driverFor(device: SimulatedPaymentDevice): PaymentDriver {
  return {
    currency: money.currency,
    coin: 200,
    bill: 1000,
    unknownValue: 3,
    insertCoin: (value) => void device.insertCoin(value),
    insertBill: (value) => void device.insertBill(value),
  };
}

describePaymentContract('SimulatedPaymentDevice on simulated time', async () => {
  const clock = new SimClock();
  const device = new SimulatedPaymentDevice({ clock, seed: 3, ...money });
  return { device, driver: driverFor(device), time: simulatedTime(clock) };
});

describePaymentContract('SimulatedPaymentDevice on the system clock', async () => {
  const device = new SimulatedPaymentDevice({ clock: new SystemClock(), pollMs: 5, answerMs: 1, ...money });
  return { device, driver: driverFor(device), time: realTime() };
});

describe('SimulatedPaymentDevice', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  /** A device on its own SimClock (polled every 200 ms, commands answered in 20-40 ms), with its event log. */
  async function setUp(options: Partial<SimulatedPaymentOptions> = {}, { open = true } = {}) {
    const clock = new SimClock();
    const device = new SimulatedPaymentDevice({ clock, seed: 3, ...money, ...options });
    const time = simulatedTime(clock);
    const events: PaymentEvent[] = [];
    const statuses: PaymentStatus[] = [];
    device.onEvent((e) => events.push(e));
    device.onStatus((s) => statuses.push(s));
    if (open) await device.open();
    cleanups.push(() => device.close());
    const accept = (enabled: boolean) => time.settle(device.setAcceptance(enabled));
    const ofType = <T extends PaymentEvent['type']>(type: T) =>
      events.filter((e): e is Extract<PaymentEvent, { type: T }> => e.type === type);
    return { clock, device, time, events, statuses, accept, ofType };
  }

  describe('acceptance', () => {
    it('takes nothing while closed, and says nothing about it', async () => {
      const { device, clock, events } = await setUp({}, { open: false });
      expect(device.insertCoin(200)).toBe('rejected');
      expect(device.insertBill(1000)).toBe('rejected');
      await device.open();
      await clock.advance(1_000);
      expect(events).toEqual([]);
      expect(device.acceptedTotal).toBe(0);
      expect(device.rejectedCount).toBe(2);
    });

    it('refuses coins and notes while inhibited, reporting them as inhibited', async () => {
      const { device, clock, events } = await setUp();
      expect(device.status().accepting).toBe(false);
      expect(device.insertCoin(200)).toBe('rejected');
      expect(device.insertBill(1000)).toBe('rejected');
      await clock.advance(200);
      expect(events).toEqual([
        { type: 'rejected', reason: 'inhibited' },
        { type: 'rejected', reason: 'inhibited' },
      ]);
      expect(device.acceptedTotal).toBe(0);
      expect(device.rejectedCount).toBe(2);
    });

    it('takes coins and notes only while acceptance is on', async () => {
      const { device, accept, ofType, clock } = await setUp();
      await accept(true);
      expect(device.insertCoin(100)).toBe('credited');
      expect(device.insertBill(500)).toBe('escrow');
      await accept(false);
      expect(device.insertCoin(100)).toBe('rejected');
      expect(device.insertBill(500)).toBe('rejected');
      await clock.advance(200);
      expect(ofType('credit').map((c) => c.amount)).toEqual([100]);
      expect(ofType('escrow').map((e) => e.amount)).toEqual([500]);
      expect(ofType('rejected')).toEqual([
        { type: 'rejected', reason: 'inhibited' },
        { type: 'rejected', reason: 'inhibited' },
      ]);
    });

    it('refuses values it does not know as unknown-value', async () => {
      const { device, accept, events, clock } = await setUp();
      await accept(true);
      expect(device.insertCoin(500)).toBe('rejected'); // a note value is no coin
      expect(device.insertBill(200)).toBe('rejected'); // and a coin value is no note
      await clock.advance(200);
      expect(events).toEqual([
        { type: 'rejected', reason: 'unknown-value' },
        { type: 'rejected', reason: 'unknown-value' },
      ]);
      expect(device.acceptedTotal).toBe(0);
    });
  });

  describe('credits and escrow', () => {
    it('hands events over on the next poll, oldest first, with refs made of the device id, its epoch and a counter', async () => {
      const { device, accept, events, clock } = await setUp({ deviceId: 'SIM-XY-9', pollMs: 200 });
      const openedAt = clock.now();
      await accept(true); // answered well within the first poll period
      device.insertCoin(50);
      device.insertBill(1000);
      device.insertCoin(200);
      expect(events).toEqual([]);
      await clock.runUntil(() => events.length > 0);
      expect(clock.now()).toBe(openedAt + 200);
      expect(events).toEqual([
        { type: 'credit', ref: 'SIM-XY-9:1:1', amount: 50, currency: 'EUR', channel: 'coin' },
        { type: 'escrow', ref: 'SIM-XY-9:1:2', amount: 1000, currency: 'EUR' },
        { type: 'credit', ref: 'SIM-XY-9:1:3', amount: 200, currency: 'EUR', channel: 'coin' },
      ]);
    });

    it('each open starts a new epoch, kept in the counter store: a new device on the same store never repeats a ref', async () => {
      const stored = new Map<string, number>();
      const counters = {
        lastEventCounter: (id: string) => stored.get(id) ?? null,
        setEventCounter: (id: string, n: number) => void stored.set(id, n),
      };
      const refs: string[] = [];
      for (let boot = 0; boot < 2; boot++) {
        const { device, accept, events, clock } = await setUp({ deviceId: 'SIM-XY-9', counters });
        await accept(true);
        device.insertCoin(50);
        await clock.runUntil(() => events.length > 0);
        refs.push(...events.map((e) => (e as { ref: string }).ref));
        await device.close();
      }
      expect(refs).toEqual(['SIM-XY-9:1:1', 'SIM-XY-9:2:1']);
      expect(stored.get('SIM-XY-9#epoch')).toBe(2);
    });

    it('counts stacked notes and coins into the cash box, but not returned notes', async () => {
      const { device, accept, ofType, time, clock } = await setUp();
      await accept(true);
      device.insertCoin(200);
      device.insertBill(1000);
      device.insertBill(500);
      expect(device.acceptedTotal).toBe(200); // notes in escrow are not the booth's yet
      await time.until(() => ofType('escrow').length === 2, 1_000);
      const [ten, five] = ofType('escrow');
      await time.settle(device.stackEscrow(ten!.ref));
      await time.settle(device.returnEscrow(five!.ref));
      await clock.advance(200);
      expect(device.acceptedTotal).toBe(1200);
      expect(ofType('credit')).toEqual([
        { type: 'credit', ref: expect.any(String), amount: 200, currency: 'EUR', channel: 'coin' },
        { type: 'credit', ref: ten!.ref, amount: 1000, currency: 'EUR', channel: 'bill' },
      ]);
      expect(ofType('returned')).toEqual([{ type: 'returned', ref: five!.ref, amount: 500 }]);
      const err = await expectDeviceError(time.settle(device.stackEscrow(five!.ref)), 'payment', 'no-escrow');
      expect(err.message).toContain(five!.ref);
    });

    it('keeps money taken just before close() and delivers it once after the device opens again', async () => {
      const { device, accept, ofType, clock } = await setUp();
      await accept(true);
      device.insertCoin(100);
      await device.close();
      await clock.advance(2_000);
      expect(ofType('credit')).toHaveLength(0);
      expect(clock.pendingTimers).toBe(0);
      await device.open();
      await clock.advance(200);
      expect(ofType('credit').map((c) => c.amount)).toEqual([100]);
      await clock.advance(2_000);
      expect(ofType('credit')).toHaveLength(1);
      expect(device.acceptedTotal).toBe(100);
    });
  });

  describe('determinism under a seed', () => {
    /** A scripted customer; the log holds every event and every command answer with its time. */
    async function record(seed: number) {
      const { device, time, clock, events } = await setUp({ seed });
      const log: unknown[] = [];
      device.onEvent((e) => log.push([clock.now(), e]));
      const t0 = clock.now();
      const command = async (name: string, work: Promise<void>) => {
        await time.settle(work);
        log.push([clock.now() - t0, name]);
      };
      await command('accept', device.setAcceptance(true));
      for (const value of [200, 50, 7]) {
        device.insertCoin(value);
        await clock.advance(150);
      }
      device.insertBill(1000);
      await time.until(() => events.some((e) => e.type === 'escrow'), 1_000);
      const escrow = events.find((e) => e.type === 'escrow') as Extract<PaymentEvent, { type: 'escrow' }>;
      await command('stack', device.stackEscrow(escrow.ref));
      await command('inhibit', device.setAcceptance(false));
      await clock.advance(400);
      return log;
    }

    it('the same seed gives the same events at the same times; another seed answers at other times', async () => {
      const a = await record(5);
      expect(await record(5)).toEqual(a);
      expect(a.filter((entry) => typeof (entry as unknown[])[1] === 'object')).toHaveLength(5);
      const b = await record(6);
      expect(b).not.toEqual(a);
      // Only the timing differs: the same money moves.
      const eventsOnly = (log: unknown[]) =>
        log.map((entry) => (entry as unknown[])[1]).filter((x) => typeof x === 'object');
      expect(eventsOnly(b)).toEqual(eventsOnly(a));
    });
  });

  describe('faults', () => {
    it('supports disconnect, timeout, garbage and jam, and refuses out-of-paper naming what it supports', async () => {
      const { device } = await setUp();
      expect([...device.supportedFaults].sort()).toEqual(['disconnect', 'garbage', 'jam', 'timeout']);
      expect(() => device.injectFault('out-of-paper')).toThrow(/disconnect, timeout, garbage, jam/);
      expect(device.activeFaults.size).toBe(0);
    });

    it('disconnect: offline, commands fail at once, money is refused silently, buffered money waits for the line', async () => {
      const { device, accept, ofType, statuses, clock, events } = await setUp();
      await accept(true);
      device.insertCoin(200); // in the device's buffer when the cable comes out
      device.injectFault('disconnect');
      expect(device.status()).toMatchObject({ online: false, ready: false, reasons: ['disconnected'] });
      expect(statuses.at(-1)).toEqual(device.status());

      const t0 = clock.now();
      await expectDeviceError(device.setAcceptance(false), 'payment', 'disconnected');
      await expectDeviceError(device.stackEscrow('x'), 'payment', 'disconnected');
      expect(clock.now()).toBe(t0);
      expect(device.insertCoin(100)).toBe('rejected');
      expect(device.insertBill(500)).toBe('rejected');
      await clock.advance(5_000);
      expect(events).toEqual([]);

      device.clearFault('disconnect');
      expect(device.status()).toEqual({ online: true, ready: true, reasons: [], accepting: true });
      await clock.advance(200);
      expect(ofType('credit').map((c) => c.amount)).toEqual([200]);
      await clock.advance(2_000);
      expect(events).toHaveLength(1);
      await accept(false);
      expect(device.status().accepting).toBe(false);
    });

    it('timeout: online but not ready, commands fail after 50x answerMs, nothing is delivered until it clears', async () => {
      const { device, accept, ofType, clock, time, events } = await setUp({ answerMs: 20 });
      await accept(true);
      device.insertCoin(50);
      device.injectFault('timeout');
      expect(device.status()).toEqual({ online: true, ready: false, reasons: ['timeout'], accepting: true });

      const t0 = clock.now();
      await expectDeviceError(time.settle(device.setAcceptance(false)), 'payment', 'timeout');
      expect(clock.now() - t0).toBe(1_000);
      expect(device.status().accepting).toBe(true);
      expect(device.insertCoin(100)).toBe('rejected');
      await clock.advance(5_000);
      expect(events).toEqual([]);

      device.clearFault('timeout');
      expect(device.status()).toMatchObject({ online: true, ready: true, reasons: [] });
      await clock.advance(200);
      expect(ofType('credit').map((c) => c.amount)).toEqual([50]);
      await accept(false);
      expect(device.status().accepting).toBe(false);
    });

    it('garbage: the device stays ready, every 25th poll reports a checksum fault, money still arrives once', async () => {
      const { device, accept, ofType, clock } = await setUp({ pollMs: 200 });
      device.injectFault('garbage');
      expect(device.status()).toMatchObject({ online: true, ready: true, reasons: [] });
      await accept(true);
      device.insertCoin(200);
      device.insertCoin(100);
      await clock.advance(10_000); // 50 polls
      expect(ofType('fault')).toEqual([
        { type: 'fault', code: 'garbage', message: expect.stringMatching(/checksum/) },
        { type: 'fault', code: 'garbage', message: expect.stringMatching(/checksum/) },
      ]);
      expect(ofType('credit').map((c) => c.amount)).toEqual([200, 100]);

      device.clearFault('garbage');
      await clock.advance(10_000);
      expect(ofType('fault')).toHaveLength(2);
    });

    it('jam: reported as a fault event, not ready, notes refused while coins still go in; clearing it takes notes again', async () => {
      const { device, accept, ofType, clock } = await setUp();
      await accept(true);
      device.injectFault('jam');
      expect(device.status()).toEqual({ online: true, ready: false, reasons: ['jam'], accepting: true });
      await clock.advance(200);
      expect(ofType('fault')).toEqual([
        { type: 'fault', code: 'jam', message: expect.stringMatching(/jam/) },
      ]);

      expect(device.insertBill(1000)).toBe('rejected');
      expect(device.insertCoin(200)).toBe('credited');
      await clock.advance(200);
      expect(ofType('escrow')).toHaveLength(0);
      expect(ofType('credit').map((c) => c.amount)).toEqual([200]);
      expect(device.rejectedCount).toBe(1);

      device.clearFault('jam');
      expect(device.status()).toEqual({ online: true, ready: true, reasons: [], accepting: true });
      expect(device.insertBill(1000)).toBe('escrow');
      await clock.advance(200);
      expect(ofType('escrow').map((e) => e.amount)).toEqual([1000]);
      expect(ofType('fault')).toHaveLength(1);
    });

    it('faults add up in the status, and clearFault() with no argument clears them all', async () => {
      const { device } = await setUp();
      device.injectFault('jam');
      device.injectFault('timeout');
      device.injectFault('disconnect');
      expect(device.status()).toMatchObject({
        online: false,
        ready: false,
        reasons: ['disconnected', 'timeout', 'jam'],
      });
      device.clearFault('disconnect');
      expect(device.status()).toMatchObject({ online: true, ready: false, reasons: ['timeout', 'jam'] });
      device.clearFault();
      expect(device.activeFaults.size).toBe(0);
      expect(device.status()).toMatchObject({ online: true, ready: true, reasons: [] });
    });
  });
});
