/**
 * A real booth, built by the one composition root (BoothHost) on simulated devices and real
 * time, in a data directory of its own, for the bridge and shell tests.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { boothConfigSchema, type BoothConfigInput } from '../../config/schema.ts';
import type { Booth } from '../../app/booth/booth.ts';
import { silentLogger } from '../../app/logging/logger.ts';
import type { BoothDevices } from '../../app/booth/booth-devices.ts';
import { BoothHost } from '../../app/host/booth-host.ts';
import { simulatedDevices } from '../../app/host/device-set.ts';
import { createSimulatedDevices } from '../../app/booth/create-devices.ts';

export interface BoothFixture {
  host: BoothHost;
  booth: Booth;
  devices: BoothDevices;
  close(): Promise<void>;
}

export async function startBooth(
  options: {
    /** Given the demo's simulators, the devices to run on instead (a wrapped one, say). */
    devices?: (simulators: BoothDevices) => BoothDevices;
    /** More of the unit's config (a simulated hopper, say). */
    config?: Omit<BoothConfigInput, 'timeouts' | 'environment' | 'vision'>;
  } = {},
): Promise<BoothFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'booth-shell-'));
  const config = boothConfigSchema.parse({
    timeouts: { countdownMs: 50 },
    environment: { enabled: false },
    vision: { engine: 'basic' },
    ...options.config,
  });
  const host = await BoothHost.open(
    {
      dataDir: dir,
      logger: silentLogger(),
      holder: 'shell test',
      vision: 'none',
      devices: ({ clock }) =>
        simulatedDevices(clock, 3, options.devices?.(createSimulatedDevices(config, clock, 3))),
    },
    config,
  );
  try {
    await host.start(config);
  } catch (error) {
    await host.close();
    throw error;
  }
  return {
    host,
    booth: host.booth,
    devices: host.booth.devices,
    close: async () => {
      await host.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Resolves when `check` passes, polling; rejects after `ms`. */
export async function until<T>(
  check: () => T | undefined | null | false,
  ms = 10_000,
  what = 'condition',
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
