import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CcTalkCoinAcceptorSimulator } from '../../../hardware/payment/cctalk/emulators/cctalk-coin-acceptor-simulator.ts';
import { openPtyPair, type PtyPair } from '../../../hardware/payment/cctalk/emulators/pty-pair.ts';
import { SerialTransport } from '../../../hardware/payment/cctalk/driver/serial-transport.ts';
import { busCoins, coinKey, coinSerial } from './cctalk-bus.ts';

const repoRoot = new URL('../../../', import.meta.url).pathname;
const script = new URL('./power-cut-child.ts', import.meta.url).pathname;

type Line = Record<string, unknown>;

let dir: string;
let journalFile: string;
let pair: PtyPair;
let coin: CcTalkCoinAcceptorSimulator;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cctalk-power-cut-'));
  journalFile = join(dir, 'journal.sqlite');
  // The coin acceptor lives in the test process, on the device end of the pty, and keeps its
  // buffer and counter while the booth's process dies and starts again.
  pair = await openPtyPair();
  coin = new CcTalkCoinAcceptorSimulator(await SerialTransport.open(pair.devicePath), {
    checksum: 'simple8',
    interByteTimeoutMs: 20,
    coins: busCoins,
    serialNumber: coinSerial,
  });
});

afterEach(async () => {
  await coin.close();
  await pair.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs the booth's payment path in a child; `onReady` is the customer, once acceptance is on. */
function runBooth(env: Record<string, string>, onReady: () => void = () => {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', script, pair.hostPath, journalFile], {
    cwd: repoRoot,
    env: { ...process.env, RUN_MS: '600', ...env },
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
      if (line.ready) onReady();
    }
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null; lines: Line[]; stderr: string }>(
    (resolve) => child.on('exit', (code, signal) => resolve({ code, signal, lines, stderr })),
  );
}

/** What the journal file holds, read as it is on disk (no journal start-up in between). */
function journalRows() {
  const db = new Database(journalFile, { readonly: true });
  try {
    return {
      inserted: db.prepare(`SELECT ref, amount FROM movements WHERE kind = 'inserted' ORDER BY id`).all(),
      counter: (
        db.prepare('SELECT last_counter FROM device_counters WHERE device_id = ?').get(coinKey) as
          { last_counter: number } | undefined
      )?.last_counter,
    };
  } finally {
    db.close();
  }
}

const credits = (lines: Line[]) =>
  lines.flatMap((l) => {
    const event = l.event as { type: string; ref: string; amount: number } | undefined;
    return event?.type === 'credit' ? [{ ref: event.ref, amount: event.amount }] : [];
  });

describe('a power cut between a credit and its journal write', () => {
  it('killed before the write: the credit is in the journal exactly once after the restart', async () => {
    const cut = await runBooth({ POWER_CUT: 'before-write' }, () => coin.insertCoin(3));
    expect(cut.signal, `the booth did not die by SIGKILL (code ${cut.code}): ${cut.stderr}`).toBe('SIGKILL');
    const [credit] = credits(cut.lines);
    expect(credit).toEqual({ ref: `${coinKey}:0:1`, amount: 200 });
    expect(cut.lines.at(-1)).toEqual({ powerCut: 'before-write', ref: credit!.ref });
    expect(journalRows()).toEqual({ inserted: [], counter: 0 });
    expect(coin.cashbox).toEqual([3]); // the coin is in the cash box, and in no journal

    const restart = await runBooth({});
    expect(restart.code, restart.stderr).toBe(0);
    expect(credits(restart.lines)).toEqual([credit]);
    expect(restart.lines.at(-1)).toEqual({ done: true, balance: 200 });
    expect(journalRows()).toEqual({ inserted: [credit], counter: 1 });

    const again = await runBooth({});
    expect(credits(again.lines)).toEqual([]);
    expect(journalRows().inserted).toHaveLength(1);
  });

  it('killed right after the write: the credit is not credited again after the restart', async () => {
    const first = await runBooth({});
    expect(first.code, first.stderr).toBe(0);
    const cut = await runBooth({ POWER_CUT: 'after-write' }, () => coin.insertCoin(1));
    expect(cut.signal, `the booth did not die by SIGKILL (code ${cut.code}): ${cut.stderr}`).toBe('SIGKILL');
    expect(cut.lines.at(-1)).toEqual({ powerCut: 'after-write', ref: `${coinKey}:0:1` });
    expect(journalRows()).toEqual({ inserted: [{ ref: `${coinKey}:0:1`, amount: 50 }], counter: 1 });

    const restart = await runBooth({}, () => coin.insertCoin(2));
    expect(restart.code, restart.stderr).toBe(0);
    // Only the coin inserted after the restart is new.
    expect(credits(restart.lines)).toEqual([{ ref: `${coinKey}:0:2`, amount: 100 }]);
    expect(restart.lines.at(-1)).toEqual({ done: true, balance: 150 });
    expect(journalRows()).toEqual({
      inserted: [
        { ref: `${coinKey}:0:1`, amount: 50 },
        { ref: `${coinKey}:0:2`, amount: 100 },
      ],
      counter: 2,
    });
  });
});
