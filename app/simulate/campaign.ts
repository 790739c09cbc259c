import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crashPoints, type CrashPoint } from '../../core/crash-point.ts';
import { CcTalkEmulators } from '../../hardware/payment/cctalk/emulators/cctalk-emulators.ts';
import { checkBooks, type BooksCheck } from './campaign-books.ts';
import type { CampaignChildInput, CampaignChildReport } from './campaign-child.ts';
import { campaignCoins, hopperAddress } from './campaign-config.ts';
import { campaignVisits } from './campaign-customers.ts';
import { campaignFaults, mountSmallDisk, type CampaignFault } from './campaign-faults.ts';

const childScript = new URL('./campaign-child.ts', import.meta.url).pathname;
/**
 * The disk-full cases' file system: room for the runs' journal, vault and printed sheets with
 * the booth's reserve (campaign-config.ts) to spare, small enough to fill in a moment.
 */
const diskMegabytes = 256;

/** One fault: where, which, with which seed, and what the books said after the restart. */
export interface CampaignCase {
  point: CrashPoint;
  fault: CampaignFault;
  seed: number;
  /** The fault came at the point (for `kill`: the process died there). */
  crashed: boolean;
  /** Why the case could not run here (a disk-full case without the right to mount a tmpfs). */
  skipped?: string;
  /** Why the faulted booth went out of service on the way (`storage:low` for a full disk). */
  outOfService: string[];
  /** After the restart: the invariant's terms and what broke it (nothing, when all holds). */
  books: BooksCheck | null;
  problems: string[];
  ms: number;
}

export interface CampaignReport {
  cases: CampaignCase[];
  /** Points (with their fault) no seed reached: the campaign did not test them. */
  unreached: string[];
  failed: number;
  skipped: number;
}

export interface CampaignOptions {
  points?: readonly CrashPoint[];
  /** The faults to bring at each point (default: every one, kill first). */
  faults?: readonly CampaignFault[];
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
  const faults = options.faults ?? campaignFaults;
  const seeds = options.seeds ?? 1;
  const cases: CampaignCase[] = [];
  const unreached: string[] = [];
  for (const fault of faults) {
    for (const point of points) {
      let reached = false;
      // Every seed asked for; then more seeds while none reached the point (a seed's coins may
      // end the sessions before it), up to maxTries.
      for (let seed = 1; seed <= seeds || (!reached && seed <= seeds + (options.maxTries ?? 4)); seed++) {
        const one = await runCase(point, fault, seed);
        reached ||= one.crashed || one.skipped !== undefined;
        if (one.crashed || seed <= seeds || one.problems.length > 0) {
          cases.push(one);
          options.onCase?.(one);
        }
      }
      if (!reached) unreached.push(fault === 'kill' ? point : `${point} (${fault})`);
    }
  }
  return {
    cases,
    unreached,
    failed: cases.filter((c) => c.problems.length > 0).length,
    skipped: cases.filter((c) => c.skipped !== undefined).length,
  };
}

async function runCase(point: CrashPoint, fault: CampaignFault, seed: number): Promise<CampaignCase> {
  const started = Date.now();
  const caseDir = mkdtempSync(join(tmpdir(), 'kiosk-campaign-'));
  // The booth's data directory; the hopper's memory lives beside it, as a device's own does (a
  // full disk under the booth must not stop the hopper counting).
  const dataDir = join(caseDir, 'data');
  mkdirSync(dataDir, { mode: 0o700 });
  const disk = fault === 'disk-full' ? mountSmallDisk(dataDir, diskMegabytes) : null;
  if (disk && 'refused' in disk) {
    rmSync(caseDir, { recursive: true, force: true });
    const skipped = disk.refused;
    return {
      point,
      fault,
      seed,
      crashed: false,
      skipped,
      outOfService: [],
      books: null,
      problems: [],
      ms: 0,
    };
  }
  const emulators = await CcTalkEmulators.open({
    checksum: 'simple8',
    echo: false,
    coin: { address: 2, values: { ...campaignCoins } },
    bill: null,
    hopper: { address: hopperAddress, coins: 500, coinMs: 20, stateFile: join(caseDir, 'hopper-nv') },
  });
  const problems: string[] = [];
  let books: BooksCheck | null = null;
  let crashed = false;
  let outOfService: string[] = [];
  try {
    const setup = { dataDir, hostPath: emulators.hostPath };
    const first = await runChild({ ...setup, seed, visits: campaignVisits, fault }, emulators, `${point}`);
    crashed = first.faultAt === point && (fault === 'kill' ? first.killed : first.report !== null);
    outOfService = first.report?.outOfService ?? [];
    if (!crashed && first.faultAt) problems.push(`the fault came at ${first.faultAt}, not ${point}`);
    if (!first.killed && !first.report) problems.push(`first run ended without a report (${first.exit})`);
    // A booth that survived the fault must have served everyone and be back in service.
    if (first.report?.state.startsWith('stalled'))
      problems.push(`after the fault the booth ${first.report.state}`);
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
    if (disk && 'unmount' in disk) disk.unmount();
    rmSync(caseDir, { recursive: true, force: true });
  }
  return { point, fault, seed, crashed, outOfService, books, problems, ms: Date.now() - started };
}

interface ChildOutcome {
  /** The point the fault came at (said on stderr just before it). */
  faultAt: string | null;
  /** The process died by SIGKILL. */
  killed: boolean;
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
      const faultAt = /(?:crash|fault)-point (\S+)/.exec(stderr)?.[1] ?? null;
      const exit = signal
        ? `signal ${signal}`
        : `exit ${code}${code ? `: ${stderr.trim().split('\n').slice(-3).join(' | ')}` : ''}`;
      resolve({ faultAt, killed: signal === 'SIGKILL', report, exit });
    });
  });
}
