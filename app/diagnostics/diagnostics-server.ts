import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../logging/logger.ts';
import { parseLogLevel } from '../logging/log-ring.ts';
import type { BoothDiagnostics } from './booth-diagnostics.ts';
import type { ServerCertificate } from './certificate.ts';
import type { AccessAudit, TechnicianGate } from './technician-gate.ts';
import type { ActionResult } from './technician-actions.ts';

/** SSE clients get a comment this often, so proxies and the client see the stream is alive. */
const heartbeatMs = 15_000;
/** Log lines a plain `GET /logs` gives at most. */
const maxLogLines = 2_000;

export interface DiagnosticsServerOptions {
  diagnostics: BoothDiagnostics;
  certificate: ServerCertificate;
  gate: TechnicianGate;
  audit: AccessAudit;
  logger: Logger;
  bind: readonly string[];
  port: number;
}

/**
 * The technicians' HTTPS server (node:https, TLS 1.2 or later, no plain HTTP at all): every
 * route behind the bearer token, every request in the access audit. One listener per
 * configured address, all with the same routes.
 */
export class DiagnosticsServer {
  readonly #servers: Server[];
  readonly #streams = new Set<ServerResponse>();
  readonly fingerprint: string;

  private constructor(servers: Server[], fingerprint: string) {
    this.#servers = servers;
    this.fingerprint = fingerprint;
  }

  static async listen(options: DiagnosticsServerOptions): Promise<DiagnosticsServer> {
    const servers: Server[] = [];
    const server = new DiagnosticsServer(servers, options.certificate.fingerprint);
    try {
      for (const address of options.bind) {
        const https = createServer(
          {
            cert: options.certificate.cert,
            key: options.certificate.key,
            minVersion: 'TLSv1.2',
            requestTimeout: 60_000,
            headersTimeout: 10_000,
          },
          (req, res) => {
            // #handle answers its own failures; this is for one in the audit write itself.
            server.#handle(options, req, res).catch(() => res.destroy());
          },
        );
        https.on('tlsClientError', () => {
          // A client that does not trust the certificate, or speaks plain HTTP: its own problem.
        });
        servers.push(https);
        await new Promise<void>((resolve, reject) => {
          https.once('error', (error) =>
            reject(
              new Error(`diagnostics cannot listen on ${address}:${options.port}: ${error.message}`, {
                cause: error,
              }),
            ),
          );
          https.listen(options.port, address, () => resolve());
        });
      }
    } catch (error) {
      await server.close();
      throw error;
    }
    options.logger.info(
      { addresses: server.addresses(), fingerprint: server.fingerprint },
      'diagnostics listening',
    );
    return server;
  }

