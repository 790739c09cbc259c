// `kiosk start` applies a new config (SIGHUP) between customers, and also while out of service:
// that is when an operator fixes the cause (here: the printer's paper, counted by config).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, it } from 'vitest';
import { stopChild } from '../support/stop-child.ts';

const bin = fileURLToPath(new URL('../../bin/kiosk.js', import.meta.url));
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const config = (capacity: number) =>
  JSON.stringify({
    vision: { engine: 'basic' },
    environment: { enabled: false },
    timeouts: { healthRecheckMs: 500 },
    hardware: { photoPrinter: { adapter: 'simulated', capacity } },
  });

describe('kiosk start: config reload', () => {
  it('applies a config sent while the booth is out of service, and the booth comes back', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kiosk-reload-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const file = join(dataDir, 'config.json');
    writeFileSync(file, config(0)); // no paper: out of service from the start
    const child = spawn(process.execPath, [bin, 'start', '--shell', 'none', '--data-dir', dataDir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    cleanups.push(() => stopChild(child, 10_000));
    const entries: { msg: string; state?: string }[] = [];
    let buffer = '';
    const waitFor = (test: (e: { msg: string; state?: string }) => boolean, what: string) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`${what} not seen; saw ${entries.map((e) => e.state ?? e.msg).join(', ')}`)),
          90_000,
        );
        const look = () => {
          if (!entries.some(test)) return;
          clearTimeout(timer);
          child.stdout.off('data', look);
          resolve();
        };
        child.stdout.on('data', look);
        look();
      });
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop()!;
      for (const line of lines) entries.push(JSON.parse(line) as { msg: string; state?: string });
    });
    await waitFor((e) => e.state?.startsWith('outOfService') ?? false, 'out of service');
    writeFileSync(file, config(400)); // paper loaded
    child.kill('SIGHUP');
    await waitFor((e) => e.msg === 'config applied', 'config applied');
    await waitFor((e) => e.state === 'attract.idle', 'attract.idle');
  }, 120_000);
});
