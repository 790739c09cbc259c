import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BoothHost } from '../../../app/host/booth-host.ts';
import { configuredDevices } from '../../../app/host/device-set.ts';
import { serveControl } from '../../../app/host/control/serve-control.ts';
import { silentLogger } from '../../../app/logging/logger.ts';
import { decommissionFile, vaultMayOpen } from '../../../app/services/decommission/decommission-state.ts';
import { dataPaths } from '../../../config/data-dir.ts';
import { hashSecret } from '../../../config/pin.ts';
import { ConfigStore } from '../../../config/store.ts';
import { newReceiptCode } from '../../../core/receipt-code.ts';
import { cliOn } from '../../support/cli-in-process.ts';
import { until } from '../../shell/booth-fixture.ts';

const cleanups: Array<() => unknown> = [];
const hostClosers = new Map<BoothHost, () => Promise<void>>();
afterEach(async () => {
  for (const undo of cleanups.splice(0).reverse()) await undo();
});

/** A real booth on simulated devices, serving its control socket with its end of service wired in. */
function unitDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-decommission-control-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(
    dataPaths(dir).config,
    JSON.stringify({
      environment: { enabled: false },
      products: [{ id: 'photos-2', prints: 1, photosPerSheet: 2, price: 200 }],
      documents: ['schengen-visa'],
      money: { coins: [100, 200] },
      operator: { pins: { operator: hashSecret('4821'), technician: hashSecret('7390') } },
      endOfService: { noticeDays: 5 },
      hardware: { camera: { adapter: 'simulated', portrait: 1 } },
    }),
  );
  return dir;
}

async function openHost(dir: string): Promise<BoothHost> {
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

async function runningBooth(dir = unitDir()): Promise<{ dir: string; host: BoothHost }> {
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

describe('kiosk decommission, on the running booth through its control channel', () => {
  it('refuses the operator PIN, takes the technician one, shows the closing date; asked again, the first date stands', async () => {
    const { dir, host } = await runningBooth();
    await host.privacy.vault.beginSession('a-customer', { receiptCode: newReceiptCode() });
    await host.privacy.vault.put('a-customer', 'still', Buffer.from('a photo'));

    let run = await cliOn(dir, ['decommission', 'status', '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.out)).toEqual({
      phase: 'in-service',
      closesAt: null,
      takesMoney: true,
      step: null,
    });

    process.env.KIOSK_PIN = '4821';
    try {
      run = await cliOn(dir, ['decommission', 'begin']);
      expect(run.code).toBe(1);
      expect(run.err).toMatch(/technician PIN/);
      expect(existsSync(decommissionFile(dir))).toBe(false);

      process.env.KIOSK_PIN = '7390';
      run = await cliOn(dir, ['decommission', 'begin', '--json']);
      expect(run.code).toBe(0);
      const closing = JSON.parse(run.out) as { phase: string; closesAt: number };
      expect(closing.phase).toBe('closing');
      expect(closing.closesAt - Date.now()).toBeGreaterThan(5 * 86_400_000 - 60_000);
      run = await cliOn(dir, ['decommission', 'status']);
      expect(run.out).toMatch(/^closing on \d{4}-\d\d-\d\dT/);

      // Asked again with no notice: the first date stands (idempotent).
      run = await cliOn(dir, ['decommission', 'begin', '--notice-days', '0', '--json']);
      expect(JSON.parse(run.out)).toMatchObject({ phase: 'closing', closesAt: closing.closesAt });
    } finally {
      delete process.env.KIOSK_PIN;
    }
    expect(readdirSync(join(dataPaths(dir).vault, 'blobs'))).toHaveLength(1);
  });

  it('with no notice: money stopped, the vault destroyed, and the booth says so', async () => {
    const { dir, host } = await runningBooth();
    await host.privacy.vault.beginSession('a-customer', { receiptCode: newReceiptCode() });
    await host.privacy.vault.put('a-customer', 'still', Buffer.from('a photo'));
    process.env.KIOSK_PIN = '7390';
    try {
      const run = await cliOn(dir, ['decommission', 'begin', '--notice-days', '0']);
      expect(run.code, run.err).toBe(0);
      expect(run.out).toMatch(/^decommissioned/);
    } finally {
      delete process.env.KIOSK_PIN;
    }
    expect(vaultMayOpen(dir)).toBe(false);
    expect(existsSync(join(dataPaths(dir).vault, 'master.key'))).toBe(false);
    expect(readdirSync(join(dataPaths(dir).vault, 'blobs'))).toEqual([]);
    const status = await cliOn(dir, ['decommission', 'status', '--json']);
    expect(JSON.parse(status.out)).toMatchObject({ phase: 'decommissioned', takesMoney: false });
    expect(host.operatorAccess!.recentAudit(5).map((a) => a.action)).toContain('decommissioned');
    expect((await cliOn(dir, ['decommission', 'begin', '--notice-days', 'x'])).code).toBe(2);

    // Started again: the booth refuses, its vault is gone for good.
    await hostClosers.get(host)!();
    await expect(openHost(dir)).rejects.toMatchObject({ code: 'vault-destroyed' });
    // No booth runs, and the status still says so from the state file.
    const after = await cliOn(dir, ['decommission', 'status', '--json']);
    expect(after.code).toBe(0);
    expect(JSON.parse(after.out)).toMatchObject({ phase: 'decommissioned' });
  });

  it('a power cut during the destruction: the next start finishes it before refusing to open the vault', async () => {
    const { dir, host } = await runningBooth();
    await host.privacy.vault.beginSession('a-customer', { receiptCode: newReceiptCode() });
    await host.privacy.vault.put('a-customer', 'still', Buffer.from('a photo'));
    const d = host.decommission!;
    await d.begin({ role: 'technician', noticeDays: 3 });
    await hostClosers.get(host)!();
    // As the state file stands when the power went just after the key: destroying, key gone.
    const file = decommissionFile(dir);
    const state = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    writeFileSync(file, JSON.stringify({ ...state, step: 'outbox-flushed', destroying: true }));
    rmSync(join(dataPaths(dir).vault, 'master.key'));
    expect(readdirSync(join(dataPaths(dir).vault, 'blobs'))).toHaveLength(1);

    await expect(openHost(dir)).rejects.toMatchObject({ code: 'vault-destroyed' });
    expect(readdirSync(join(dataPaths(dir).vault, 'blobs'))).toEqual([]);
    expect(existsSync(join(dataPaths(dir).vault, 'index.sqlite'))).toBe(false);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ step: 'done' });
  });
});
