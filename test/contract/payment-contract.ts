import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type {
  MinorUnits,
  PaymentDevice,
  PaymentEvent,
  PaymentStatus,
} from '../../hardware/payment/payment-port.ts';
import { expectDeviceError, type DeviceTime } from './device-time.ts';

/**
 * What the port cannot do itself: a customer putting money in. For a simulator these are its own
 * methods; for a real adapter (ccTalk over a pty) they drive the device emulator on the other end
 * of the line.
 */
export interface PaymentDriver {
  /** The currency the device is set up for. */
  readonly currency: string;
  /** A coin value the device takes, a note value it takes, and a value it takes as neither. */
  readonly coin: MinorUnits;
  readonly bill: MinorUnits;
  readonly unknownValue: MinorUnits;
  /** A customer drops a coin in. The device decides whether it takes it. */
  insertCoin(value: MinorUnits): void | Promise<void>;
  /** A customer feeds a note. The device decides whether it takes it (into escrow). */
  insertBill(value: MinorUnits): void | Promise<void>;
}

export interface PaymentFixture {
  /** A fresh, closed device. */
  readonly device: PaymentDevice;
  readonly driver: PaymentDriver;
  readonly time: DeviceTime;
  /** Releases what the factory set up (a pty, an emulator process); the suite closes the device itself. */
  readonly teardown?: () => Promise<void>;
}

type Credit = Extract<PaymentEvent, { type: 'credit' }>;
type Escrow = Extract<PaymentEvent, { type: 'escrow' }>;

/**
 * The contract every `PaymentDevice` adapter must meet. Run it with a factory that makes a fresh,
 * closed device and its driver for every test:
 *
 *     describePaymentContract('ccTalk', async () => ({ device, driver: emulatorDriver, time: realTime() }));
 */