  /** `host:port` of each listener (the port the OS gave, for port 0). */
  addresses(): string[] {
    return this.#servers.map((s) => {
      const a = s.address() as AddressInfo | null;
      return a ? (a.family === 'IPv6' ? `[${a.address}]:${a.port}` : `${a.address}:${a.port}`) : '';
    });
  }

  get port(): number {
    return (this.#servers[0]?.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    for (const stream of this.#streams) stream.end();
    await Promise.all(
      this.#servers.map(
        (s) =>
          new Promise<void>((resolve) => {
            s.closeAllConnections();
            s.close(() => resolve());
          }),
      ),
    );
  }

  async #handle(o: DiagnosticsServerOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const address = req.socket.remoteAddress ?? 'unknown';
    const url = new URL(req.url ?? '/', 'https://booth');
    const route = url.pathname.slice(0, 200);
    const method = req.method ?? 'GET';
    const done = (status: number, result: string) =>
      o.audit.record({ at: new Date().toISOString(), address, method, route, status, result });
    const verdict = o.gate.check(address, req.headers.authorization);
    if (!verdict.ok) {
      o.logger.warn({ address, route, reason: verdict.reason }, 'diagnostics: request refused');
      done(verdict.status, verdict.reason);
      const message =
        verdict.reason === 'no-token-set'
          ? 'no technician token is set on this booth: run kiosk diag token on it'
          : verdict.reason === 'locked'
            ? `too many wrong tokens from ${address}: try again in ${verdict.retryAfterSeconds} s`
            : 'a technician token is needed: Authorization: Bearer <token>';
      return send(res, verdict.status, problem(message), {
        'www-authenticate': 'Bearer realm="booth diagnostics"',
        ...(verdict.retryAfterSeconds ? { 'retry-after': String(verdict.retryAfterSeconds) } : {}),
      });
    }
    try {
      const status = await this.#route(o, method, url, req, res);
      done(status, 'ok');
    } catch (error) {
      o.logger.error({ route, reason: (error as Error).message }, 'diagnostics: request failed');
      done(500, 'error');
      if (!res.headersSent) send(res, 500, problem((error as Error).message));
      else res.end();
    }
  }

  async #route(
    o: DiagnosticsServerOptions,
    method: string,
    url: URL,
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<number> {
    const d = o.diagnostics;
    const path = url.pathname;
    if (method === 'GET' && path === '/health') {
      const health = d.health();
      const status = health.status === 'fail' ? 503 : 200;
      send(res, status, JSON.stringify(health), {
        'content-type': 'application/health+json',
        'cache-control': 'no-store',
      });
      return status;
    }
    if (method === 'GET' && path === '/metrics') {
      send(res, 200, await d.metricsText(), { 'content-type': d.metrics.contentType });
      return 200;
    }
    if (method === 'GET' && path === '/logs') {
      const since = Number(url.searchParams.get('since') ?? req.headers['last-event-id'] ?? 0);
      const levelParam = url.searchParams.get('level');
      const minLevel = levelParam === null ? 0 : parseLogLevel(levelParam);
      if (!Number.isInteger(since) || since < 0 || minLevel === null) {
        send(res, 400, problem('since is a line number (0 or more), level a pino level name or number'));
        return 400;
      }
      if ((req.headers.accept ?? '').includes('text/event-stream')) {
        this.#stream(d, res, since, minLevel);
        return 200;
      }
      const lines = d.recentLogs({ since, minLevel, limit: maxLogLines });
      send(res, 200, lines.map((l) => l.line).join('\n') + (lines.length ? '\n' : ''), {
        'content-type': 'application/x-ndjson',
        'x-last-seq': String(lines.at(-1)?.seq ?? since),
      });
      return 200;
    }
    if (method === 'GET' && path === '/support-bundle') {
      const bundle = await d.bundle();
      const name = `booth-${d.host.config.unit.id.replace(/[^A-Za-z0-9._-]/g, '_')}-support.tar.gz`;
      send(res, 200, bundle, {
        'content-type': 'application/gzip',
        'content-disposition': `attachment; filename="${name}"`,
      });
      return 200;
    }
    if (method === 'POST' && path.startsWith('/actions/')) {
      const [, , action, arg] = path.split('/');
      const result = await this.#action(d, action ?? '', arg, url);
      send(
        res,
        result.status,
        JSON.stringify(result.ok ? result.result : { code: result.code, message: result.message }),
        {
          'content-type': result.ok ? 'application/json' : 'application/problem+json',
        },
      );
      return result.status;
    }
    send(
      res,
      404,
      problem(`no ${method} ${path} here (GET /health, /metrics, /logs, /support-bundle; POST /actions/…)`),
    );
    return 404;
  }

  #action(
    d: BoothDiagnostics,
    action: string,
    arg: string | undefined,
    url: URL,
  ): Promise<ActionResult> | ActionResult {
    switch (action) {
      case 'restart': {
        const scope = url.searchParams.get('scope') ?? 'flow';
        if (scope !== 'flow' && scope !== 'process')
          return { ok: false, status: 400, code: 'request-invalid', message: 'scope is flow or process' };
        return d.actions.restart(scope);
      }
      case 'out-of-service':
        return d.actions.maintenance(true);
      case 'in-service':
        return d.actions.maintenance(false);
      case 'reprobe':
        return d.actions.reprobe(arg ?? '');
      default:
        return {
          ok: false,
          status: 404,
          code: 'request-invalid',
          message: `unknown action "${action}" (restart, out-of-service, in-service, reprobe/<device>)`,
        };
    }
  }

  #stream(d: BoothDiagnostics, res: ServerResponse, since: number, minLevel: number): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    // The headers and a first comment at once: the client knows the stream is open.
    res.write(': log stream\n\n');
    const event = (seq: number, line: string) => res.write(`id: ${seq}\nevent: log\ndata: ${line}\n\n`);
    for (const l of d.recentLogs({ since, minLevel, limit: maxLogLines })) event(l.seq, l.line);
    const off = d.logs.subscribe((l) => {
      if (l.level >= minLevel) event(l.seq, l.line);
    });
    const beat = setInterval(() => res.write(': alive\n\n'), heartbeatMs);
    this.#streams.add(res);
    res.on('close', () => {
      off();
      clearInterval(beat);
      this.#streams.delete(res);
    });
  }
}

function problem(detail: string): string {
  return JSON.stringify({ title: detail });
}

function send(
  res: ServerResponse,
  status: number,
  body: string | Buffer,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'content-type': 'application/problem+json',
    ...headers,
    'content-length': String(Buffer.byteLength(body)),
    'x-content-type-options': 'nosniff',
  });
  res.end(body);
}
