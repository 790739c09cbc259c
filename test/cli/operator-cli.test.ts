// The operator's CLI against a booth running in another process (`kiosk start --shell none`),
// every command through bin/kiosk.js as an operator types it.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stopChild } from '../support/stop-child.ts';

const bin = fileURLToPath(new URL('../../bin/kiosk.js', import.meta.url));
const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};
const dataDir = mkdtempSync(join(tmpdir(), 'kiosk-op-'));
const socket = join(dataDir, 'control.sock');
let booth: ChildProcess | null = null;

/** `kiosk ARGS` in a child process, with `input` on its stdin and KIOSK_PIN unset unless given. */
function kiosk(
  args: string[],
  options: { input?: string; env?: Record<string, string> } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
  if (!options.env?.KIOSK_PIN) delete env.KIOSK_PIN;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

const at = ['--data-dir', dataDir];

/** Starts the booth and resolves once its control channel listens. */
function startBooth(): Promise<ChildProcess> {
  const child = spawn(process.execPath, [bin, 'start', '--shell', 'none', ...at], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`the booth did not start: ${seen}`)), 90_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes('"control channel listening"')) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.once('exit', (code) => reject(new Error(`kiosk start exited with ${code}: ${seen}`)));
  });
}

beforeAll(() => {
  writeFileSync(
    join(dataDir, 'config.json'),
    JSON.stringify({ vision: { engine: 'basic' }, environment: { enabled: false } }),
  );
});
afterAll(async () => {
  if (booth) await stopChild(booth, 10_000);
  rmSync(dataDir, { recursive: true, force: true });
});

