// Stopping whatever started the booth (npm start, npx, a terminal's shell) stops the booth too,
// cleanly: its data directory is free again at once, and no node process is left behind.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDirLock } from '../../app/host/data-dir-lock.ts';
import { until } from '../shell/booth-fixture.ts';

const bin = fileURLToPath(new URL('../../bin/kiosk.js', import.meta.url));
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('kiosk start under a parent', () => {
  it('stops when its parent shell is killed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiosk-parent-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ vision: { engine: 'basic' } }));
    // A shell that waits for the booth, as `npm start` and npx do (`; true` keeps sh from exec'ing node).
    const shell = spawn(
      'sh',
      ['-c', `"${process.execPath}" "${bin}" start --shell none --data-dir "${dir}"; true`],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    shell.stdout.on('data', (c: Buffer) => (out += c.toString()));
    await until(() => out.includes('"kiosk started"'), 60_000, 'the booth to start');
    const { pid } = JSON.parse(readFileSync(join(dir, 'booth.lock.pid'), 'utf8')) as { pid: number };
    cleanups.push(() => alive(pid) && process.kill(pid, 'SIGKILL'));
    expect(pid).not.toBe(shell.pid);
    shell.kill('SIGKILL');
    await until(() => !alive(pid), 15_000, 'the booth to stop after its parent');
    expect(out).toContain('"reason":"parent-gone"');
    // It stopped cleanly: the lock is free.
    DataDirLock.acquire(dir, 'test').release();
  }, 90_000);
});
