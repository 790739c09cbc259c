import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CoinHopper, PayoutResult } from '../../hardware/hopper/hopper-port.ts';
import { expectDeviceError, type DeviceTime } from './device-time.ts';

/**
 * What the port cannot do itself: the hopper's physical side. For the simulator these are its
 * own methods; for the ccTalk adapter they act on the hopper emulator at the other end of the pty.
 */
export interface HopperDriver {
  /** Coins that physically left the hopper over its life, as the device itself knows. */
  coinsOut(): number;
  /** Staff pour coins in. */
  load(coins: number): void;
  /** The next payout runs dry after `coins` coins. */
  emptyAfter(coins: number): void;
  /** The next payout jams after `coins` coins (and the hopper stays jammed). */
  jamAfter(coins: number): void;
}

export interface HopperFixture {
  /** A fresh, closed hopper with `startCoins` coins in it. */
  readonly device: CoinHopper;
  readonly driver: HopperDriver;
  readonly time: DeviceTime;
  /** What the fixture loaded; its low-level sensor trips below `lowLevel`. */
  readonly startCoins: number;
  readonly lowLevel: number;
  /** The same physical hopper (same NV memory) behind a new device object, closed: a restart. */
  reopen(): Promise<CoinHopper>;
  /** Releases what the factory set up; the suite closes the devices itself. */
  readonly teardown?: () => Promise<void>;
}

/**
 * The contract every `CoinHopper` adapter must meet. Run it with a factory that makes a fresh,
 * closed hopper and its driver for every test; `startCoins` must be a few above `lowLevel`.
 */
