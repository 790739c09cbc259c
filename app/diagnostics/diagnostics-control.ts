import type { OperatorRole } from '../../config/schema.ts';
import { OperatorError } from '../operator/operator-error.ts';
import { ControlError } from '../host/control/control-protocol.ts';
import { parseLogLevel } from '../logging/log-ring.ts';
import type { BoothDiagnostics } from './booth-diagnostics.ts';
import type { HealthReport } from './booth-health.ts';
import type { DiagnosticsServer } from './diagnostics-server.ts';
import { issueTechnicianToken } from './technician-token.ts';
import type { BoothConfigInput } from '../../config/schema.ts';

/** What `kiosk status` shows of the diagnostics server. */
export interface DiagnosticsStatus {
  /** Whether the HTTPS server listens (off on the demo unless configured). */
  serving: boolean;
  addresses: string[];
  /** SHA-256 of its certificate, for technicians to pin; null while it is off. */
  fingerprint: string | null;
  tokenSet: boolean;
}

/** The running booth's diagnostics as the control channel's `diag.*` commands (`kiosk diag`). */
export interface DiagnosticsControl {
  status(): DiagnosticsStatus;
  health(): HealthReport;
  metrics(): Promise<string>;
  logs(args: { since?: number; level?: string; limit?: number }): { lines: string[]; lastSeq: number };
  /** The support bundle, base64 (the control channel is JSON lines). */
  bundle(): Promise<{ name: string; base64: string; bytes: number }>;
  /** A new technician token, shown once; technicians only. */
  token(role: OperatorRole): { token: string };
}

/** Log lines one `diag.logs` answer carries at most (a follow asks again with `since`). */
const maxLines = 1_000;

export function diagnosticsControl(parts: {
  diagnostics: BoothDiagnostics;
  server: () => DiagnosticsServer | null;
  configStore: {
    current(): { diagnostics: { technicianTokenHash: string | null } };
    update(change: (draft: BoothConfigInput) => void): unknown;
  };
}): DiagnosticsControl {
  const { diagnostics: d, configStore } = parts;
  return {
    status: () => {
      const server = parts.server();
      return {
        serving: server !== null,
        addresses: server?.addresses() ?? [],
        fingerprint: server?.fingerprint ?? null,
        tokenSet: configStore.current().diagnostics.technicianTokenHash !== null,
      };
    },
    health: () => d.health(),
    metrics: () => d.metricsText(),
    logs: ({ since, level, limit }) => {
      const minLevel = level === undefined ? 0 : parseLogLevel(level);
      if (minLevel === null)
        throw new ControlError(
          'request-invalid',
          `unknown log level "${level}" (trace, debug, info, warn, error, fatal)`,
        );
      const lines = d.recentLogs({
        since: since ?? 0,
        minLevel,
        limit: Math.min(limit ?? maxLines, maxLines),
      });
      return { lines: lines.map((l) => l.line), lastSeq: lines.at(-1)?.seq ?? Math.max(since ?? 0, 0) };
    },
    bundle: async () => {
      const bundle = await d.bundle();
      const unit = d.host.config.unit.id.replace(/[^A-Za-z0-9._-]/g, '_');
      return {
        name: `booth-${unit}-support.tar.gz`,
        base64: bundle.toString('base64'),
        bytes: bundle.length,
      };
    },
    token: (role) => {
      if (role !== 'technician')
        throw new OperatorError('not-allowed', 'a diagnostics token is issued with the technician PIN only');
      return { token: issueTechnicianToken(configStore) };
    },
  };
}
