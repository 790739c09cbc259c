import { dataPaths } from '../../../config/data-dir.ts';
import type { Logger } from '../../logging/logger.ts';
import type { OperatorConfigSource } from '../../operator/operator-access.ts';
import type { BoothHost } from '../booth-host.ts';
import { controlCommandsFor } from './control-commands.ts';
import { ControlServer } from './control-server.ts';
import type { DiagnosticsControl } from '../../diagnostics/diagnostics-control.ts';
import type { Decommission } from '../../services/decommission/decommission.ts';

/**
 * Serves the running booth's control channel at `<dataDir>/control.sock` (`kiosk start` calls
 * it once the booth has started; close it before the host).
 */
export function serveControl(options: {
  host: BoothHost;
  dataDir: string;
  configStore: OperatorConfigSource;
  logger: Logger;
  /** The booth's diagnostics, for `kiosk diag` (app/diagnostics/diagnostics-control.ts). */
  diagnostics?: DiagnosticsControl;
  /** The booth's end of service, for `kiosk decommission` (app/services/decommission/end-of-service.ts). */
  decommission?: Decommission;
}): Promise<ControlServer> {
  const { host, dataDir, configStore, logger, diagnostics, decommission } = options;
  const commands = controlCommandsFor({
    host,
    configStore,
    logger,
    startedAt: host.clock.now(),
    ...(diagnostics ? { diagnostics } : {}),
    ...(decommission ? { decommission } : {}),
  });
  return ControlServer.listen({
    path: dataPaths(dataDir).controlSocket,
    handle: commands.handle,
    changes: commands.changes,
    logger,
  });
}
