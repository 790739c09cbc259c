import { mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { SystemClock } from '../../../core/clock.ts';
import { SimClock } from '../../../core/sim-clock.ts';
import { DispenseCountFile } from '../../../hardware/hopper/dispense-count-file.ts';
import type { HopperStatus } from '../../../hardware/hopper/hopper-port.ts';
import { SimulatedHopper, type SimulatedHopperOptions } from '../../../hardware/hopper/simulated-hopper.ts';
import { expectDeviceError, realTime, simulatedTime } from '../../contract/device-time.ts';
import { describeHopperContract, type HopperFixture } from '../../contract/hopper-contract.ts';

const dir = mkdtempSync(join(tmpdir(), 'simulated-hopper-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const newStateFile = () => join(dir, `count-${++files}`);

/** The count in a hopper's NV memory, read as a restarted hopper would. */
function countIn(file: string): number {
  if (!statSync(file, { throwIfNoEntry: false })) return 0;
  const nv = DispenseCountFile.open(file);
  try {
    return nv.count;
  } finally {
    nv.close();
  }
}

const startCoins = 14;
const lowLevel = 10;

/** A simulated hopper with its NV memory in a state file; `reopen` is the same hopper restarted. */
function fixture(
  options: Omit<SimulatedHopperOptions, 'coins' | 'lowLevel' | 'stateFile'>,
  time: HopperFixture['time'],
) {
  const stateFile = newStateFile();
  const make = (coins: number) => new SimulatedHopper({ ...options, coins, lowLevel, stateFile });
  let current = make(startCoins);
  return {
    device: current,
    driver: {
      // The count is written before a coin is told, so the NV memory is what came out.
      coinsOut: () => countIn(stateFile),
      load: (coins: number) => current.load(coins),
      emptyAfter: (coins: number) => current.injectFault('empty', coins),
      jamAfter: (coins: number) => current.injectFault('jam', coins),
    },
    time,
    startCoins,
    lowLevel,
    reopen: async () => {
      // The coins stay in the hopper; the count comes back from its NV memory.
      current = make(current.coins);
      return current;
    },
  } satisfies HopperFixture;
}

describeHopperContract('SimulatedHopper on simulated time', async () => {
  const clock = new SimClock();
  return fixture({ clock, coinValue: 50 }, simulatedTime(clock));
});

describeHopperContract('SimulatedHopper on the system clock', async () => {
  return fixture({ clock: new SystemClock(), coinValue: 200, coinMs: 2, answerMs: 1 }, realTime());
});

describe('SimulatedHopper', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  async function setUp(options: Partial<SimulatedHopperOptions> = {}) {
    const clock = new SimClock();
    const hopper = new SimulatedHopper({ clock, coinValue: 100, coins: 50, ...options });
    const time = simulatedTime(clock);
    const statuses: HopperStatus[] = [];
    hopper.onStatus((s) => statuses.push(s));
    await time.settle(hopper.open());
    cleanups.push(() => time.settle(hopper.close()));
    return { clock, hopper, time, statuses };
  }

  it('pays one coin every coinMs of clock time', async () => {
    const { clock, hopper } = await setUp({ coinMs: 150, answerMs: 20 });
    const seen: number[] = [];
    hopper.onCoin(() => seen.push(clock.now()));
    const start = clock.now();
    const paying = hopper.payout(300);
    await clock.advance(20 + 150);
    expect(seen).toHaveLength(1);
    await clock.advance(300);
    expect(await paying).toEqual({ requested: 300, paid: 300 });
    expect(seen.map((at) => at - start)).toEqual([170, 320, 470]);
    expect(hopper.coins).toBe(47);
  });

  it('writes each coin to its state file (0600) before telling it', async () => {
    const stateFile = newStateFile();
    const { hopper, time } = await setUp({ stateFile });
    expect(statSync(stateFile).mode & 0o777).toBe(0o600);
    const countsSeen: [told: number, inFile: number][] = [];
    hopper.onCoin((dispensed) => countsSeen.push([dispensed, countIn(stateFile)]));
    await time.settle(hopper.payout(300));
    expect(countsSeen).toEqual([
      [1, 1],
      [2, 2],
      [3, 3],
    ]);
  });

  it('a disconnect mid-payout stops it at the next coin, paid short with fault "disconnected"', async () => {
    const { clock, hopper, time } = await setUp({ coinMs: 100, answerMs: 10 });
    hopper.onCoin((n) => n === 2 && hopper.injectFault('disconnect'));
    const paying = hopper.payout(500);
    await clock.advance(1_000);
    expect(await paying).toEqual({ requested: 500, paid: 200, fault: 'disconnected' });
    expect(hopper.status()).toEqual({
      online: false,
      ready: false,
      reasons: ['disconnected'],
      level: 'unknown',
    });
    await expectDeviceError(time.settle(hopper.dispensedCount()), 'hopper', 'disconnected');
    await expectDeviceError(time.settle(hopper.payout(100)), 'hopper', 'disconnected');
    hopper.clearFault();
    expect(await time.settle(hopper.dispensedCount())).toBe(2);
  });

  it('a timeout fails commands after a long wait, and stops a payout under way', async () => {
    const { clock, hopper, time } = await setUp({ coinMs: 100, answerMs: 10 });
    hopper.onCoin((n) => n === 1 && hopper.injectFault('timeout'));
    const paying = hopper.payout(300);
    await clock.advance(1_000);
    expect(await paying).toEqual({ requested: 300, paid: 100, fault: 'timeout' });
    await expectDeviceError(time.settle(hopper.dispensedCount()), 'hopper', 'timeout');
    expect(hopper.status()).toMatchObject({ online: true, ready: false, reasons: ['timeout'] });
  });

  it('runs dry on its own when it has fewer coins than asked', async () => {
    const { hopper, time, statuses } = await setUp({ coins: 3, lowLevel: 2 });
    expect(hopper.status().level).toBe('ok');
    expect(await time.settle(hopper.payout(500))).toEqual({ requested: 500, paid: 300, fault: 'empty' });
    expect(statuses.map((s) => s.level)).toEqual(['ok', 'empty']);
    hopper.load(1);
    expect(hopper.status()).toMatchObject({ level: 'low', ready: true });
  });

  it('stays jammed until the jam is cleared', async () => {
    const { hopper, time } = await setUp();
    hopper.injectFault('jam', 0);
    expect(await time.settle(hopper.payout(200))).toEqual({ requested: 200, paid: 0, fault: 'jam' });
    hopper.load(10); // coins do not clear a jam
    expect(await time.settle(hopper.payout(100))).toMatchObject({ paid: 0, fault: 'jam' });
    hopper.clearFault('jam');
    expect(hopper.status().ready).toBe(true);
    expect(await time.settle(hopper.payout(100))).toEqual({ requested: 100, paid: 100 });
  });

  it('refuses a state file it cannot read as a count, and a symlink in its place', async () => {
    const garbage = newStateFile();
    writeFileSync(garbage, 'not a count, but something someone put here');
    const clock = new SimClock();
    const hopper = new SimulatedHopper({ clock, coinValue: 100, stateFile: garbage });
    const error = await expectDeviceError(hopper.open(), 'hopper', 'nv-memory-error');
    expect(error.message).toMatch(/is not a dispense count file/);
    expect(hopper.status().ready).toBe(false);
    const link = join(dir, 'link');
    symlinkSync(newStateFile(), link);
    await expectDeviceError(
      new SimulatedHopper({ clock, coinValue: 100, stateFile: link }).open(),
      'hopper',
      'nv-memory-error',
    );
  });

  it('knows only its own faults, and refuses nonsense settings', () => {
    const hopper = new SimulatedHopper({ clock: new SimClock(), coinValue: 100 });
    expect(() => hopper.injectFault('out-of-paper')).toThrow(
      /no "out-of-paper" fault; it supports: empty, jam/,
    );
    expect(() => new SimulatedHopper({ clock: new SimClock(), coinValue: 0 })).toThrow(/coin value/);
    expect(() => hopper.load(-1)).toThrow(/whole number/);
  });
});
