import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../app/logging/logger.ts';
import { BoothUi } from '../../app/shell/bridge/ui-publisher.ts';
import { BrowserShell, sameSecret } from '../../app/shell/browser/browser-shell.ts';
import { chromiumArgs, chromiumDecision } from '../../app/shell/browser/chromium.ts';
import { defaultShell } from '../../app/shell/start-shell.ts';
import type { BridgeServerMessage, UiSnapshot } from '../../app/shell/bridge/kiosk-api.ts';
import { startBooth, until, type BoothFixture } from './booth-fixture.ts';
import { demoDevices } from '../../app/host/demo-devices.ts';

let work: string;
let fixture: BoothFixture;
let ui: BoothUi;
let shell: BrowserShell;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'browser-shell-'));
  const dist = join(work, 'dist');
  mkdirSync(join(dist, 'assets'), { recursive: true });
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>kiosk</title>');
  writeFileSync(join(dist, 'assets', 'app-1234.js'), 'console.log(1)');
  writeFileSync(join(dist, 'assets', 'app-1234.css'), 'body{}');
  writeFileSync(join(work, 'secret.txt'), 'outside the build');
  fixture = await startBooth();
  ui = new BoothUi({ logger: silentLogger() });
  ui.attach(fixture.booth, demoDevices(fixture.devices));
  shell = await BrowserShell.start({ ui, logger: silentLogger(), rendererDir: dist });
});

afterAll(async () => {
  await shell?.stop();
  ui?.detach();
  await fixture?.close();
  rmSync(work, { recursive: true, force: true });
});

/** A raw GET, so the path reaches the server exactly as written (no client-side normalising). */
function get(path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>(
    (resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: shell.port, path, headers }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
      });
      req.on('error', reject);
      req.end();
    },
  );
}

function connect(url: string, origin?: string) {
  const ws = new WebSocket(url, origin ? { origin } : {});
  const messages: BridgeServerMessage[] = [];
  ws.on('message', (data) => messages.push(JSON.parse(data.toString()) as BridgeServerMessage));
  const opened = new Promise<number>((resolve) => {
    ws.once('open', () => resolve(101));
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('error', () => resolve(-1));
  });
  const snapshots = () =>
    messages.filter((m) => m.kind === 'snapshot').map((m) => (m as { snapshot: UiSnapshot }).snapshot);
  return { ws, messages, opened, snapshots };
}

describe('the browser shell', () => {
  it('prints a URL of the expected form', () => {
    expect(shell.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?key=[A-Za-z0-9_-]{32}$/);
    expect(shell.secret).toHaveLength(32);
  });

  it('serves the renderer with content types and security headers', async () => {
    const page = await get('/?key=' + shell.secret);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>kiosk</title>');
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("img-src 'self' data:");
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${shell.port}`);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect((await get('/assets/app-1234.js')).headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect((await get('/assets/app-1234.css')).headers['content-type']).toBe('text/css; charset=utf-8');
  });

  it.each([
    '/../secret.txt',
    '/%2e%2e/secret.txt',
    '/assets/..%2f..%2fsecret.txt',
    '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
    '/..%5csecret.txt',
    '/assets/',
    '/assets',
    '/nothing.js',
    '/index.html%00.js',
    '/%E0%A4%A',
  ])('404 for %s (no traversal, no listing)', async (path) => {
    const res = await get(path);
    expect(res.status).toBe(404);
    expect(res.body).not.toContain('outside the build');
  });

  it('refuses another Host (DNS rebinding) and other methods', async () => {
    expect((await get('/', { host: 'evil.example:80' })).status).toBe(403);
    const status = await new Promise<number>((resolve) => {
      const req = request({ host: '127.0.0.1', port: shell.port, path: '/', method: 'POST' }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.end();
    });
    expect(status).toBe(405);
  });

  it('refuses a bridge connection without the key, with a wrong key, or from another origin', async () => {
    const base = shell.bridgeUrl;
    expect(await connect(base, shell.origin).opened).toBe(403);
    expect(await connect(`${base}?key=wrong`, shell.origin).opened).toBe(403);
    expect(await connect(`${base}?key=${shell.secret}x`, shell.origin).opened).toBe(403);
    expect(await connect(`${base}?key=${shell.secret}`, 'http://evil.example').opened).toBe(403);
    expect(await connect(`${base}?key=${shell.secret}`).opened).toBe(403);
    expect(await connect(`ws://127.0.0.1:${shell.port}/other?key=${shell.secret}`, shell.origin).opened).toBe(
      403,
    );
    expect(shell.clients).toBe(0);
  });

  it('a valid client gets the snapshot at once and on change; its events reach the booth, invalid ones do not', async () => {
    await until(() => fixture.booth.state === 'attract.idle');
    const client = connect(`${shell.bridgeUrl}?key=${shell.secret}`, shell.origin);
    expect(await client.opened).toBe(101);
    const first = await until(() => client.snapshots()[0]);
    expect(first.screen).toBe('attract');
    const ignoredBefore = ui.ignored;
    client.ws.send('not json');
    client.ws.send(JSON.stringify({ kind: 'event', event: { type: 'CREDIT', amount: 1, balance: 9999 } }));
    client.ws.send(JSON.stringify({ kind: 'event', event: { type: 'TOUCH', extra: true } }));
    client.ws.send(JSON.stringify({ type: 'TOUCH' }));
    await until(() => ui.ignored === ignoredBefore + 4, 5_000, 'ignored');
    expect(fixture.booth.state).toBe('attract.idle');
    client.ws.send(JSON.stringify({ kind: 'event', event: { type: 'TOUCH' } }));
    const language = await until(() => client.snapshots().find((s) => s.screen === 'language'));
    expect(language.seq).toBeGreaterThan(first.seq);
    expect(fixture.booth.state).toBe('customer.language');
    client.ws.send(JSON.stringify({ kind: 'event', event: { type: 'SELECT_LANGUAGE', language: 'en' } }));
    await until(() => client.snapshots().find((s) => s.screen === 'consent'));
    fixture.booth.send({ type: 'DECLINE_CONSENT' });
    await until(() => client.snapshots().at(-1)?.screen === 'attract');
    client.ws.close();
  });

  it('closes a client that sends more than the largest message', async () => {
    const client = connect(`${shell.bridgeUrl}?key=${shell.secret}`, shell.origin);
    expect(await client.opened).toBe(101);
    const closed = new Promise<number>((resolve) => client.ws.once('close', (code) => resolve(code)));
    client.ws.send('x'.repeat(20 * 1024));
    expect(await closed).toBe(1009);
  });

  it('fails to start, saying to build, when the renderer is not built', async () => {
    await expect(
      BrowserShell.start({ ui, logger: silentLogger(), rendererDir: join(work, 'missing') }),
    ).rejects.toThrow(/npm run build/);
  });
});

