import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeDispenseCount } from '../../../hardware/payment/cctalk/driver/cctalk-hopper-data.ts';
import { CcTalkHost } from '../../../hardware/payment/cctalk/driver/cctalk-host.ts';
import { Header } from '../../../hardware/payment/cctalk/driver/cctalk-link.ts';
import { SerialTransport } from '../../../hardware/payment/cctalk/driver/serial-transport.ts';
import { CcTalkHopperSimulator } from '../../../hardware/payment/cctalk/emulators/cctalk-hopper-simulator.ts';
import { openPtyPair, type PtyPair } from '../../../hardware/payment/cctalk/emulators/pty-pair.ts';
import { bytes } from './cctalk-line.ts';

const repoRoot = new URL('../../../', import.meta.url).pathname;
const script = new URL('./hopper-kill-child.ts', import.meta.url).pathname;

type Line = Record<string, unknown>;
interface Run {
  readonly lines: Line[];
  /** Kills it the way a power cut or kill -9 does. */
  kill(): void;
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

/** Starts hopper-kill-child.ts; `onLine` hears each line it says as it says it. */
function run(args: string[], env: Record<string, string> = {}, onLine: (line: Line) => void = () => {}): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Line[] = [];
  let pending = '';
  let stderr = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    pending += chunk;
    for (let at = pending.indexOf('\n'); at >= 0; at = pending.indexOf('\n')) {
      const line = JSON.parse(pending.slice(0, at)) as Line;
      pending = pending.slice(at + 1);
      lines.push(line);
      onLine(line);
    }
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return {
    lines,
    kill: () => child.kill('SIGKILL'),
    exit: new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stderr }))),
  };
}

const coinsTold = (lines: Line[]) => lines.filter((l) => typeof l.coin === 'number').length;
const countSaid = (lines: Line[]) => lines.find((l) => l.ready)?.count;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hopper-kill-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('kill -9 of the booth mid-payout: the ccTalk hopper counts what came out', () => {
  let pair: PtyPair;
  let hopper: CcTalkHopperSimulator;
  beforeEach(async () => {
    // The hopper lives in the test process, on the device end of the pty: it outlives the booth.
    pair = await openPtyPair();
    hopper = new CcTalkHopperSimulator(await SerialTransport.open(pair.devicePath), {
      checksum: 'simple8',
      interByteTimeoutMs: 20,
      coinMs: 30,
      stateFile: join(dir, 'hopper-nv'),
    });
  });
  afterEach(async () => {
    await hopper.close();
    await pair.close();
  });

  it('the booth dies at the third coin; the hopper pays on; the restarted booth reads the whole count', async () => {
    const booth = run(['booth', pair.hostPath], { PAY: '10' });
    hopper.onCoin((n) => n === 3 && booth.kill());
    const cut = await booth.exit;
    expect(cut.signal, `the booth did not die by SIGKILL (code ${cut.code}): ${cut.stderr}`).toBe('SIGKILL');
    expect(countSaid(booth.lines)).toBe(0);
    expect(booth.lines.some((l) => 'result' in l)).toBe(false); // it never heard how the payout ended
    // Restarted at once, while the hopper may still be paying: open waits the payout out.
    const again = run(['booth', pair.hostPath]);
    const done = await again.exit;
    expect(done.code, done.stderr).toBe(0);
    expect(hopper.remaining).toBe(0);
    expect(hopper.dispensed).toBe(10);
    expect(countSaid(again.lines)).toBe(hopper.dispensed);
    expect(again.lines[0]).toMatchObject({ deviceId: 'cctalk:hopper:1193046' });
  }, 30_000);
});

describe('kill -9 of the booth mid-payout: a simulated hopper keeps its count in its state file', () => {
  it('killed from outside after a coin is told: the count has every coin told (and at most the one on its way)', async () => {
    const stateFile = join(dir, 'hopper-nv');
    // Its lines come as it says them: the kill follows the line for coin 3 at once.
    const booth: Run = run(
      ['simulated', stateFile],
      { PAY: '10', COIN_MS: '150' },
      (line) => line.coin === 3 && booth.kill(),
    );
    const cut = await booth.exit;
    expect(cut.signal, cut.stderr).toBe('SIGKILL');
    const told = coinsTold(booth.lines);
    expect(told).toBeGreaterThanOrEqual(3);
    const again = run(['simulated', stateFile]);
    expect((await again.exit).code).toBe(0);
    const count = countSaid(again.lines) as number;
    expect(count).toBeGreaterThanOrEqual(told);
    expect(count).toBeLessThanOrEqual(told + 1);
  }, 30_000);

  it('killed just after telling coin 3: the count is exactly 3', async () => {
    const stateFile = join(dir, 'hopper-nv');
    const booth = run(['simulated', stateFile], { PAY: '10', KILL_AT_COIN: '3' });
    expect((await booth.exit).signal).toBe('SIGKILL');
    expect(coinsTold(booth.lines)).toBe(3);
    const again = run(['simulated', stateFile]);
    await again.exit;
    expect(countSaid(again.lines)).toBe(3);
  }, 30_000);

  it('killed between counting coin 3 and telling it: the count already has it (written first)', async () => {
    const stateFile = join(dir, 'hopper-nv');
    const booth = run(['simulated', stateFile], { PAY: '10', KILL_BEFORE_COIN: '3' });
    expect((await booth.exit).signal).toBe('SIGKILL');
    expect(coinsTold(booth.lines)).toBe(2);
    const again = run(['simulated', stateFile]);
    await again.exit;
    expect(countSaid(again.lines)).toBe(3);
  }, 30_000);
});

describe('kill -9 of the hopper emulator mid-payout: its NV count survives', () => {
  it('a new emulator on the state file answers 168 with every coin it told', async () => {
    const stateFile = join(dir, 'hopper-nv');
    const pair = await openPtyPair();
    const host = await CcTalkHost.open(pair.hostPath, { checksum: 'simple8', echo: false, timeoutMs: 60 });
    try {
      const emulator = run(['emulator', pair.devicePath, stateFile], { KILL_AT_COIN: '4' });
      while (!emulator.lines.some((l) => l.ready)) await new Promise((resolve) => setTimeout(resolve, 5));
      await host.request(3, Header.EnableHopper, bytes(165));
      await host.request(3, Header.DispenseHopperCoins, bytes(0x56, 0x34, 0x12, 10));
      expect((await emulator.exit).signal).toBe('SIGKILL');
      expect(coinsTold(emulator.lines)).toBe(4);
      const restarted = new CcTalkHopperSimulator(await SerialTransport.open(pair.devicePath), {
        checksum: 'simple8',
        stateFile,
      });
      try {
        expect(decodeDispenseCount(await host.request(3, Header.RequestHopperDispenseCount))).toBe(4);
      } finally {
        await restarted.close();
      }
    } finally {
      await host.close();
      await pair.close();
    }
  }, 30_000);
});
