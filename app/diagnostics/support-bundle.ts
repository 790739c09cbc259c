import { freemem, loadavg, totalmem, uptime as osUptime } from 'node:os';
import { createGzip } from 'node:zlib';
import { pack } from 'tar-stream';
import type { BoothHost } from '../host/booth-host.ts';
import { StorageWatch } from '../booth/storage-watch.ts';
import type { RingLine } from '../logging/log-ring.ts';
import { redactConfig, scrubText } from './redact.ts';
import type { BuildInfo } from './build-info.ts';
import type { HealthReport } from './booth-health.ts';

/** How many log lines a bundle carries: the last hour or so of a busy booth. */
export const bundleLogLines = 1_000;

export interface BundleParts {
  host: BoothHost;
  dataDir: string;
  build: BuildInfo;
  health: HealthReport;
  metrics: string;
  logs: readonly RingLine[];
  startedAt: number;
}

/**
 * A support bundle, `.tar.gz`, for a technician to attach to a ticket: what the booth is, how it
 * is set up and how it is doing, and nothing of its customers. The config without its secrets,
 * the journal's figures (totals, the open cash period and the Z-reports: counts and amounts, no
 * order, session or voucher rows), the operator's counters, device probes, the system, health,
 * metrics and the recent log. Never a photo, never a receipt code: nothing in here is read from
 * the vault but its size, and every text is scrubbed of email addresses and receipt-code shapes
 * on the way in.
 */
export async function supportBundle(parts: BundleParts): Promise<Buffer> {
  const entries = bundleEntries(parts);
  const tar = pack();
  const gzip = createGzip();
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    gzip.on('data', (chunk: Buffer) => chunks.push(chunk));
    gzip.on('end', () => resolve(Buffer.concat(chunks)));
    gzip.on('error', reject);
    tar.on('error', reject);
  });
  tar.pipe(gzip);
  const mtime = new Date(parts.host.clock.now());
  const dir = `booth-${safeName(parts.host.config.unit.id)}-${mtime.toISOString().replace(/[:.]/g, '-')}`;
  for (const [name, text] of Object.entries(entries)) {
    const body = Buffer.from(scrubText(text), 'utf8');
    await new Promise<void>((resolve, reject) =>
      tar.entry({ name: `${dir}/${name}`, mode: 0o644, mtime, size: body.length }, body, (error) =>
        error ? reject(error) : resolve(),
      ),
    );
  }
  tar.finalize();
  return done;
}

/** The bundle's files, name → text (before the last scrub). */
export function bundleEntries(parts: BundleParts): Record<string, string> {
  const { host } = parts;
  const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
  const now = host.clock.now();
  const devices = host.booth.devices;
  const storage = new StorageWatch({
    dir: parts.dataDir,
    reserveBytes: host.config.storage.reserveMb * 1024 * 1024,
    clock: host.clock,
  });
  const memory = process.memoryUsage();
  const zReports = host.journal.zReports(20);
  return {
    'version.json': json({ ...parts.build, unit: host.config.unit.id, at: new Date(now).toISOString() }),
    'config.json': json(redactConfig(host.config)),
    'health.json': json(parts.health),
    'metrics.txt': parts.metrics,
    'journal.json': json({
      totals: host.journal.totals(),
      openCashPeriod: host.journal.cashPeriod(),
      zReports,
      ordersInJournal: host.journal.orderCount(),
      printsOwed: host.journal.owedPrintCount(),
    }),
    // The operator's counters: numbers by name (rules and states), nobody's session.
    'counters.json': json(host.operatorCounters?.rows(now) ?? null),
    'devices.json': json({
      camera: {
        kind: devices.camera.kind,
        stillWidth: devices.camera.stillWidth ?? null,
        status: devices.camera.status(),
      },
      payment: {
        kind: devices.payment.kind,
        deviceId: devices.payment.deviceId,
        status: devices.payment.status(),
      },
      photoPrinter: { kind: devices.photoPrinter.kind, status: devices.photoPrinter.status() },
      receiptPrinter: devices.receiptPrinter
        ? { kind: devices.receiptPrinter.kind, status: devices.receiptPrinter.status() }
        : null,
      hopper: devices.hopper ? { kind: devices.hopper.kind, status: devices.hopper.status() } : null,
      opens: host.devices.opens,
    }),
    'system.json': json({
      uptimeSeconds: Math.round((now - parts.startedAt) / 1000),
      systemUptimeSeconds: Math.round(osUptime()),
      loadAverage: loadavg(),
      memory: {
        rss: memory.rss,
        heapUsed: memory.heapUsed,
        heapTotal: memory.heapTotal,
        systemFree: freemem(),
        systemTotal: totalmem(),
      },
      disk: {
        dataDirFreeBytes: storage.freeBytes(),
        reserveBytes: host.config.storage.reserveMb * 1024 * 1024,
      },
      vault: { ...host.privacy.vault.index.stats() },
      platform: process.platform,
      arch: process.arch,
    }),
    'logs.jsonl': parts.logs.map((l) => l.line).join('\n') + (parts.logs.length ? '\n' : ''),
  };
}

function safeName(id: string): string {
  return id.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 64);
}
