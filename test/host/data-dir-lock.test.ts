// One booth per data directory: a second `kiosk start` refuses, naming the holder, and leaves the
// first booth's paid order alone; the lock dies with its process, so kill -9 leaves none behind.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { boothConfigSchema } from '../../config/schema.ts';
import { BoothHost } from '../../app/host/booth-host.ts';
import { DataDirInUseError, DataDirLock } from '../../app/host/data-dir-lock.ts';
import { configuredDevices } from '../../app/host/device-set.ts';
import { silentLogger } from '../../app/logging/logger.ts';
import { runKiosk } from '../support/run-kiosk.ts';
import { stopChild } from '../support/stop-child.ts';
import { walkUpAndPay } from '../support/walk-up.ts';

const bin = fileURLToPath(new URL('../../bin/kiosk.js', import.meta.url));
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const configJson = { vision: { engine: 'basic' }, environment: { enabled: false } };

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'booth-lock-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'config.json'), JSON.stringify(configJson));
  return dir;
}

/** `kiosk start` in a child; resolves once it logged that it started. */
async function startBooth(dir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [bin, 'start', '--shell', 'none', '--data-dir', dir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  cleanups.push(() => stopChild(child, 10_000));
  let out = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start: ${out}`)), 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('"kiosk started"')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
  });
  return child;
}

describe('the data directory lock', () => {
  it('refuses a second lock in the same process and names the holder', () => {
    const dir = dataDir();
    const lock = DataDirLock.acquire(dir, 'kiosk start');
    expect(() => DataDirLock.acquire(dir, 'kiosk vault delete')).toThrow(DataDirInUseError);
    expect(() => DataDirLock.acquire(dir, 'kiosk vault delete')).toThrow(
      `in use by pid ${process.pid} (kiosk start)`,
    );
    lock.release();
    DataDirLock.acquire(dir, 'again').release();
  });

  it('a second kiosk start exits non-zero naming the holder; the first booth keeps its paid order', async () => {
    const dir = dataDir();
    const config = boothConfigSchema.parse({ ...configJson, products: [{ id: 'p', prints: 1, price: 100 }] });
    const host = await BoothHost.open(
      {
        dataDir: dir,
        logger: silentLogger(),
        holder: 'booth A',
        vision: 'none',
        devices: ({ clock, journal }) => configuredDevices(clock, { seed: 1, counters: journal }),
      },
      config,
    );
    cleanups.push(() => host.close());
    await host.start(config);
    const booth = host.booth;
    await walkUpAndPay(booth, { documentId: config.documents[0]!, productId: 'p', coin: 100 });
    const [order] = host.journal.openOrders();
    expect(order).toMatchObject({ price: 100 });

    const second = await runKiosk(['start', '--shell', 'none', '--data-dir', dir]);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`is in use by pid ${process.pid} (booth A)`);
    // Booth B did not "recover" A's live order into credit.
    expect(host.journal.openOrders()).toEqual([order]);
    expect(booth.view().screen.screen).toBe('pose');
  }, 60_000);

  it('dies with its process: after kill -9 a new booth takes the directory at once', async () => {
    const dir = dataDir();
    const first = await startBooth(dir);
    const refused = await runKiosk(['vault', 'delete', 'ABCDE-FGHJK', '--data-dir', dir]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`in use by pid ${first.pid} (kiosk start)`);
    first.kill('SIGKILL');
    await new Promise((resolve) => first.once('exit', resolve));
    const next = await startBooth(dir);
    expect(next.pid).toBeGreaterThan(0);
  }, 120_000);
});