describe('kiosk without a running booth', () => {
  it('--version needs no booth', async () => {
    const r = await kiosk(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(
      new RegExp(
        `^kiosk ${version.replaceAll('.', '\\.')} \\(commit ([0-9a-f]{12}(\\+changes)?|unknown)\\)$`,
      ),
    );
  });

  it('each command says no booth runs, with exit 3, and starts none', async () => {
    for (const args of [
      ['status'],
      ['status', '--json'],
      ['cash', 'report'],
      ['cash', 'empty', '--counted', '0'],
      ['media', 'loaded', '--prints', '5'],
      ['price', 'set', 'photos-4', '100'],
      ['owed', 'list'],
      ['owed', 'retry', 'abc'],
      ['owed', 'give-up', 'abc', '--as', 'voucher'],
    ]) {
      const r = await kiosk([...args, ...at], { env: { KIOSK_PIN: '0000' } });
      expect(r.code, args.join(' ')).toBe(3);
      expect(r.stderr.trim()).toBe(`kiosk: no booth is running on ${dataDir} (start it with kiosk start)`);
    }
    expect(existsSync(socket)).toBe(false);
    expect(existsSync(join(dataDir, 'credit-journal.sqlite'))).toBe(false);
  });
});

describe('kiosk against a running booth', () => {
  beforeAll(async () => {
    booth = await startBooth();
  }, 120_000);

  it('status in words and as one JSON object', async () => {
    const text = await kiosk(['status', ...at]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('booth demo-01 (Photo booth (demo)):');
    expect(text.stdout).toContain('service: in service; maintenance off');
    expect(text.stdout).toContain('devices: camera ok, payment ok, photo-printer ok, receipt-printer ok');
    expect(text.stdout).toContain('prints left: 400');
    expect(text.stdout).toContain('PIN pad: open, 5 wrong PIN(s) before it locks');
    expect(text.stdout).toContain('prints owed: 0 sheets for 0 orders');
    const json = await kiosk(['status', '--json', ...at]);
    const lines = json.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      screen: 'attract',
      maintenance: false,
      pinPad: { attemptsLeft: 5, lockedUntil: null },
      printsLeft: 400,
      takings: { cashIn: 0 },
      owed: { orders: 0, sheets: 0 },
    });
    expect(statSync(socket).mode & 0o777).toBe(0o600);
  });

  it('cash report and owed list need no PIN', async () => {
    const cash = await kiosk(['cash', 'report', ...at]);
    expect(cash.code).toBe(0);
    expect(cash.stdout).toContain('money in: €0.00');
    expect(JSON.parse((await kiosk(['cash', 'report', '--json', ...at])).stdout)).toMatchObject({
      unitId: 'demo-01',
      currency: 'EUR',
      expectedInCashBox: 0,
    });
    const owed = await kiosk(['owed', 'list', ...at]);
    expect(owed).toMatchObject({ code: 0, stdout: 'no prints owed\n' });
  });

  it('price set takes the PIN from stdin, writes the config and the booth applies it', async () => {
    const noPin = await kiosk(['price', 'set', 'photos-4', '950', ...at]);
    expect(noPin.code).toBe(1);
    expect(noPin.stderr).toContain('price.set needs the operator PIN (--pin-stdin, or KIOSK_PIN');
    const onArgv = await kiosk(['price', 'set', 'photos-4', '950', '--pin', '0000', ...at]);
    expect(onArgv.code).toBe(2);
    expect(onArgv.stderr).toContain('not --pin: `ps` shows the command line');
    const bad = await kiosk(['price', 'set', 'photos-4', '9.50', '--pin-stdin', ...at], { input: '0000\n' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('AMOUNT must be a whole number');
    const unknown = await kiosk(['price', 'set', 'photos-99', '950', '--pin-stdin', ...at], {
      input: '0000\n',
    });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no product "photos-99"');

    const set = await kiosk(['price', 'set', 'photos-4', '950', '--pin-stdin', ...at], { input: '0000\n' });
    expect(set.code).toBe(0);
    expect(set.stdout.trim()).toBe('photos-4: €8.00 -> €9.50 (applies now)');
    const file = JSON.parse(readFileSync(join(dataDir, 'config.json'), 'utf8')) as {
      products: { id: string; price: number }[];
    };
    expect(file.products.find((p) => p.id === 'photos-4')!.price).toBe(950);
    // The booth still answers after applying its new config.
    expect((await kiosk(['status', ...at])).code).toBe(0);
  });

  it('media loaded and cash empty with KIOSK_PIN; a wrong PIN is refused', async () => {
    const wrong = await kiosk(['cash', 'empty', '--counted', '0', ...at], { env: { KIOSK_PIN: '9999' } });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('wrong PIN (4 tries left before the pad locks)');
    expect(JSON.parse((await kiosk(['status', '--json', ...at])).stdout).pinPad).toEqual({
      attemptsLeft: 4,
      lockedUntil: null,
    });
    const media = await kiosk(['media', 'loaded', '--prints', '120', ...at], { env: { KIOSK_PIN: '0000' } });
    expect(media).toMatchObject({ code: 0, stdout: 'media loaded: 120 prints left (4x6, ok)\n' });
    const emptied = await kiosk(['cash', 'empty', '--counted', '0', ...at], { env: { KIOSK_PIN: '0000' } });
    expect(emptied.code).toBe(0);
    expect(emptied.stdout).toContain('cash box emptied: period 1 closed');
    expect(emptied.stdout).toContain('expected €0.00, counted €0.00, difference €0.00');
    expect(emptied.stdout).toContain('Z-report printed on the receipt printer');
    const noCount = await kiosk(['cash', 'empty', ...at], { env: { KIOSK_PIN: '0000' } });
    expect(noCount.code).toBe(2);
    expect(noCount.stderr).toContain('--counted is required');
  });

  it('owed retry and give-up say what was wrong', async () => {
    const retry = await kiosk(['owed', 'retry', 'abc', ...at], { env: { KIOSK_PIN: '0000' } });
    expect(retry.code).toBe(1);
    expect(retry.stderr).toContain('no print is owed for order abc');
    const noAs = await kiosk(['owed', 'give-up', 'abc', ...at], { env: { KIOSK_PIN: '0000' } });
    expect(noAs.code).toBe(2);
    expect(noAs.stderr).toContain('owed give-up needs --as refund or --as voucher');
    const none = await kiosk(['owed', 'give-up', 'abc', '--as', 'voucher', ...at], {
      env: { KIOSK_PIN: '0000' },
    });
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('no print is owed for order abc');
  });

  it('a booth killed -9 leaves its socket: the CLI says no booth runs, and the next start serves again', async () => {
    booth!.kill('SIGKILL');
    await new Promise((resolve) => booth!.once('exit', resolve));
    booth = null;
    expect(statSync(socket).isSocket()).toBe(true);
    const r = await kiosk(['status', ...at]);
    expect(r.code).toBe(3);
    expect(r.stderr.trim()).toBe(`kiosk: no booth is running on ${dataDir} (start it with kiosk start)`);
    booth = await startBooth();
    expect((await kiosk(['status', ...at])).code).toBe(0);
  }, 120_000);
});
