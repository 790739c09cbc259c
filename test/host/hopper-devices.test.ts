import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { closeDevices, openDevices } from '../../app/booth/booth-devices.ts';
import { createDevices, createSimulatedDevices } from '../../app/booth/create-devices.ts';
import { DeviceSet, configuredDevices, simulatedDevices } from '../../app/host/device-set.ts';
import { boothConfigSchema, type BoothConfigInput } from '../../config/schema.ts';
import { SystemClock } from '../../core/clock.ts';
import { SimClock } from '../../core/sim-clock.ts';
import { SimulatedHopper } from '../../hardware/hopper/simulated-hopper.ts';
import { MemoryCounterStore } from '../hardware/cctalk/cctalk-bus.ts';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hopper-devices-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** socat processes this test process started (one per emulated ccTalk bus). */
function ownSocats(): string[] {
  try {
    return execFileSync('pgrep', ['-P', String(process.pid), 'socat'], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .filter(Boolean);
  } catch {
    return [];
  }
}

const config = (input: BoothConfigInput) => boothConfigSchema.parse(input);

describe('the booth builds the hopper its config names', () => {
  it('none by default; a simulated one with its coins, its count kept in the state file under the data dir', async () => {
    expect(createDevices(config({}), new SimClock()).hopper).toBeNull();
    const dir = tempDir();
    const hopperStateFile = join(dir, 'hopper-count');
    const clock = new SystemClock();
    const set = new DeviceSet(configuredDevices(clock, { seed: 1, hopperStateFile }));
    cleanups.push(() => set.close());
    const simulated = config({ hardware: { hopper: { adapter: 'simulated', coinValue: 200, coins: 30 } } });
    expect((await set.apply(simulated)).hopper).toBe('opened');
    const hopper = set.devices.hopper as SimulatedHopper;
    expect(hopper).toBeInstanceOf(SimulatedHopper);
    expect(hopper.coinValue).toBe(200);
    expect(hopper.coins).toBe(30);
    expect(hopper.status().ready).toBe(true);
    expect(statSync(hopperStateFile).mode & 0o777).toBe(0o600);
    // The same config again: the same hopper, not reopened.
    expect((await set.apply(simulated)).hopper).toBe('kept');
    expect(set.opens.hopper).toBe(1);
    // No hopper any more: closed and gone.
    expect((await set.apply(config({}))).hopper).toBe('reopened');
    expect(set.devices.hopper).toBeNull();
    expect(hopper.status().reasons).toContain('closed');
  });

  it('simulators whatever the adapter (kiosk simulate, the demo): a SimulatedHopper paying the configured coin', async () => {
    const ccTalk = config({
      hardware: {
        payment: { adapter: 'cctalk', port: '/dev/ttyUSB0' },
        hopper: { adapter: 'cctalk', coinValue: 50 },
      },
    });
    const sims = createSimulatedDevices(ccTalk, new SimClock(), 1);
    expect(sims.hopper).toBeInstanceOf(SimulatedHopper);
    expect(sims.hopper!.coinValue).toBe(50);
    expect(createSimulatedDevices(config({}), new SimClock(), 1).hopper).toBeUndefined();
    const set = new DeviceSet(simulatedDevices(new SimClock(), 1));
    cleanups.push(() => set.close());
    await set.apply(ccTalk);
    expect(set.devices.hopper).toBeInstanceOf(SimulatedHopper);
    // openDevices and closeDevices take the hopper along with the others.
    const devices = createSimulatedDevices(
      config({ hardware: { hopper: { adapter: 'simulated' } } }),
      new SystemClock(),
      1,
    );
    await openDevices(devices);
    expect(devices.hopper!.status().ready).toBe(true);
    await closeDevices(devices);
    expect(devices.hopper!.status().ready).toBe(false);
  });

  it('a ccTalk hopper on the payment line: one emulated bus for both; a new line reopens both, still one bus', async () => {
    const clock = new SystemClock();
    const set = new DeviceSet(configuredDevices(clock, { seed: 1, counters: new MemoryCounterStore() }));
    cleanups.push(() => set.close());
    const onLine = (pollMs: number) =>
      config({
        hardware: {
          payment: { adapter: 'cctalk', port: 'simulator', pollMs, echo: false },
          hopper: { adapter: 'cctalk', address: 3, coinValue: 50 },
        },
      });
    expect(await set.apply(onLine(100))).toMatchObject({ payment: 'opened', hopper: 'opened' });
    expect(ownSocats()).toHaveLength(1);
    const hopper = set.devices.hopper!;
    expect(hopper.kind).toBe('cctalk');
    expect(hopper.status()).toMatchObject({ online: true, ready: true });
    expect(await hopper.payout(100)).toEqual({ requested: 100, paid: 100 });
    const count = await hopper.dispensedCount();

    // The payment line changes: the payment device and the hopper riding on it are both new.
    expect(await set.apply(onLine(200))).toMatchObject({ payment: 'reopened', hopper: 'reopened' });
    const again = set.devices.hopper!;
    expect(again).not.toBe(hopper);
    expect(again.status().ready).toBe(true);
    expect(await again.payout(50)).toEqual({ requested: 50, paid: 50 });
    expect(ownSocats()).toHaveLength(1);
    expect(count).toBe(2);

    await set.close();
    expect(ownSocats()).toEqual([]);
  }, 30_000);
});
