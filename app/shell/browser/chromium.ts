import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../../logging/logger.ts';

export const chromiumCandidates = ['/usr/bin/chromium', '/usr/bin/chromium-browser'] as const;

export type LaunchDecision =
  { launch: true; binary: string } | { launch: false; reason: 'disabled' | 'no-chromium' | 'no-display' };

/** Whether to open the kiosk page in Chromium, and with which binary. */
export function chromiumDecision(options: {
  noBrowser: boolean;
  env: NodeJS.ProcessEnv;
  exists?: (path: string) => boolean;
}): LaunchDecision {
  const exists = options.exists ?? existsSync;
  if (options.noBrowser || options.env.KIOSK_NO_BROWSER === '1') return { launch: false, reason: 'disabled' };
  const binary = chromiumCandidates.find((path) => exists(path));
  if (!binary) return { launch: false, reason: 'no-chromium' };
  if (!options.env.DISPLAY && !options.env.WAYLAND_DISPLAY) return { launch: false, reason: 'no-display' };
  return { launch: true, binary };
}

/** Chromium's flags for a full-screen kiosk window on the page, with a throw-away profile. */
export function chromiumArgs(url: string, userDataDir: string, asRoot: boolean): string[] {
  return [
    '--kiosk',
    `--app=${url}`,
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-translate',
    '--noerrdialogs',
    `--user-data-dir=${userDataDir}`,
    ...(asRoot ? ['--no-sandbox'] : []),
  ];
}

/**
 * Chromium showing the kiosk page. If it exits on its own (crash, someone closed it) it comes
 * back after a short pause; `stop()` ends it and removes its profile.
 */
export class ChromiumWindow {
  readonly #binary: string;
  readonly #url: string;
  readonly #logger: Logger;
  readonly #profile: string;
  #child: ChildProcess | null = null;
  #stopping = false;
  #restart: NodeJS.Timeout | undefined;

  readonly #onStart: () => void;

  constructor(options: { binary: string; url: string; logger: Logger; onStart?: () => void }) {
    this.#binary = options.binary;
    this.#url = options.url;
    this.#logger = options.logger;
    this.#onStart = options.onStart ?? (() => {});
    this.#profile = mkdtempSync(join(tmpdir(), 'kiosk-chromium-'));
  }

  /** The throw-away profile this window runs on (its processes carry it on their command line). */
  get profileDir(): string {
    return this.#profile;
  }

  start(): void {
    const asRoot = process.getuid?.() === 0;
    const child = spawn(this.#binary, chromiumArgs(this.#url, this.#profile, asRoot), { stdio: 'ignore' });
    this.#child = child;
    this.#logger.info({ pid: child.pid, binary: this.#binary }, 'chromium started');
    this.#onStart();
    child.once('error', (error) => this.#logger.error({ reason: error.message }, 'chromium failed to start'));
    child.once('exit', (code, signal) => {
      if (this.#child === child) this.#child = null;
      if (this.#stopping) return;
      this.#logger.warn({ code, signal }, 'chromium exited; starting it again');
      this.#restart = setTimeout(() => this.start(), 3_000);
    });
  }

  /** Ends this Chromium (its page is dead): it comes back as after any exit. */
  restart(reason: string): void {
    const child = this.#child;
    if (!child || this.#stopping) return;
    this.#logger.warn({ reason }, 'chromium restarted');
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
    child.once('exit', () => clearTimeout(timer));
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    clearTimeout(this.#restart);
    const child = this.#child;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((done) => child.once('exit', () => done()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(this.#profile, { recursive: true, force: true });
  }
}
