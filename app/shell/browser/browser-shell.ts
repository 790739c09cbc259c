import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, realpathSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, resolve, sep } from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Logger } from '../../logging/logger.ts';
import type { BridgeServerMessage } from '../bridge/kiosk-api.ts';
import type { BoothUi } from '../bridge/ui-publisher.ts';
import { parseClientMessage } from '../bridge/ui-event-schema.ts';

export interface BrowserShellOptions {
  ui: BoothUi;
  logger: Logger;
  /** The renderer's build (`dist/renderer/`, from `npm run build`). */
  rendererDir: string;
  /** 0 (default): any free port. */
  port?: number;
  /** Largest message a client may send, in bytes (default 16 KiB). */
  maxPayload?: number;
  /** Most clients at once (default 4: the kiosk's own window, plus a reload or two). */
  maxClients?: number;
}

const host = '127.0.0.1';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
};

/** The renderer's entry must exist before a shell can show anything. */
export function checkRendererBuilt(rendererDir: string): void {
  if (!existsSync(resolve(rendererDir, 'index.html'))) {
    throw new Error(
      `the kiosk screen is not built: ${resolve(rendererDir, 'index.html')} is missing; run \`npm run build\` first`,
    );
  }
}

/** The Content-Security-Policy of every page the shell serves. */
export function contentSecurityPolicy(port: number): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self' ws://${host}:${port}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * The browser shell's server: the renderer's static files and the `/bridge` WebSocket, on
 * 127.0.0.1 only. The WebSocket needs this start's secret (`?key=`, compared in constant time)
 * and the served origin; anything else is refused with 403 before the upgrade.
 */
export class BrowserShell {
  readonly secret: string;
  readonly #o: BrowserShellOptions;
  readonly #root: string;
  readonly #server: Server;
  readonly #wss: WebSocketServer;
  #port = 0;
  readonly #clientListeners = new Set<(clients: number) => void>();

  private constructor(options: BrowserShellOptions) {
    this.#o = options;
    this.#root = realpathSync(resolve(options.rendererDir));
    this.secret = randomBytes(24).toString('base64url');
    this.#server = createServer((req, res) => this.#serve(req, res));
    this.#wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayload ?? 16 * 1024 });
    this.#server.on('upgrade', (req, socket, head) => this.#upgrade(req, socket, head));
    this.#wss.on('connection', (ws) => this.#connected(ws));
  }