describe('shell choices', () => {
  it('compares secrets in constant time and exactly', () => {
    expect(sameSecret('abc', 'abc')).toBe(true);
    expect(sameSecret('abd', 'abc')).toBe(false);
    expect(sameSecret('', 'abc')).toBe(false);
  });

  it('opens Chromium only with a binary, a display and no opt-out', () => {
    const exists = (p: string) => p === '/usr/bin/chromium';
    expect(chromiumDecision({ noBrowser: false, env: { DISPLAY: ':0' }, exists })).toEqual({
      launch: true,
      binary: '/usr/bin/chromium',
    });
    expect(chromiumDecision({ noBrowser: false, env: { WAYLAND_DISPLAY: 'wayland-0' }, exists }).launch).toBe(
      true,
    );
    expect(chromiumDecision({ noBrowser: true, env: { DISPLAY: ':0' }, exists })).toEqual({
      launch: false,
      reason: 'disabled',
    });
    expect(
      chromiumDecision({ noBrowser: false, env: { DISPLAY: ':0', KIOSK_NO_BROWSER: '1' }, exists }),
    ).toEqual({
      launch: false,
      reason: 'disabled',
    });
    expect(chromiumDecision({ noBrowser: false, env: {}, exists })).toEqual({
      launch: false,
      reason: 'no-display',
    });
    expect(chromiumDecision({ noBrowser: false, env: { DISPLAY: ':0' }, exists: () => false })).toEqual({
      launch: false,
      reason: 'no-chromium',
    });
    expect(
      chromiumDecision({
        noBrowser: false,
        env: { DISPLAY: ':0' },
        exists: (p) => p === '/usr/bin/chromium-browser',
      }),
    ).toEqual({ launch: true, binary: '/usr/bin/chromium-browser' });
  });

  it('starts Chromium as a kiosk app on a throw-away profile', () => {
    const args = chromiumArgs('http://127.0.0.1:1/?key=k', '/tmp/p', false);
    expect(args).toEqual([
      '--kiosk',
      '--app=http://127.0.0.1:1/?key=k',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-translate',
      '--noerrdialogs',
      '--user-data-dir=/tmp/p',
    ]);
    expect(chromiumArgs('u', '/tmp/p', true)).toContain('--no-sandbox');
  });

  it('defaults to Electron when its binary is there, else the browser; headless for --autoplay', () => {
    expect(defaultShell({ autoplay: false, binary: '/x/electron' })).toBe('electron');
    expect(defaultShell({ autoplay: false, binary: null })).toBe('browser');
    expect(defaultShell({ autoplay: true, binary: '/x/electron' })).toBe('none');
  });
});
