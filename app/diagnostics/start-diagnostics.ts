import type { BoothConfigInput } from '../../config/schema.ts';
import type { BoothHost } from '../host/booth-host.ts';
import type { Logger } from '../logging/logger.ts';
import type { LogRing } from '../logging/log-ring.ts';
import type { OperatorConfigSource } from '../operator/operator-access.ts';
import { BoothDiagnostics } from './booth-diagnostics.ts';
import type { BoothMetrics } from './booth-metrics.ts';
import { diagnosticsControl, type DiagnosticsControl } from './diagnostics-control.ts';
import type { DiagnosticsServer } from './diagnostics-server.ts';
import { serveDiagnostics } from './serve-diagnostics.ts';

export interface RunningDiagnostics {
  /** For the control channel (`kiosk diag`, `kiosk status`). */
  control: DiagnosticsControl;
  server: DiagnosticsServer | null;
  close(): Promise<void>;
}

/**
 * The started booth's diagnostics (`kiosk start`): the metrics and log ring made before the
 * host (they follow it from its first session and line), and the HTTPS server when the config
 * enables it. A server that cannot start (an address the machine does not have, a certificate
 * file that is not there) is logged and left out: the booth serves its customers without it,
 * and `kiosk diag` still works through the control socket.
 */
export async function startDiagnostics(options: {
  host: BoothHost;
  dataDir: string;
  configStore: OperatorConfigSource & { update(change: (draft: BoothConfigInput) => void): unknown };
  logger: Logger;
  logs: LogRing;
  metrics: BoothMetrics;
  /** Ends the process for systemd to start it again (the technician's restart). */
  restartProcess?: () => void;
}): Promise<RunningDiagnostics> {
  const { host, dataDir, configStore, logger } = options;
  const diagnostics = new BoothDiagnostics({
    host,
    metrics: options.metrics,
    logs: options.logs,
    dataDir,
    configSource: configStore,
    logger,
    ...(options.restartProcess ? { restartProcess: options.restartProcess } : {}),
  });
  let server: DiagnosticsServer | null = null;
  try {
    server = await serveDiagnostics({
      diagnostics,
      config: host.config,
      configSource: configStore,
      dataDir,
      logger,
    });
  } catch (error) {
    logger.error({ reason: (error as Error).message }, 'diagnostics: not started');
  }
  return {
    control: diagnosticsControl({ diagnostics, server: () => server, configStore }),
    server,
    close: async () => {
      await server?.close();
      diagnostics.close();
    },
  };
}
