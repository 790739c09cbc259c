// A running booth with its diagnostics: a real BoothHost on simulated devices in a temp data
// directory, its log ring, its metrics, and the HTTPS diagnostics server on 127.0.0.1 (a port
// from the OS), with helpers to ask it over real TLS, pinned to the booth's own certificate.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dataPaths } from '../../config/data-dir.ts';
import { ConfigStore } from '../../config/store.ts';
import type { Clock } from '../../core/clock.ts';
import { BoothHost, type BoothHostOptions } from '../../app/host/booth-host.ts';
import type { Booth } from '../../app/booth/booth.ts';
import { configuredDevices } from '../../app/host/device-set.ts';
import { createLogger, type Logger } from '../../app/logging/logger.ts';
import { LogRing } from '../../app/logging/log-ring.ts';
import { BoothMetrics } from '../../app/diagnostics/booth-metrics.ts';
import { BoothDiagnostics } from '../../app/diagnostics/booth-diagnostics.ts';
import { serveDiagnostics } from '../../app/diagnostics/serve-diagnostics.ts';
import type { DiagnosticsServer } from '../../app/diagnostics/diagnostics-server.ts';
import { serveControl } from '../../app/host/control/serve-control.ts';
import { diagnosticsControl } from '../../app/diagnostics/diagnostics-control.ts';
import { issueTechnicianToken } from '../../app/diagnostics/technician-token.ts';
import { until } from '../shell/booth-fixture.ts';

export const cleanups: Array<() => unknown> = [];

export async function cleanUp(): Promise<void> {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
}

export function unitDir(extra: Record<string, unknown> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'diag-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(
    dataPaths(dir).config,
    JSON.stringify({
      unit: { id: 'booth-7', name: 'Booth seven' },
      environment: { enabled: false },
      timeouts: { countdownMs: 50, healthRecheckMs: 500 },
      products: [{ id: 'photos-2', prints: 1, photosPerSheet: 2, price: 200 }],
      documents: ['schengen-visa'],
      money: { coins: [100, 200] },
      hardware: { camera: { adapter: 'simulated', portrait: 1 } },
      // The demo's simulated devices: `auto` would leave it off.
      diagnostics: { enabled: true, bind: ['127.0.0.1'] },
      ...extra,
    }),
  );
  return dir;
}

export interface RunningDiagnostics {
  dir: string;
  host: BoothHost;
  store: ConfigStore;
  logs: LogRing;
  logger: Logger;
  metrics: BoothMetrics;
  diagnostics: BoothDiagnostics;
  server: DiagnosticsServer;
  token: string;
  /** The booth's certificate (PEM), as a technician would copy it. */
  ca: string;
}

export async function running(
  dir: string,
  options: {
    clock?: Clock;
    devices?: BoothHostOptions['devices'];
    onSessionEnd?: BoothHostOptions['onSessionEnd'];
    /** Told each booth flow before it starts (scripted customers must see its first state). */
    onBooth?: (booth: Booth) => void;
  } = {},
): Promise<RunningDiagnostics> {
  const store = new ConfigStore({ file: dataPaths(dir).config });
  const token = issueTechnicianToken(store);
  const config = store.load();
  const logs = new LogRing(500);
  const logger = createLogger({ level: 'info', destination: { write: () => {} }, ring: logs });
  const metrics = new BoothMetrics({
    now: () => (options.clock ?? { now: Date.now }).now(),
    defaultMetrics: true,
  });
  const host = await BoothHost.open(
    {
      dataDir: dir,
      logger,
      holder: 'test',
      vision: 'none',
      configStore: store,
      ...(options.clock ? { clock: options.clock } : {}),
      onSessionEnd: (summary) => {
        metrics.sessionEnded(summary);
        options.onSessionEnd?.(summary);
      },
      devices:
        options.devices ??
        (({ clock, journal, mediaCounter }) =>
          configuredDevices(clock, { seed: 3, counters: journal, mediaCounter })),
    },
    config,
  );
  cleanups.push(() => host.close());
  const diagnostics = new BoothDiagnostics({
    host,
    metrics,
    logs,
    dataDir: dir,
    configSource: store,
    logger,
  });
  cleanups.push(() => diagnostics.close());
  if (options.onBooth) host.onBooth(options.onBooth);
  await host.start(config);
  const server = await serveDiagnostics({
    diagnostics,
    config,
    configSource: store,
    dataDir: dir,
    logger,
    port: 0,
  });
  if (!server) throw new Error('diagnostics should be on');
  cleanups.push(() => server.close());
  // `kiosk diag` and `kiosk status` reach it through the control socket, as on a unit.
  const control = await serveControl({
    host,
    dataDir: dir,
    configStore: store,
    logger,
    diagnostics: diagnosticsControl({ diagnostics, server: () => server, configStore: store }),
  });
  cleanups.push(() => control.close());
  if (!options.clock) await until(() => host.booth.view().waitingForCustomer, 10_000, 'attract');
  const { readFileSync } = await import('node:fs');
  const ca = readFileSync(join(dir, 'diagnostics', 'tls-cert.pem'), 'utf8');
  return { dir, host, store, logs, logger, metrics, diagnostics, server, token, ca };
}

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  text: string;
}

/** One request over TLS, trusting only the booth's certificate (pinned, as Prometheus does). */
export function ask(
  booth: RunningDiagnostics,
  path: string,
  options: {
    token?: string | null;
    method?: string;
    headers?: Record<string, string>;
    servername?: string;
  } = {},
): Promise<Answer> {
  const token = options.token === undefined ? booth.token : options.token;
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: booth.server.port,
        path,
        method: options.method ?? 'GET',
        ca: booth.ca,
        servername: options.servername ?? 'localhost',
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...options.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text: body.toString('utf8') });
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}
