import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crashPoints, type CrashPoint } from '../../core/crash-point.ts';
import { CcTalkEmulators } from '../../hardware/payment/cctalk/emulators/cctalk-emulators.ts';
import { checkBooks, type BooksCheck } from './campaign-books.ts';
import type { CampaignChildInput, CampaignChildReport } from './campaign-child.ts';
import { campaignCoins, hopperAddress } from './campaign-config.ts';
import { campaignVisits } from './campaign-customers.ts';

const childScript = new URL('./campaign-child.ts', import.meta.url).pathname;

/** One kill -9: where, with which seed, and what the books said after the restart. */
export interface CampaignCase {
  point: CrashPoint;
  seed: number;
  /** The process died at the point (it was reached and the kill came there). */
  crashed: boolean;
  /** After the restart: the invariant's terms and what broke it (nothing, when all holds). */
  books: BooksCheck | null;
  problems: string[];
  ms: number;
}

export interface CampaignReport {
  cases: CampaignCase[];
  /** Points no seed reached (their case did not crash): the campaign did not test them. */
  unreached: CrashPoint[];
  failed: number;
}

export interface CampaignOptions {
  points?: readonly CrashPoint[];
  /** Seeds per point (each picks other coins, so the kill lands at another moment). */
  seeds?: number;
  /** Try further seeds (up to this many) for a point that a seed did not reach. */
  maxTries?: number;
  onCase?: (c: CampaignCase) => void;
}

/**
 * `kiosk simulate --campaign`: for each crash point and seed, a booth on a fresh data directory
 * runs paid sessions in a process of its own until it is killed -9 at that point, then starts
 * again on the same directory and serves one more customer; the books must then balance to the
 * coin against what the devices themselves counted (see campaign-books.ts). The coin acceptor and
 * hopper emulators live in this process on a real pty, so they outlive the booth as devices do.
 */
export async function runCampaign(options: CampaignOptions = {}): Promise<CampaignReport> {
  const points = options.points ?? crashPoints;
  const seeds = options.seeds ?? 1;
  const cases: CampaignCase[] = [];
  const unreached: CrashPoint[] = [];
  for (const point of points) {
    let reached = false;
    // Every seed asked for; then more seeds while none reached the point (a seed's coins may
    // end the sessions before it), up to maxTries.
    for (let seed = 1; seed <= seeds || (!reached && seed <= seeds + (options.maxTries ?? 4)); seed++) {
      const one = await runCase(point, seed);
      reached ||= one.crashed;
      if (one.crashed || seed <= seeds || one.problems.length > 0) {
        cases.push(one);
        options.onCase?.(one);
      }
    }
    if (!reached) unreached.push(point);
  }
  return { cases, unreached, failed: cases.filter((c) => c.problems.length > 0).length };
}

async function runCase(point: CrashPoint, seed: number): Promise<CampaignCase> {
  const started = Date.now();
  const dataDir = mkdtempSync(join(tmpdir(), 'kiosk-campaign-'));
  const emulators = await CcTalkEmulators.open({
    checksum: 'simple8',
    echo: false,
    coin: { address: 2, values: { ...campaignCoins } },
    bill: null,
    hopper: { address: hopperAddress, coins: 500, coinMs: 20, stateFile: join(dataDir, 'hopper-nv') },
  });
  const problems: string[] = [];
  let books: BooksCheck | null = null;
  let crashed = false;
  try {
    const setup = { dataDir, hostPath: emulators.hostPath };
    const first = await runChild({ ...setup, seed, visits: campaignVisits }, emulators, `${point}`);
    crashed = first.crashedAt === point;
    if (!crashed && first.crashedAt) problems.push(`died at ${first.crashedAt}, not ${point}`);
    if (!crashed && !first.report) problems.push(`first run ended without a report (${first.exit})`);
    // The restart: crash recovery, then one more customer on the same books.
    const again = await runChild({ ...setup, seed: seed + 1000, visits: ['complete'] }, emulators, null);
    if (!again.report) problems.push(`the restarted booth did not finish (${again.exit})`);
    else {
      if (again.report.state.startsWith('stalled'))
        problems.push(`the restarted booth ${again.report.state}`);
      if (again.report.openVaultSessions > 0)
        problems.push(`${again.report.openVaultSessions} vault sessions left open after the restart`);
    }
    books = checkBooks({ dataDir, emulators });
    problems.push(...books.problems);
  } catch (error) {
    problems.push(`campaign case failed: ${(error as Error).message}`);
  } finally {
    await emulators.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return { point, seed, crashed, books, problems, ms: Date.now() - started };
}

interface ChildOutcome {
  crashedAt: string | null;
  report: CampaignChildReport | null;
  exit: string;
}

function runChild(
  input: CampaignChildInput,
  emulators: CcTalkEmulators,
  crashAt: string | null,
): Promise<ChildOutcome> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env };
    delete env['KIOSK_CRASH_AT'];
    if (crashAt) env['KIOSK_CRASH_AT'] = crashAt;
    const child = spawn(process.execPath, ['--import', 'tsx', childScript, JSON.stringify(input)], {
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      env,
    });
    let stderr = '';
    let report: CampaignChildReport | null = null;
    child.stderr!.setEncoding('utf8').on('data', (text: string) => {
      stderr = (stderr + text).slice(-8_000);
    });
    child.on('message', (message: { insert?: number; id?: number; done?: CampaignChildReport }) => {
      if (message.insert !== undefined) {
        emulators.insertCoin(message.insert);
        if (child.connected) child.send({ answer: message.id });
      }
      if (message.done) report = message.done;
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      const crashedAt = /crash-point (\S+)/.exec(stderr)?.[1] ?? null;
      const exit = signal
        ? `signal ${signal}`
        : `exit ${code}${code ? `: ${stderr.trim().split('\n').slice(-3).join(' | ')}` : ''}`;
      resolve({ crashedAt: signal === 'SIGKILL' ? crashedAt : null, report, exit });
    });
  });
}