export function describeHopperContract(name: string, create: () => Promise<HopperFixture>): void {
  describe(`CoinHopper contract: ${name}`, () => {
    let fixture: HopperFixture;
    let device: CoinHopper;
    let driver: HopperDriver;
    let time: DeviceTime;
    const others: CoinHopper[] = [];

    beforeEach(async () => {
      fixture = await create();
      ({ device, driver, time } = fixture);
      expect(fixture.startCoins).toBeGreaterThan(fixture.lowLevel + 3);
    });

    afterEach(async () => {
      for (const other of others.splice(0)) await time.settle(other.close()).catch(() => {});
      await time.settle(device.close()).catch(() => {});
      await fixture.teardown?.();
    });

    const open = () => time.settle(device.open());
    const coins = (n: number) => n * device.coinValue;
    /** A payout, checked against what physically came out: never more than asked. */
    async function pay(amount: number, on: CoinHopper = device): Promise<PayoutResult> {
      const outBefore = driver.coinsOut();
      const result = await time.settle(on.payout(amount));
      const out = driver.coinsOut() - outBefore;
      expect(result.requested).toBe(amount);
      expect(result.paid, 'paid is what physically came out').toBe(coins(out));
      expect(result.paid).toBeLessThanOrEqual(amount);
      return result;
    }

    it('opens online and ready, with a coin value and a stable id', async () => {
      expect(device.status()).toMatchObject({ online: false, ready: false });
      await open();
      expect(device.status()).toEqual({ online: true, ready: true, reasons: [], level: 'ok' });
      expect(device.coinValue).toBeGreaterThan(0);
      const id = device.deviceId;
      expect(id).toMatch(/\S/);
      await time.settle(device.close());
      await open();
      expect(device.deviceId).toBe(id);
    });

    it('pays exact amounts and counts every coin', async () => {
      await open();
      const before = await time.settle(device.dispensedCount());
      expect(await pay(coins(3))).toEqual({ requested: coins(3), paid: coins(3) });
      expect(await pay(coins(1))).toEqual({ requested: coins(1), paid: coins(1) });
      expect(await time.settle(device.dispensedCount())).toBe(before + 4);
    });

    it('refuses an amount that is not a positive whole number of its coins, paying nothing', async () => {
      await open();
      const before = await time.settle(device.dispensedCount());
      const out = driver.coinsOut();
      for (const amount of [coins(2) + 1, 0, -coins(1), coins(1) / 2, Number.NaN]) {
        await expectDeviceError(time.settle(device.payout(amount)), 'hopper', 'bad-amount');
      }
      expect(driver.coinsOut()).toBe(out);
      expect(await time.settle(device.dispensedCount())).toBe(before);
    });

    it('refuses to pay or count while closed', async () => {
      await expectDeviceError(time.settle(device.payout(coins(1))), 'hopper', 'closed');
      await expectDeviceError(time.settle(device.dispensedCount()), 'hopper', 'closed');
      await open();
      await time.settle(device.close());
      await expectDeviceError(time.settle(device.payout(coins(1))), 'hopper', 'closed');
      expect(device.status()).toMatchObject({ online: false, ready: false });
      expect(driver.coinsOut()).toBe(0);
    });

    it('running dry part-way pays short with fault "empty", and says it is empty', async () => {
      await open();
      const before = await time.settle(device.dispensedCount());
      driver.emptyAfter(2);
      expect(await pay(coins(5))).toEqual({ requested: coins(5), paid: coins(2), fault: 'empty' });
      expect(await time.settle(device.dispensedCount())).toBe(before + 2);
      expect(device.status()).toMatchObject({ ready: false, level: 'empty' });
      expect(device.status().reasons).toContain('empty');
      // Empty now: another payout pays nothing and says why.
      expect(await pay(coins(1))).toEqual({ requested: coins(1), paid: 0, fault: 'empty' });
      driver.load(fixture.startCoins);
      expect(await time.until(() => device.status().level === 'ok', 30_000)).toBe(true);
      expect(device.status().ready).toBe(true);
      expect(await pay(coins(2))).toEqual({ requested: coins(2), paid: coins(2) });
    });

    it('a jam pays short with fault "jam" and keeps the hopper out of service', async () => {
      await open();
      driver.jamAfter(1);
      expect(await pay(coins(4))).toEqual({ requested: coins(4), paid: coins(1), fault: 'jam' });
      expect(device.status()).toMatchObject({ ready: false });
      expect(device.status().reasons).toContain('jam');
      expect(await pay(coins(1))).toEqual({ requested: coins(1), paid: 0, fault: 'jam' });
    });

    it('says its level: ok, then low below its low-level sensor', async () => {
      await open();
      expect(device.status().level).toBe('ok');
      const toLow = fixture.startCoins - fixture.lowLevel + 1;
      expect(await pay(coins(toLow))).toEqual({ requested: coins(toLow), paid: coins(toLow) });
      expect(device.status()).toMatchObject({ level: 'low', ready: true });
    });

    it('keeps its dispense count across close and open, and across a new device object', async () => {
      await open();
      const before = await time.settle(device.dispensedCount());
      await pay(coins(3));
      await time.settle(device.close());
      await open();
      expect(await time.settle(device.dispensedCount())).toBe(before + 3);
      await time.settle(device.close());
      const again = await fixture.reopen();
      others.push(again);
      await time.settle(again.open());
      expect(again.deviceId).toBe(device.deviceId);
      expect(await time.settle(again.dispensedCount())).toBe(before + 3);
      await pay(coins(1), again);
      expect(await time.settle(again.dispensedCount())).toBe(before + 4);
    });

    it('pays one payout after the other when asked for two at once', async () => {
      await open();
      const before = await time.settle(device.dispensedCount());
      const [a, b] = await time.settle(Promise.all([device.payout(coins(2)), device.payout(coins(3))]));
      expect(a).toEqual({ requested: coins(2), paid: coins(2) });
      expect(b).toEqual({ requested: coins(3), paid: coins(3) });
      expect(await time.settle(device.dispensedCount())).toBe(before + 5);
      expect(driver.coinsOut()).toBe(before + 5);
    });
  });
}
