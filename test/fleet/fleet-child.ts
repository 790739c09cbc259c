// A booth unit with the fleet on, in a child process (fleet-booth-child.ts), for the MQTT tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dataPaths } from '../../config/data-dir.ts';
import { stopChild } from '../support/stop-child.ts';
import { until } from './mosquitto.ts';

const childScript = fileURLToPath(new URL('./fleet-booth-child.ts', import.meta.url));

export interface ChildBooth {
  unit: string;
  child: ChildProcess;
  log: () => string;
  send(line: string): void;
  lines: Record<string, unknown>[];
}

let units = 0;
/** Starts the booth on a fresh data dir with `fleet.mqtt` = `mqtt`; what to undo goes on `undo`. */
export async function boothChild(
  undo: (() => unknown)[],
  mqtt: Record<string, unknown>,
  alerts: Record<string, unknown> = {},
): Promise<ChildBooth> {
  const unit = `fleet-${process.pid}-${++units}`;
  const dir = mkdtempSync(join(tmpdir(), 'fleet-booth-'));
  undo.push(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(
    dataPaths(dir).config,
    JSON.stringify({
      unit: { id: unit },
      environment: { enabled: false },
      timeouts: { countdownMs: 50, healthRecheckMs: 500 },
      products: [{ id: 'photos-2', prints: 1, photosPerSheet: 2, price: 200 }],
      documents: ['schengen-visa'],
      money: { coins: [100, 200] },
      hardware: { camera: { adapter: 'simulated', portrait: 1 } },
      fleet: {
        mqtt: { reconnectMs: 200, keepaliveSeconds: 5, ...mqtt },
        alerts,
      },
    }),
  );
  const child = spawn(process.execPath, ['--import', 'tsx', childScript, dir], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  undo.push(() => stopChild(child));
  let log = '';
  let out = '';
  const lines: Record<string, unknown>[] = [];
  child.stderr!.on('data', (c: Buffer) => (log += c.toString()));
  child.stdout!.on('data', (c: Buffer) => {
    out += c.toString();
    const parts = out.split('\n');
    out = parts.pop()!;
    for (const part of parts) if (part) lines.push(JSON.parse(part) as Record<string, unknown>);
  });
  await until(
    'the booth child to start',
    () => lines.some((l) => l.ready) || child.exitCode !== null,
    60_000,
  );
  if (child.exitCode !== null) throw new Error(`the booth child exited ${child.exitCode}: ${log}`);
  return { unit, child, log: () => log, lines, send: (line) => child.stdin!.write(`${line}\n`) };
}
