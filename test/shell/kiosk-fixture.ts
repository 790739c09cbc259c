/** A real Booth on simulated devices and real time, for the bridge and shell tests. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kioskConfigSchema } from '../../config/schema.ts';
import { SystemClock } from '../../core/clock.ts';
import { createDevices, createSimulatedDevices } from '../../app/booth/create-devices.ts';
import { Booth } from '../../app/booth/booth.ts';
import { CreditJournal } from '../../app/money/credit-journal.ts';
import { silentLogger } from '../../app/logging/logger.ts';
import { closeDevices, openDevices, type BoothDevices } from '../../app/booth/booth-devices.ts';

export interface KioskFixture {
  kiosk: Booth;
  devices: BoothDevices;
  close(): Promise<void>;
}

export async function startKiosk(
  options: { devices?: (d: BoothDevices) => BoothDevices } = {},
): Promise<KioskFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-shell-'));
  const clock = new SystemClock();
  const config = kioskConfigSchema.parse({
    timeouts: { countdownMs: 50 },
    environment: { enabled: false },
    vision: { engine: 'basic' },
  });
  const journal = CreditJournal.open(join(dir, 'journal.sqlite'), clock);
  const sims = createSimulatedDevices(config, clock, 3);
  const devices = options.devices ? options.devices(sims) : sims;
  const kiosk = new Booth({
    config,
    devices,
    journal,
    clock,
    logger: silentLogger(),
    policy: {
      notice: (language) => ({
        language,
        text: `# Privacy (${language})`,
        version: 'v1',
        changedAt: null,
        guardianNotice: true,
      }),
    },
  });
  await openDevices(devices);
  await kiosk.start();
  return {
    kiosk,
    devices,
    close: async () => {
      await kiosk.stop();
      await closeDevices(devices);
      journal.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export { createDevices };

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