  static async start(options: BrowserShellOptions): Promise<BrowserShell> {
    checkRendererBuilt(options.rendererDir);
    const shell = new BrowserShell(options);
    await new Promise<void>((done, fail) => {
      shell.#server.once('error', fail);
      shell.#server.listen(options.port ?? 0, host, () => {
        shell.#server.off('error', fail);
        done();
      });
    });
    shell.#port = (shell.#server.address() as AddressInfo).port;
    return shell;
  }

  get port(): number {
    return this.#port;
  }

  /** `http://127.0.0.1:PORT` — the only Origin the bridge accepts. */
  get origin(): string {
    return `http://${host}:${this.#port}`;
  }

  /** What the kiosk's browser opens: the page, with the secret it needs for the bridge. */
  get url(): string {
    return `${this.origin}/?key=${this.secret}`;
  }

  /** The WebSocket endpoint without the key (the Electron main adds it). */
  get bridgeUrl(): string {
    return `ws://${host}:${this.#port}/bridge`;
  }

  get clients(): number {
    return this.#wss.clients.size;
  }

  /** Told the number of connected screens each time one connects or goes. */
  onClients(listener: (clients: number) => void): () => void {
    this.#clientListeners.add(listener);
    return () => this.#clientListeners.delete(listener);
  }

  #tellClients(): void {
    for (const listener of this.#clientListeners) listener(this.#wss.clients.size);
  }

  async stop(): Promise<void> {
    for (const ws of this.#wss.clients) ws.terminate();
    await new Promise<void>((done) => this.#wss.close(() => done()));
    this.#server.closeAllConnections();
    await new Promise<void>((done) => this.#server.close(() => done()));
  }

  #headers(res: ServerResponse): void {
    res.setHeader('Content-Security-Policy', contentSecurityPolicy(this.#port));
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), usb=(), serial=()');
  }

  #serve(req: IncomingMessage, res: ServerResponse): void {
    this.#headers(res);
    const fail = (status: number, text: string) => {
      res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(text);
    };
    // DNS rebinding: a page on another name that resolves here must not read the screen.
    if (req.headers.host !== `${host}:${this.#port}`) return fail(403, 'forbidden');
    if (req.method !== 'GET' && req.method !== 'HEAD') return fail(405, 'method not allowed');
    const file = this.#file(req.url ?? '/');
    if (!file) return fail(404, 'not found');
    const type = contentTypes[extname(file).toLowerCase()] ?? 'application/octet-stream';
    res.writeHead(200, {
      'Content-Type': type,
      'Content-Length': statSync(file).size,
      // Vite's assets are content-hashed; the page itself is always fetched fresh.
      'Cache-Control': file.endsWith('.html') ? 'no-store' : 'public, max-age=31536000, immutable',
    });
    if (req.method === 'HEAD') return void res.end();
    createReadStream(file)
      .on('error', () => res.destroy())
      .pipe(res);
  }

  /** The file a request path names inside the renderer's build, or null (404). */
  #file(rawUrl: string): string | null {
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(rawUrl, 'http://x').pathname);
    } catch {
      return null;
    }
    if (pathname.includes('\0') || pathname.includes('\\')) return null;
    if (pathname === '/') pathname = '/index.html';
    const candidate = resolve(this.#root, '.' + pathname);
    if (!candidate.startsWith(this.#root + sep)) return null;
    try {
      // Symlinks must not lead out of the build either.
      const real = realpathSync(candidate);
      if (!real.startsWith(this.#root + sep) || !statSync(real).isFile()) return null;
      return real;
    } catch {
      return null;
    }
  }

  #upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const refuse = (why: string) => {
      this.#o.logger.warn({ why }, 'ui bridge connection refused');
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      socket.destroy();
    };
    let url: URL;
    try {
      url = new URL(req.url ?? '/', this.origin);
    } catch {
      return refuse('bad-url');
    }
    if (url.pathname !== '/bridge') return refuse('path');
    if (req.headers.host !== `${host}:${this.#port}`) return refuse('host');
    if (req.headers.origin !== this.origin) return refuse('origin');
    if (!sameSecret(url.searchParams.get('key') ?? '', this.secret)) return refuse('key');
    if (this.#wss.clients.size >= (this.#o.maxClients ?? 4)) return refuse('too-many-clients');
    this.#wss.handleUpgrade(req, socket, head, (ws) => this.#wss.emit('connection', ws, req));
  }

  #connected(ws: WebSocket): void {
    const { ui, logger } = this.#o;
    logger.info({ clients: this.#wss.clients.size }, 'ui connected');
    this.#tellClients();
    const send = (message: BridgeServerMessage) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
    };
    const offSnapshot = ui.onSnapshot((snapshot) => send({ kind: 'snapshot', snapshot }));
    const offFrame = ui.onFrame((frame) => {
      // Skip a frame while the previous one is still on its way: the screen sees the present.
      if (ws.bufferedAmount === 0) send({ kind: 'frame', frame });
    });
    ws.on('message', (data, isBinary) => {
      if (isBinary) return void ui.ignore('binary');
      let json: unknown;
      try {
        json = JSON.parse(data.toString());
      } catch {
        return void ui.ignore('not-json');
      }
      const message = parseClientMessage(json);
      if (!message) return void ui.ignore('invalid');
      ui.apply(message.event);
    });
    ws.on('error', () => ws.terminate());
    ws.on('close', () => {
      offSnapshot();
      offFrame();
      logger.info({ clients: this.#wss.clients.size }, 'ui disconnected');
      this.#tellClients();
    });
  }
}

/** Constant-time comparison of two secrets of any length (both hashed to the same length first). */
export function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b) && given.length === expected.length;
}
