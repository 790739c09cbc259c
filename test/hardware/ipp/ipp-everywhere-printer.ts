/**
 * Test helper: a real IPP Everywhere printer, CUPS's `ippeveprinter` (Debian cups-ipp-utils),
 * on a free localhost port, keeping every document it receives in a spool directory.
 *
 * Driving printer state (ippeveprinter 2.4.2):
 * - `setMedia` / `setSupplies` use the web forms on the same port (`/media`, `/supplies`);
 *   they take GET query strings, and a tray level of 0 adds `media-empty-report`. In 2.4.2 that
 *   reason stays after a refill through the form, and jobs are then held pending.
 * - The `-c` command runs once per job; what it writes to stderr as `STATE: +reason`,
 *   `STATE: -reason` or `ATTR: marker-levels=40 ...` changes printer-state-reasons and the
 *   marker-* attributes, and a non-zero exit aborts the job. Tests set that per job with
 *   `setJobScript`.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IppClient } from '../../../hardware/printer/ipp/ipp-client.ts';
import { stopChild } from '../../support/stop-child.ts';

export interface IppEverywherePrinter {
  readonly url: string;
  readonly port: number;
  readonly spoolDir: string;
  /** Documents the printer received, by file name (`<job-id>-<job-name>.<ext>`). */
  spooledFiles(): Promise<string[]>;
  /** Sets one input tray through the /media form (tray 1 = main, 2 = photo on a colour printer). */
  setMedia(tray: number, media: { size: string; type: string; level: number }): Promise<void>;
  /** Sets supply levels (percent) through the /supplies form, in printer-supply order. */
  setSupplies(levels: readonly number[]): Promise<void>;
  /** Shell lines the per-job command runs next (after the document is stored); '' for a plain success. */
  setJobScript(script: string): Promise<void>;
  /** What ippeveprinter wrote to stderr, for failure messages. */
  log(): string;
  /**
   * Stops and starts the printer on the same port and spool, as a technician power-cycles a
   * printer after loading paper: the only way to clear a media-empty ippeveprinter 2.4.2 has
   * reported (its /media form leaves the reason set).
   */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export interface StartOptions {
  readonly name?: string;
  readonly formats?: readonly string[];
}

const candidates = ['/usr/sbin/ippeveprinter', '/usr/bin/ippeveprinter'];

export function findIppeveprinter(): string | null {
  return candidates.find((path) => existsSync(path)) ?? null;
}

/**
 * Debian 12's ippeveprinter exits at start ("Unable to initialize DNS-SD") without a system
 * D-Bus and avahi-daemon, even with `-r off` (it opens its Avahi client before reading that
 * flag). Both may already run; after a machine's processes ended, their pid files and the bus
 * socket can be left behind, so liveness is asked of the daemons, not read from the files.
 */
export function ensureDbusAndAvahi(): void {
  if (!dbusAnswers()) {
    for (const stale of ['/run/dbus/pid', '/run/dbus/system_bus_socket']) rmSync(stale, { force: true });
    mkdirSync('/run/dbus', { recursive: true });
    const started = spawnSync('dbus-daemon', ['--system', '--fork'], { encoding: 'utf8' });
    if (!dbusAnswers())
      throw new Error(
        `could not start the system D-Bus: ${started.stderr || started.error?.message || 'no answer'}`,
      );
  }
  if (!avahiRuns()) {
    rmSync('/run/avahi-daemon/pid', { force: true });
    // Exits non-zero with "Daemon already running" if another start won the race: fine.
    const started = spawnSync('avahi-daemon', ['-D'], { encoding: 'utf8' });
    const deadline = Date.now() + 5000;
    while (!avahiRuns()) {
      if (Date.now() > deadline)
        throw new Error(
          `could not start avahi-daemon: ${started.stderr || started.error?.message || 'not running'}`,
        );
      spawnSync('sleep', ['0.1']);
    }
  }
}

function dbusAnswers(): boolean {
  const args = ['--system', '--print-reply', '--dest=org.freedesktop.DBus', '/org/freedesktop/DBus'];
  return spawnSync('dbus-send', [...args, 'org.freedesktop.DBus.GetId'], { stdio: 'ignore' }).status === 0;
}

