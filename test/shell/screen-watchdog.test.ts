// The browser shell keeps the customer's screen alive: a page whose renderer crashed never
// reconnects, so its Chromium window is restarted. First the rule on fake timers, then for real:
// Debian's Chromium on Xvfb showing the real kiosk page, its renderer killed -9.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger, silentLogger, type Logger } from '../../app/logging/logger.ts';
import { BoothUi } from '../../app/shell/bridge/ui-publisher.ts';
import { BrowserShell } from '../../app/shell/browser/browser-shell.ts';
import { ChromiumWindow, chromiumCandidates } from '../../app/shell/browser/chromium.ts';
import { ScreenWatchdog } from '../../app/shell/browser/screen-watchdog.ts';
import { rendererDir } from '../../app/shell/start-shell.ts';
import { demoDevices } from '../../app/host/demo-devices.ts';
import { startBooth, until } from './booth-fixture.ts';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('ScreenWatchdog', () => {
  it('restarts the window when the screen stays gone, not when it comes back in time', () => {
    vi.useFakeTimers();
    const restarts: string[] = [];
    const dog = new ScreenWatchdog({
      restart: (reason) => restarts.push(reason),
      logger: silentLogger(),
      goneMs: 1_000,
      firstConnectMs: 5_000,
    });
    dog.windowStarted();
    dog.clientsChanged(1);
    vi.advanceTimersByTime(10_000);
    expect(restarts).toEqual([]);
    // A reload: the connection drops and is back within the grace.
    dog.clientsChanged(0);
    vi.advanceTimersByTime(900);
    dog.clientsChanged(1);
    vi.advanceTimersByTime(10_000);
    expect(restarts).toEqual([]);
    // A crash: gone for good.
    dog.clientsChanged(0);
    vi.advanceTimersByTime(1_000);
    expect(restarts).toEqual(['the screen went away and did not come back']);
    // The new window must connect within its own time, else it is restarted too.
    dog.windowStarted();
    vi.advanceTimersByTime(4_999);
    expect(restarts).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(restarts.at(-1)).toBe('the screen did not connect after the window started');
    dog.stop();
    dog.windowStarted();
    vi.advanceTimersByTime(60_000);
    expect(restarts).toHaveLength(2);
  });
});

/** Xvfb on a display it picks itself (-displayfd): resolves once it is ready for clients. */
function startXvfb(): Promise<{ display: string; process: ChildProcess }> {
  const xvfb = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1280x800x24', '-nolisten', 'tcp'], {
    stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let text = '';
    xvfb.stdio[3]!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('\n')) resolve({ display: `:${text.trim()}`, process: xvfb });
    });
    xvfb.once('exit', (code) => reject(new Error(`Xvfb exited with ${code} before it was ready`)));
  });
}

/** The renderer processes of the Chromium whose profile is `profileDir`. */
function killRenderers(profileDir: string): number {
  const ps = spawnSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  let killed = 0;
  for (const line of ps.stdout.split('\n')) {
    if (!line.includes('--type=renderer') || !line.includes(profileDir)) continue;
    process.kill(Number.parseInt(line.trim(), 10), 'SIGKILL');
    killed++;
  }
  return killed;
}

describe('the browser shell on a real Chromium', () => {
  it('a page whose renderer is killed -9 is brought back: Chromium restarts and the screen reconnects', async () => {
    const binary = chromiumCandidates.find((path) => existsSync(path));
    if (!binary) throw new Error('Chromium is not installed (apt-get install chromium; npm run setup does)');
    if (!existsSync(`${rendererDir}/index.html`))
      throw new Error('dist/renderer is missing: run `npm run build`');
    const x = await startXvfb();
    cleanups.push(() => x.process.kill('SIGTERM'));
    const booth = await startBooth();
    cleanups.push(() => booth.close());
    const ui = new BoothUi({ logger: silentLogger() });
    ui.attach(booth.booth, demoDevices(booth.devices));
    cleanups.push(() => ui.detach());
    const lines: { msg: string; reason?: string }[] = [];
    const logger: Logger = createLogger({
      level: 'info',
      destination: { write: (line: string) => void lines.push(JSON.parse(line) as { msg: string }) },
    });
    const shell = await BrowserShell.start({ ui, logger, rendererDir });
    cleanups.push(() => shell.stop());
    const previousDisplay = process.env['DISPLAY'];
    process.env['DISPLAY'] = x.display;
    cleanups.push(() => {
      if (previousDisplay === undefined) delete process.env['DISPLAY'];
      else process.env['DISPLAY'] = previousDisplay;
    });
    let starts = 0;
    const dog = new ScreenWatchdog({ restart: (why) => chromium.restart(why), logger, goneMs: 2_000 });
    const chromium = new ChromiumWindow({
      binary,
      url: shell.url,
      logger,
      onStart: () => {
        starts++;
        dog.windowStarted();
      },
    });
    const off = shell.onClients((n) => dog.clientsChanged(n));
    cleanups.push(async () => {
      dog.stop();
      off();
      await chromium.stop();
    });
    chromium.start();
    await until(() => shell.clients > 0, 60_000, 'the kiosk page connects');
    expect(killRenderers(chromium.profileDir)).toBeGreaterThan(0);
    await until(() => shell.clients === 0, 10_000, 'the dead page drops its connection');
    // Chromium itself is still up on a dead page: the watchdog restarts it.
    await until(() => starts === 2, 30_000, 'chromium restarted');
    await until(() => shell.clients > 0, 60_000, 'the new page connects');
    expect(lines.some((l) => l.msg === 'kiosk screen lost: restarting its window')).toBe(true);
  }, 180_000);
});
