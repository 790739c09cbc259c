import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../app/cli/main.ts';
import { gphoto2VirtualCameraAvailability } from '../../hardware/camera/gphoto2/virtual-camera.ts';
import { runKiosk } from '../support/run-kiosk.ts';

const root = new URL('../../', import.meta.url).pathname;
const dataDir = mkdtempSync(join(tmpdir(), 'kiosk-cli-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function cli(args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

describe('kiosk CLI', () => {
  it('refuses unknown commands and bad numbers with exit 2 and says what was wrong', async () => {
    expect((await cli(['fly'])).err.join('')).toContain('unknown command "fly"');
    expect((await cli(['fly'])).code).toBe(2);
    const bad = await cli(['simulate', '--sessions', 'many']);
    expect(bad.code).toBe(2);
    expect(bad.err.join('')).toContain('--sessions must be a whole number');
    expect((await cli(['simulate'])).err.join('')).toContain('--sessions is required');
    const fault = await cli([
      'simulate',
      '--sessions',
      '1',
      '--faults',
      'printer-on-fire',
      '--data-dir',
      dataDir,
    ]);
    expect(fault.code).toBe(2);
    expect(fault.err.join('')).toContain('unknown fault "printer-on-fire"');
    expect((await cli(['start', '--colour', 'red'])).code).toBe(2);
  });

  it('config check names the wrong field; a broken data-dir config stops simulate with the reason', async () => {
    const file = join(dataDir, 'broken.json');
    writeFileSync(file, JSON.stringify({ retakes: -1 }));
    const checked = await cli(['config', 'check', file]);
    expect(checked.code).toBe(1);
    expect(checked.err.join('')).toContain('retakes');
    const own = mkdtempSync(join(tmpdir(), 'kiosk-cli-broken-'));
    writeFileSync(join(own, 'config.json'), '{ not json');
    const sim = await cli(['simulate', '--sessions', '1', '--data-dir', own]);
    expect(sim.code).toBe(1);
    expect(sim.err.join('')).toMatch(/config\.json/);
    rmSync(own, { recursive: true, force: true });
  });

  it('config show names the secrets as set, never their values', async () => {
    const own = mkdtempSync(join(tmpdir(), 'kiosk-show-'));
    writeFileSync(
      join(own, 'config.json'),
      JSON.stringify({
        mail: {
          host: 'smtp.example.org',
          user: 'booth',
          password: 'smtp-secret-8817',
          from: 'booth@example.org',
          operatorAddress: 'operator@example.org',
        },
        fleet: { mqtt: { url: 'mqtts://broker.example.org', username: 'b', password: 'mqtt-secret-5521' } },
      }),
    );
    const shown = await cli(['config', 'show', '--data-dir', own]);
    expect(shown.code).toBe(0);
    const text = shown.out.join('');
    expect(text).not.toContain('smtp-secret-8817');
    expect(text).not.toContain('mqtt-secret-5521');
    const config = JSON.parse(text);
    expect(config.mail.password).toBe('[set]');
    expect(config.fleet.mqtt.password).toBe('[set]');
    expect(config.mail.host).toBe('smtp.example.org');
    rmSync(own, { recursive: true, force: true });
  });

  it('config set-pin stores a hash, never the PIN', async () => {
    const set = await cli(['config', 'set-pin', '482913', '--data-dir', dataDir]);
    expect(set.code).toBe(0);
    const shown = await cli(['config', 'show', '--data-dir', dataDir]);
    expect(shown.out.join('')).not.toContain('482913');
    expect(JSON.parse(shown.out.join('')).operator.pins).toEqual({ operator: '[set]', technician: null });
    expect((await cli(['config', 'set-pin', 'abcd', '--data-dir', dataDir])).code).toBe(1);
    // The technician's own PIN, beside the operator's; never the demo PIN or the other role's.
    expect(
      (await cli(['config', 'set-pin', '771204', '--role', 'technician', '--data-dir', dataDir])).code,
    ).toBe(0);
    const both = await cli(['config', 'show', '--data-dir', dataDir]);
    expect(JSON.parse(both.out.join('')).operator.pins).toEqual({ operator: '[set]', technician: '[set]' });
    const demo = await cli(['config', 'set-pin', '0000', '--role', 'technician', '--data-dir', dataDir]);
    expect(demo.code).toBe(1);
    expect(demo.err.join('')).toContain('0000 is the demo PIN');
    const same = await cli(['config', 'set-pin', '482913', '--role', 'technician', '--data-dir', dataDir]);
    expect(same.code).toBe(1);
    expect(same.err.join('')).toContain("the other role's PIN");
    expect((await cli(['config', 'set-pin', '123456', '--role', 'boss', '--data-dir', dataDir])).code).toBe(
      2,
    );
  });

  it('`kiosk simulate` through the bin prints one balanced JSON line', async () => {
    const { code, stdout } = await run(['simulate', '--sessions', '5', '--seed', '5', '--data-dir', dataDir]);
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const r = JSON.parse(lines[0]!);
    expect(r.sessions).toBe(5);
    expect(r.creditIn).toBe(
      r.creditPrinted + r.creditCarried + r.creditRefunded + r.creditKept + r.creditVouchers + r.creditOwed,
    );
  }, 120_000);

  it('`kiosk start` runs the demo, logs state changes as JSON lines and stops on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      [join(root, 'bin/kiosk.js'), 'start', '--data-dir', dataDir, '--autoplay'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const states: string[] = [];
    let buffer = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no customer reached the booth; saw ${states.join(', ')}`)),
        90_000,
      );
      child.stdout.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        const lines = buffer.split('\n');
        buffer = lines.pop()!;
        for (const line of lines) {
          const entry = JSON.parse(line) as { msg: string; state?: string };
          if (entry.msg === 'state') states.push(entry.state!);
          if (entry.state === 'customer.consent') {
            clearTimeout(timer);
            resolve();
          }
        }
      });
      child.once('exit', (code) => reject(new Error(`kiosk exited early with ${code}`)));
    });
    expect(states.slice(0, 3)).toEqual(['attract.checking', 'attract.idle', 'customer.language']);
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(0);
  }, 120_000);

  it('`kiosk bench` reports every figure with its target as a JSON line', async () => {
    const { code, out } = await cli(['bench', '--sessions', '2']);
    const figures = out.map(
      (l) =>
        JSON.parse(l) as {
          name: string;
          value: number;
          ok: boolean;
          target: string;
          skipped?: string;
          error?: string;
        },
    );
    expect(figures.map((f) => f.name)).toEqual([
      'live frame coached (p95)',
      'credit written and synced (p95)',
      'simulated sessions per second',
      'diagnostics cost per live frame',
      'fleet: status and alerts judged once (mean)',
      'live face analysis, 640x424 (frames per second)',
      'live face analysis, 640x424 (p95)',
      'live pose coaching with every check, 640x424 (frames per second)',
      'live pose coaching with every check, 640x424 (p95)',
      'still check, 6000x4000 JPEG (median)',
      'mouth.closed on the portraits and their variants: teeth smile refused, closed lips passed (share)',
      'ID photo produced from a 6000x4000 JPEG, backdrop replaced, sheet and digital file (median)',
      'peak memory by the end of ID photo production',
      'camera live view on the virtual D750, camera 30 fps, maxFps 25 (frames per second)',
      'camera frame to the basic pose coach hint on the virtual D750 (p95)',
      'camera frame to the face engine pose coach hint, every check, on the virtual D750 (p95)',
      'capture to still in the vault on the virtual D750 (median)',
      'camera child killed -9 to its first new live view frame (median)',
      'peak memory',
    ]);
    // The camera's figures are skipped, saying why, where the virtual camera is not built.
    const camera = gphoto2VirtualCameraAvailability();
    for (const f of figures) {
      if (!camera.available && /virtual D750|camera child/.test(f.name)) {
        expect(f).toEqual({ name: f.name, skipped: expect.stringContaining(camera.reason!) });
        continue;
      }
      expect(f.error).toBeUndefined();
      expect(f.skipped).toBeUndefined();
      expect(f.value).toBeGreaterThan(0);
      expect(f.target).toMatch(/^(<=|>=) \d+/);
    }
    // The exit code follows the figures (no timing is asserted here: that is the bench's job).
    expect(code).toBe(figures.every((f) => f.ok !== false) ? 0 : 1);
  }, 120_000);

  it('`kiosk bench --only vision` measures the live view and the still check alone', async () => {
    const { code, out } = await cli(['bench', '--only', 'vision']);
    const figures = out.map(
      (l) => JSON.parse(l) as { name: string; ok: boolean; detail?: { backend?: string } },
    );
    expect(figures.map((f) => f.name)).toEqual([
      'live face analysis, 640x424 (frames per second)',
      'live face analysis, 640x424 (p95)',
      'live pose coaching with every check, 640x424 (frames per second)',
      'live pose coaching with every check, 640x424 (p95)',
      'still check, 6000x4000 JPEG (median)',
      'mouth.closed on the portraits and their variants: teeth smile refused, closed lips passed (share)',
      'peak memory',
    ]);
    // The live figures are the wasm backend's, whatever else is installed.
    for (const f of figures.slice(0, 4)) expect(f.detail?.backend).toBe('wasm');
    expect(code).toBe(figures.every((f) => f.ok) ? 0 : 1);
    const wrong = await cli(['bench', '--only', 'camera']);
    expect(wrong.code).toBe(2);
    expect(wrong.err.join('')).toContain('--only must be one of vision, not "camera"');
  }, 120_000);
});

const run = (args: string[]) => runKiosk(args);