export function describePaymentContract(name: string, create: () => Promise<PaymentFixture>): void {
  describe(`PaymentDevice contract: ${name}`, () => {
    let fixture: PaymentFixture;
    let device: PaymentDevice;
    let driver: PaymentDriver;
    let time: DeviceTime;
    let events: PaymentEvent[];

    beforeEach(async () => {
      fixture = await create();
      ({ device, driver, time } = fixture);
      events = [];
      device.onEvent((e) => events.push(e));
    });

    afterEach(async () => {
      await time.settle(device.close()).catch(() => {});
      await fixture.teardown?.();
    });

    const credits = (): Credit[] => events.filter((e): e is Credit => e.type === 'credit');
    const escrows = (): Escrow[] => events.filter((e): e is Escrow => e.type === 'escrow');
    const ofType = (type: PaymentEvent['type']) => events.filter((e) => e.type === type);
    const open = () => time.settle(device.open());
    const accept = (enabled: boolean) => time.settle(device.setAcceptance(enabled));
    async function waitFor(what: string, condition: () => boolean): Promise<void> {
      if (!(await time.until(condition, 30_000))) {
        throw new Error(`timed out waiting for ${what}; events so far: ${JSON.stringify(events)}`);
      }
    }
    /**
     * Events arrive in the order the device saw them, so once a coin inserted after `count`
     * credits has been credited, everything inserted before it has been reported.
     */
    async function sentinelCoin(): Promise<Credit> {
      const before = credits().length;
      await driver.insertCoin(driver.coin);
      await waitFor('the sentinel coin', () => credits().length > before);
      return credits().at(-1)!;
    }

    it('names its adapter and device, and is closed, offline and not accepting before open()', async () => {
      expect(device.kind).toMatch(/\S/);
      expect(device.deviceId).toMatch(/\S/);
      expect(device.status()).toMatchObject({ online: false, ready: false, accepting: false });
      expect(device.status().reasons.length).toBeGreaterThan(0);
      await expectDeviceError(time.settle(device.setAcceptance(true)), 'payment');
      expect(device.status().accepting).toBe(false);
    });

    it('is online and ready once open, but takes no money until acceptance is turned on', async () => {
      const seen: PaymentStatus[] = [];
      device.onStatus((s) => seen.push(s));
      await open();
      expect(device.status()).toMatchObject({ online: true, ready: true, reasons: [], accepting: false });
      expect(seen.at(-1)).toEqual(device.status());
    });

    it('setAcceptance turns acceptance on and off, and status listeners hear it until they unsubscribe', async () => {
      await open();
      const seen: PaymentStatus[] = [];
      const unsubscribe = device.onStatus((s) => seen.push(s));
      await accept(true);
      expect(device.status()).toMatchObject({ accepting: true, ready: true });
      expect(seen.at(-1)?.accepting).toBe(true);
      await accept(false);
      expect(device.status().accepting).toBe(false);
      expect(seen.at(-1)?.accepting).toBe(false);
      unsubscribe();
      const heard = seen.length;
      await accept(true);
      expect(device.status().accepting).toBe(true);
      expect(seen).toHaveLength(heard);
    });

    it('credits a coin exactly once when accepting, with a ref, the amount, the currency and the coin channel', async () => {
      await open();
      await accept(true);
      await driver.insertCoin(driver.coin);
      await waitFor('a credit', () => credits().length === 1);
      const [credit] = credits();
      expect(credit).toEqual({
        type: 'credit',
        ref: expect.stringMatching(/\S/),
        amount: driver.coin,
        currency: driver.currency,
        channel: 'coin',
        // Adapters with event counters say which device counted the credit, and its counter.
        ...(credit?.source === undefined
          ? {}
          : { source: { deviceId: expect.stringMatching(/\S/), eventCounter: expect.any(Number) } }),
      });
      await sentinelCoin();
      expect(credits()).toHaveLength(2);
    });

    it('does not take money while acceptance is off', async () => {
      await open();
      await driver.insertCoin(driver.coin);
      await driver.insertBill(driver.bill);
      await accept(true);
      await sentinelCoin();
      expect(credits()).toHaveLength(1);
      expect(escrows()).toHaveLength(0);
      await accept(false);
      await driver.insertCoin(driver.coin);
      await accept(true);
      await sentinelCoin();
      expect(credits()).toHaveLength(2);
    });

    it('does not credit a value it does not take', async () => {
      await open();
      await accept(true);
      await driver.insertCoin(driver.unknownValue);
      await driver.insertBill(driver.unknownValue);
      const sentinel = await sentinelCoin();
      expect(credits()).toEqual([sentinel]);
      expect(escrows()).toHaveLength(0);
    });

    it('gives every credit its own ref', async () => {
      await open();
      await accept(true);
      for (let i = 0; i < 3; i++) await driver.insertCoin(driver.coin);
      await driver.insertBill(driver.bill);
      await waitFor('the note in escrow', () => escrows().length === 1);
      await time.settle(device.stackEscrow(escrows()[0]!.ref));
      await waitFor('four credits', () => credits().length === 4);
      expect(new Set(credits().map((c) => c.ref)).size).toBe(4);
      expect(credits().map((c) => c.amount)).toEqual([driver.coin, driver.coin, driver.coin, driver.bill]);
    });

    it('holds a note in escrow until it is stacked, then credits it exactly once on the bill channel', async () => {
      await open();
      await accept(true);
      await driver.insertBill(driver.bill);
      await waitFor('the note in escrow', () => escrows().length === 1);
      const escrow = escrows()[0]!;
      expect(escrow).toEqual({
        type: 'escrow',
        ref: expect.stringMatching(/\S/),
        amount: driver.bill,
        currency: driver.currency,
      });
      expect(credits()).toHaveLength(0);

      await time.settle(device.stackEscrow(escrow.ref));
      await waitFor('the note credited', () => credits().length === 1);
      expect(credits()[0]).toMatchObject({ amount: driver.bill, currency: driver.currency, channel: 'bill' });
      await expectDeviceError(time.settle(device.stackEscrow(escrow.ref)), 'payment');
      await sentinelCoin();
      expect(credits().filter((c) => c.channel === 'bill')).toHaveLength(1);
    });

    it('gives a note in escrow back on returnEscrow, without crediting it', async () => {
      await open();
      await accept(true);
      await driver.insertBill(driver.bill);
      await waitFor('the note in escrow', () => escrows().length === 1);
      const escrow = escrows()[0]!;
      await time.settle(device.returnEscrow(escrow.ref));
      await waitFor('the note returned', () => ofType('returned').length === 1);
      expect(ofType('returned')).toEqual([{ type: 'returned', ref: escrow.ref, amount: driver.bill }]);
      await expectDeviceError(time.settle(device.returnEscrow(escrow.ref)), 'payment');
      await expectDeviceError(time.settle(device.stackEscrow(escrow.ref)), 'payment');
      const sentinel = await sentinelCoin();
      expect(credits()).toEqual([sentinel]);
    });

    it('refuses to stack or return a note it does not hold', async () => {
      await open();
      await accept(true);
      await expectDeviceError(time.settle(device.stackEscrow('no-such-note')), 'payment');
      await expectDeviceError(time.settle(device.returnEscrow('no-such-note')), 'payment');
    });

    it('money taken just before acceptance is switched off still arrives, exactly once', async () => {
      await open();
      await accept(true);
      await driver.insertCoin(driver.coin);
      await accept(false);
      await waitFor('the late credit', () => credits().length === 1);
      await accept(true);
      await sentinelCoin();
      expect(credits()).toHaveLength(2);
    });

    it('stops telling an event listener once it unsubscribes', async () => {
      const other: PaymentEvent[] = [];
      const unsubscribe = device.onEvent((e) => other.push(e));
      await open();
      await accept(true);
      await sentinelCoin();
      expect(other.filter((e) => e.type === 'credit')).toHaveLength(1);
      unsubscribe();
      await sentinelCoin();
      expect(other.filter((e) => e.type === 'credit')).toHaveLength(1);
      expect(credits()).toHaveLength(2);
    });

    it('close() turns acceptance off and takes the device offline; it opens again with acceptance off', async () => {
      await open();
      await accept(true);
      await time.settle(device.close());
      expect(device.status()).toMatchObject({ online: false, ready: false, accepting: false });
      await expectDeviceError(time.settle(device.setAcceptance(true)), 'payment');

      await open();
      expect(device.status()).toMatchObject({ online: true, ready: true, accepting: false });
      await driver.insertCoin(driver.coin);
      await accept(true);
      await sentinelCoin();
      expect(credits()).toHaveLength(1);
    });
  });
}