function avahiRuns(): boolean {
  return spawnSync('avahi-daemon', ['--check'], { stdio: 'ignore' }).status === 0;
}

export async function startIppEverywherePrinter(options: StartOptions = {}): Promise<IppEverywherePrinter> {
  const binary = findIppeveprinter();
  if (!binary)
    throw new Error(`ippeveprinter not found in ${candidates.join(' or ')} (apt install cups-ipp-utils)`);
  ensureDbusAndAvahi();
  const workDir = await mkdtemp(join(tmpdir(), 'ippeve-'));
  const spoolDir = join(workDir, 'spool');
  const command = join(workDir, 'print-command.sh');
  const jobScript = join(workDir, 'job-script.sh');
  await writeFile(jobScript, '');
  // The per-job command; without one ippeveprinter "prints" by sleeping 5-15 s per job.
  await writeFile(command, `#!/bin/sh\n. '${jobScript}'\n`);
  await chmod(command, 0o755);
  await mkdir(spoolDir);
  const port = await freePort();
  const formats = options.formats ?? ['image/jpeg', 'image/pwg-raster', 'application/octet-stream'];
  // `-s 10,10` declares a colour printer, whose built-in media list adds the photo sizes
  // (na_index-4x6_4x6in, na_5x7_5x7in, ...) and a photo tray loaded with 4x6.
  const args = ['-r', 'off', '-p', String(port), '-d', spoolDir, '-k', '-s', '10,10', '-c', command];
  args.push('-f', formats.join(','), options.name ?? 'Booth Test Printer');
  let stderr = '';
  const launch = () => {
    const started = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    started.stderr!.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-20_000);
    });
    return started;
  };
  let child = launch();
  const url = `ipp://127.0.0.1:${port}/ipp/print`;
  const web = `http://127.0.0.1:${port}`;
  const printer: IppEverywherePrinter = {
    url,
    port,
    spoolDir,
    spooledFiles: async () => (await readdir(spoolDir)).sort(),
    setMedia: (tray, media) =>
      webForm(`${web}/media?size${tray}=${media.size}&type${tray}=${media.type}&level${tray}=${media.level}`),
    setSupplies: (levels) => webForm(`${web}/supplies?${levels.map((l, i) => `supply${i}=${l}`).join('&')}`),
    setJobScript: (script) => writeFile(jobScript, script),
    log: () => stderr,
    restart: async () => {
      await stopChild(child);
      child = launch();
      await waitUntilAnswering(url, child, () => stderr);
    },
    stop: async () => {
      await stopChild(child);
      await rm(workDir, { recursive: true, force: true });
    },
  };
  try {
    await waitUntilAnswering(url, child, () => stderr);
  } catch (error) {
    await printer.stop();
    throw error;
  }
  return printer;
}

/**
 * A per-job command that acts as the printer's paper: `mediaFile` holds the prints left; a job
 * with more copies than that fails part-way with `STATE: +media-empty` and a non-zero exit (the
 * printer aborts it), as a dye-sub that runs out mid-job does; each job that came out whole has
 * its name appended to `printedFile`.
 */
export function paperJobScript(mediaFile: string, printedFile: string): string {
  return [
    `left=$(cat '${mediaFile}')`,
    'copies=${IPP_COPIES:-1}',
    'if [ "$copies" -gt "$left" ]; then',
    `  echo 0 > '${mediaFile}'`,
    '  echo "STATE: +media-empty" >&2',
    '  exit 1',
    'fi',
    `echo $((left - copies)) > '${mediaFile}'`,
    `printf '%s\\n' "$IPP_JOB_NAME" >> '${printedFile}'`,
    '',
  ].join('\n');
}

async function webForm(url: string): Promise<void> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`ippeveprinter web form ${url} answered ${response.status}`);
  await response.text();
}

async function waitUntilAnswering(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const client = new IppClient(url, { timeoutMs: 1000 });
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`ippeveprinter exited with ${child.exitCode}:\n${log()}`);
    try {
      await client.getPrinterAttributes(['printer-state']);
      return;
    } catch (error) {
      if (Date.now() > deadline)
        throw new Error(`ippeveprinter did not answer at ${url}: ${String(error)}\n${log()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** Asks the kernel for a free port; a tiny race with other processes is acceptable in tests. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
