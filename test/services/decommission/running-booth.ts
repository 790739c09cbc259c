// A real BoothHost on simulated devices with its control socket, as `kiosk start` runs it (its
// own outbox and end of service served), for the decommission and mail CLI tests.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BoothHost } from '../../../app/host/booth-host.ts';
import { configuredDevices } from '../../../app/host/device-set.ts';
import { serveControl } from '../../../app/host/control/serve-control.ts';
import { silentLogger } from '../../../app/logging/logger.ts';
import { dataPaths } from '../../../config/data-dir.ts';
import { hashSecret } from '../../../config/pin.ts';
import { ConfigStore } from '../../../config/store.ts';
import { until } from '../../shell/booth-fixture.ts';

export const operatorPin = '4821';
export const technicianPin = '7390';

/** What each test leaves to undo; the test file's afterEach calls `cleanUp()`. */
export const cleanups: Array<() => unknown> = [];
export const hostClosers = new Map<BoothHost, () => Promise<void>>();

export async function cleanUp(): Promise<void> {
  for (const undo of cleanups.splice(0).reverse()) await undo();
}

/** A unit's data directory with its config (PINs set; `extra` merged in at the top level). */
export function unitDir(extra: Record<string, unknown> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-decommission-control-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(
    dataPaths(dir).config,
    JSON.stringify({
      environment: { enabled: false },
      products: [{ id: 'photos-2', prints: 1, photosPerSheet: 2, price: 200 }],
      documents: ['schengen-visa'],
      money: { coins: [100, 200] },
      operator: { pins: { operator: hashSecret(operatorPin), technician: hashSecret(technicianPin) } },
      endOfService: { noticeDays: 5 },
      hardware: { camera: { adapter: 'simulated', portrait: 1 } },
      ...extra,
    }),
  );
  return dir;
}

export async function openHost(dir: string): Promise<BoothHost> {
  const store = new ConfigStore({ file: dataPaths(dir).config });
  return BoothHost.open(
    {
      dataDir: dir,
      logger: silentLogger(),
      holder: 'test',
      vision: 'none',
      configStore: store,
      devices: ({ clock, journal }) => configuredDevices(clock, { seed: 3, counters: journal }),
    },
    store.load(),
  );
}

export async function runningBooth(dir = unitDir()): Promise<{ dir: string; host: BoothHost }> {
  const store = new ConfigStore({ file: dataPaths(dir).config });
  const config = store.load();
  const logger = silentLogger();
  const host = await openHost(dir);
  let closed = false;
  cleanups.push(() => (closed ? undefined : host.close()));
  hostClosers.set(host, async () => {
    closed = true;
    await host.close();
  });
  await host.start(config);
  // The host's own end of service, as `kiosk start` serves it.
  const decommission = host.decommission!;
  const control = await serveControl({ host, dataDir: dir, configStore: store, logger, decommission });
  cleanups.push(() => control.close());
  await until(() => host.booth.view().waitingForCustomer, 10_000, 'attract');
  return { dir, host };
}
