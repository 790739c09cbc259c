// `kiosk start` as systemd and a fleet see it: started with NOTIFY_SOCKET and WATCHDOG_USEC (a
// real datagram socket) and fleet.mqtt on Debian's Mosquitto. READY, then watchdog pings, the
// retained online; SIGTERM: STOPPING and the retained offline (shutdown).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stopChild } from '../support/stop-child.ts';
import { brokerUser, Mosquitto, until, watcher } from './mosquitto.ts';
import { NotifySocket } from './notify-socket.ts';

const bin = fileURLToPath(new URL('../../bin/kiosk.js', import.meta.url));
const undo: (() => unknown)[] = [];
let broker: Mosquitto;
beforeAll(async () => {
  broker = await Mosquitto.start();
});
afterAll(async () => {
  for (const step of undo.splice(0).reverse()) await step();
  await broker?.close();
});

describe('kiosk start under systemd, with the fleet on', () => {
  it('READY, watchdog pings and online while it runs; STOPPING and offline on SIGTERM', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kiosk-supervised-'));
    undo.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const unit = `supervised-${process.pid}`;
    writeFileSync(
      join(dataDir, 'config.json'),
      JSON.stringify({
        unit: { id: unit },
        vision: { engine: 'basic' },
        environment: { enabled: false },
        fleet: { mqtt: { url: broker.url(), ...brokerUser, reconnectMs: 200 } },
      }),
    );
    const notify = await NotifySocket.open();
    undo.push(() => notify.close());
    const tech = await watcher(broker.url());
    undo.push(() => tech.client.endAsync(true));
    const child = spawn(process.execPath, [bin, 'start', '--shell', 'none', '--data-dir', dataDir], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NOTIFY_SOCKET: notify.path, WATCHDOG_USEC: '400000' },
    });
    undo.push(() => stopChild(child, 10_000));
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));

    await until('READY=1', () => notify.count('READY=1') === 1 || child.exitCode !== null, 120_000);
    expect(child.exitCode, out).toBeNull();
    expect(out).toContain('kiosk started');
    await until('watchdog pings', () => notify.count('WATCHDOG=1') >= 3, 10_000);
    await until('online', () =>
      tech.got.find((m) => m.topic === `booths/${unit}/status` && m.payload.status === 'online'),
    );
    expect(notify.count('STOPPING=1')).toBe(0);

    await stopChild(child, 15_000);
    expect(child.exitCode, out).toBe(0);
    expect(notify.count('STOPPING=1')).toBe(1);
    const pingsAtStop = notify.count('WATCHDOG=1');
    const offline = await until('offline', () =>
      tech.got.find((m) => m.topic === `booths/${unit}/status` && m.payload.status === 'offline'),
    );
    expect(offline.payload.reason).toBe('shutdown');
    expect(notify.count('WATCHDOG=1')).toBe(pingsAtStop);
  }, 180_000);
});
