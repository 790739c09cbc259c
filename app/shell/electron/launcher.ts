import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Logger } from '../../logging/logger.ts';
import { shellEnvNames, type ElectronShellEnv } from './electron-main.ts';

/**
 * The Electron binary the `electron` package points to (its `path.txt`, under its `dist/`), or
 * null when the package or the binary is missing (its install script did not run: no download).
 * `ELECTRON_OVERRIDE_DIST_PATH` is honoured as the package itself honours it.
 */
export function electronBinary(
  env: NodeJS.ProcessEnv = process.env,
  resolvePackage: () => string = () => createRequire(import.meta.url).resolve('electron/package.json'),
): string | null {
  let packageDir: string;
  try {
    packageDir = dirname(resolvePackage());
  } catch {
    return null;
  }
  const pathFile = join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const relative = readFileSync(pathFile, 'utf8').trim();
  if (!relative) return null;
  const binary = env.ELECTRON_OVERRIDE_DIST_PATH
    ? join(env.ELECTRON_OVERRIDE_DIST_PATH, relative)
    : join(packageDir, 'dist', relative);
  return existsSync(binary) ? binary : null;
}

/** The environment the Electron main reads (see `takeShellEnv`). */
export function electronEnv(base: NodeJS.ProcessEnv, shell: ElectronShellEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  // Electron must start as Electron, not as plain Node.
  delete env.ELECTRON_RUN_AS_NODE;
  for (const [field, name] of Object.entries(shellEnvNames) as [keyof ElectronShellEnv, string][])
    env[name] = shell[field];
  return env;
}

/** The Electron shell's process; restarted when it dies, ended by `stop()`. */
export class ElectronProcess {
  readonly #o: { binary: string; mainScript: string; shell: ElectronShellEnv; logger: Logger };
  #child: ChildProcess | null = null;
  #stopping = false;
  #restart: NodeJS.Timeout | undefined;

  constructor(options: { binary: string; mainScript: string; shell: ElectronShellEnv; logger: Logger }) {
    this.#o = options;
  }

  start(): void {
    const { binary, mainScript, shell, logger } = this.#o;
    const args = [mainScript, ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])];
    const child = spawn(binary, args, {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: electronEnv(process.env, shell),
    });
    this.#child = child;
    logger.info({ pid: child.pid }, 'electron started');
    child.once('error', (error) => logger.error({ reason: error.message }, 'electron failed to start'));
    child.once('exit', (code, signal) => {
      if (this.#child === child) this.#child = null;
      if (this.#stopping) return;
      logger.warn({ code, signal }, 'electron exited; starting it again');
      this.#restart = setTimeout(() => this.start(), 3_000);
    });
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    clearTimeout(this.#restart);
    const child = this.#child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
    await exited;
    clearTimeout(timer);
  }
}
