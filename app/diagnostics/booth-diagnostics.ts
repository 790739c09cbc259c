import type { BoothHost } from '../host/booth-host.ts';
import type { Logger } from '../logging/logger.ts';
import type { LogRing, RingLine } from '../logging/log-ring.ts';
import type { OperatorConfigSource } from '../operator/operator-access.ts';
import { boothHealth, type HealthReport } from './booth-health.ts';
import type { BoothMetrics } from './booth-metrics.ts';
import { buildInfo } from './build-info.ts';
import { bundleLogLines, supportBundle } from './support-bundle.ts';
import { TechnicianActions } from './technician-actions.ts';

/**
 * Everything a technician can ask of the running booth, whichever way they ask: the HTTPS
 * diagnostics server and the local `kiosk diag` (through the control channel) both read here,
 * so they cannot tell different stories.
 */
export class BoothDiagnostics {
  readonly host: BoothHost;
  readonly metrics: BoothMetrics;
  readonly logs: LogRing;
  readonly actions: TechnicianActions;
  readonly dataDir: string;
  readonly startedAt: number;
  readonly #offBooth: () => void;

  constructor(options: {
    host: BoothHost;
    metrics: BoothMetrics;
    logs: LogRing;
    dataDir: string;
    configSource: OperatorConfigSource | null;
    logger: Logger;
    restartProcess?: () => void;
  }) {
    this.host = options.host;
    this.metrics = options.metrics;
    this.logs = options.logs;
    this.dataDir = options.dataDir;
    this.startedAt = options.host.clock.now();
    this.actions = new TechnicianActions(options);
    const host = options.host;
    options.metrics.readFrom({
      devices: () => {
        const d = host.booth.devices;
        return [
          { device: 'camera', up: d.camera.status().ready },
          { device: 'payment', up: d.payment.status().ready },
          { device: 'photo-printer', up: d.photoPrinter.status().ready },
          ...(d.receiptPrinter ? [{ device: 'receipt-printer', up: d.receiptPrinter.status().ready }] : []),
          ...(d.hopper ? [{ device: 'hopper', up: d.hopper.status().ready }] : []),
        ];
      },
      mediaRemaining: () => host.booth.devices.photoPrinter.status().mediaRemaining,
      vaultBytes: () => host.privacy.vault.index.stats().bytes,
    });
    this.#offBooth = host.onBooth((booth) => options.metrics.follow(booth));
  }

  health(): HealthReport {
    return boothHealth({
      host: this.host,
      metrics: this.metrics,
      dataDir: this.dataDir,
      version: buildInfo().version,
    });
  }

  metricsText(): Promise<string> {
    return this.metrics.text();
  }

  recentLogs(options: { since?: number; minLevel?: number; limit?: number }): RingLine[] {
    return this.logs.read(options);
  }

  async bundle(): Promise<Buffer> {
    return supportBundle({
      host: this.host,
      dataDir: this.dataDir,
      build: buildInfo(),
      health: this.health(),
      metrics: await this.metricsText(),
      logs: this.logs.read({ limit: bundleLogLines }),
      startedAt: this.startedAt,
    });
  }

  close(): void {
    this.#offBooth();
    this.metrics.stop();
  }
}
