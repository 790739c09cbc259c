/**
 * End-to-end support: a real booth (`kiosk start --shell browser --no-browser`, simulated
 * hardware) in a child process, and Debian's Chromium driven by playwright-core, as a person
 * uses the screen. Screenshots of every screen go to test-artifacts/e2e/<test>/.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { stopChild } from '../support/stop-child.ts';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const bin = join(repo, 'bin/kiosk.js');
export const chromiumPath = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));

export interface RunningBooth {
  url: string;
  dataDir: string;
  /** Everything the booth printed (JSON log lines), for failure messages. */
  output(): string;
  /** Stops the booth and deletes its data dir, unless `keepData` (a restart on the same unit). */
  stop(options?: { keepData?: boolean }): Promise<void>;
}

/**
 * Starts a booth on simulated hardware with `config` and resolves once its screen's URL is
 * printed. `dataDir`: an existing unit's (a booth stopped with `keepData`), its config as it is.
 */
export async function startBooth(config: object, options: { dataDir?: string } = {}): Promise<RunningBooth> {
  if (!existsSync(join(repo, 'dist/renderer/index.html')))
    throw new Error('dist/renderer is missing: run `npm run build` first (npm test does)');
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'kiosk-e2e-'));
  if (!options.dataDir) writeFileSync(join(dataDir, 'config.json'), JSON.stringify(config));
  const child = spawn(
    process.execPath,
    [bin, 'start', '--shell', 'browser', '--no-browser', '--port', '0', '--data-dir', dataDir],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, KIOSK_NO_BROWSER: '1' } },
  );
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the booth printed no URL in 120 s:\n${output}`)),
      120_000,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /^kiosk ui: (\S+)$/m.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the booth exited with ${code} before printing its URL:\n${output}`));
    });
  });
  return {
    url,
    dataDir,
    output: () => output,
    stop: async (stopOptions = {}) => {
      await stopChild(child, 10_000);
      if (!stopOptions.keepData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath!,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
}

/** Takes numbered screenshots of one test's screens into test-artifacts/e2e/<test>/. */
export class ScreenRecorder {
  readonly dir: string;
  #n = 0;

  constructor(testName: string) {
    this.dir = join(repo, 'test-artifacts', 'e2e', testName.replace(/[^a-z0-9]+/gi, '-').toLowerCase());
    rmSync(this.dir, { recursive: true, force: true });
    mkdirSync(this.dir, { recursive: true });
  }

  async shot(page: Page, label: string): Promise<void> {
    const name = `${String(++this.#n).padStart(2, '0')}-${label}.png`;
    await page.screenshot({ path: join(this.dir, name) });
  }
}

/** Waits until the element is on screen (fails the test after the timeout). */
export const visible = (locator: Locator, timeout = 15_000) =>
  locator.first().waitFor({ state: 'visible', timeout });

/** The screen's one h1. */
export const heading = (page: Page, name: string | RegExp) => page.getByRole('heading', { level: 1, name });

/** Waits for the screen whose title this is. */
export async function expectScreen(page: Page, title: string | RegExp, timeout = 15_000): Promise<void> {
  await heading(page, title).waitFor({ state: 'visible', timeout });
}

/** Demo mode's staff panel (Ctrl+Shift+S): presses `buttons` in order, then closes it. */
export async function staffPanel(page: Page, ...buttons: string[]): Promise<void> {
  await page.keyboard.press('Control+Shift+S');
  const panel = page.getByRole('dialog', { name: 'Staff panel' });
  await panel.waitFor({ state: 'visible' });
  for (const name of buttons) await panel.getByRole('button', { name, exact: true }).click();
  await panel.getByRole('button', { name: 'Close', exact: true }).click();
  await panel.waitFor({ state: 'hidden' });
}
