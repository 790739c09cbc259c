import { join } from 'node:path';
import type { BoothConfig } from '../../config/schema.ts';
import { onRealHardware } from '../operator/operator-access.ts';
import { demoDevices } from '../host/demo-devices.ts';
import type { Logger } from '../logging/logger.ts';
import type { OperatorConfigSource } from '../operator/operator-access.ts';
import type { BoothDiagnostics } from './booth-diagnostics.ts';
import { serverCertificate } from './certificate.ts';
import { DiagnosticsServer } from './diagnostics-server.ts';
import { AccessAudit, TechnicianGate } from './technician-gate.ts';

/** Where the diagnostics server keeps its certificate, key and access audit. */
export const diagnosticsDir = (dataDir: string) => join(dataDir, 'diagnostics');

/**
 * Whether the unit serves diagnostics: as configured, or (`auto`) on real hardware only: a
 * config naming a real device, and the booth not running on simulators whatever the config says
 * (`kiosk start --autoplay`, the demo).
 */
export function diagnosticsEnabled(config: BoothConfig, runsOnSimulators = false): boolean {
  const { enabled } = config.diagnostics;
  return enabled === 'auto' ? onRealHardware(config) && !runsOnSimulators : enabled;
}

/**
 * Starts the HTTPS diagnostics server for the running booth when the config enables it (else
 * null). `kiosk start` calls it once the booth has started and closes it before the host. The
 * token hash is read from the config file at each check, so `kiosk diag token` takes effect at
 * once; the addresses, port and certificate are read at start.
 */
export async function serveDiagnostics(options: {
  diagnostics: BoothDiagnostics;
  config: BoothConfig;
  configSource: OperatorConfigSource | null;
  dataDir: string;
  logger: Logger;
  /** For tests: a port from the OS. */
  port?: number;
}): Promise<DiagnosticsServer | null> {
  const { config, logger } = options;
  if (!diagnosticsEnabled(config, demoDevices(options.diagnostics.host.booth.devices) !== null)) {
    logger.info({ enabled: config.diagnostics.enabled }, 'diagnostics off');
    return null;
  }
  const dir = diagnosticsDir(options.dataDir);
  const certificate = await serverCertificate({
    dir,
    unitId: config.unit.id,
    bind: config.diagnostics.bind,
    certFile: config.diagnostics.certFile,
    keyFile: config.diagnostics.keyFile,
  });
  const host = options.diagnostics.host;
  const gate = new TechnicianGate({
    tokenHash: () => (options.configSource?.current() ?? host.config).diagnostics.technicianTokenHash,
    now: () => Date.now(),
  });
  return DiagnosticsServer.listen({
    diagnostics: options.diagnostics,
    certificate,
    gate,
    audit: new AccessAudit(join(dir, 'access.jsonl')),
    logger,
    bind: config.diagnostics.bind,
    port: options.port ?? config.diagnostics.port,
  });
}
