import { writeFileSync } from 'node:fs';
import { dataPaths, ensureDataDir, resolveDataDir } from '../../config/data-dir.ts';
import { ConfigStore } from '../../config/store.ts';
import { ControlError, type ControlArgs, type ControlCommand } from '../host/control/control-protocol.ts';
import type { HealthReport } from '../diagnostics/booth-health.ts';
import { issueTechnicianToken } from '../diagnostics/technician-token.ts';
import type { CliIO } from './cli-io.ts';
import { askBooth } from './control-client.ts';
import { readPin } from './read-pin.ts';
import { UsageError } from './usage.ts';

export interface DiagOptions {
  dataDirFlag?: string;
  args: string[];
  json?: boolean;
  follow?: boolean;
  level?: string;
  out?: string;
  pinStdin?: boolean;
  pin?: string;
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
  env?: NodeJS.ProcessEnv;
  /** How often `logs --follow` asks for new lines (ms). */
  followEveryMs?: number;
  /** Ends `logs --follow` (tests; the CLI runs until Ctrl-C). */
  signal?: AbortSignal;
}

/**
 * `kiosk diag health|metrics|logs [--follow]|bundle --out FILE|token`: the technician's
 * diagnostics of the booth running on this data directory, through its control socket (owner
 * only: being the booth's user on its machine is the credential, so no token is needed here;
 * the HTTPS server is for technicians elsewhere, and may well be off). `logs --follow` asks for
 * the lines after the last one it printed once a second: the control channel answers, it
 * does not stream.
 */
export async function runDiag(options: DiagOptions, io: CliIO): Promise<number> {
  const env = options.env ?? process.env;
  const dataDir = resolveDataDir({ flag: options.dataDirFlag, env });
  const [sub, ...rest] = options.args;
  if (rest.length > 0) throw new UsageError(`kiosk diag ${sub} takes no more words, not "${rest.join(' ')}"`);
  const ask = <C extends ControlCommand>(command: C, args: ControlArgs<C>, pin?: string) =>
    askBooth(dataDir, { command, args, ...(pin ? { pin } : {}) }, { timeoutMs: 60_000 });
  switch (sub) {
    case 'health': {
      const health = (await ask('diag.health', {})) as HealthReport;
      if (options.json) io.out(JSON.stringify(health));
      else {
        io.out(`health: ${health.status} (${health.serviceId}, ${health.version})`);
        for (const [name, [check]] of Object.entries(health.checks))
          if (check)
            io.out(
              `  ${check.status.padEnd(4)} ${name}: ${JSON.stringify(check.observedValue)}${check.observedUnit ? ` ${check.observedUnit}` : ''}${check.output ? ` (${check.output})` : ''}`,
            );
      }
      // Like the HTTP status: a failing booth is a failing command, for scripts and monitors.
      return health.status === 'fail' ? 1 : 0;
    }
    case 'metrics': {
      const { text } = (await ask('diag.metrics', {})) as { text: string };
      io.out(text.trimEnd());
      return 0;
    }
    case 'logs': {
      const level = options.level as ControlArgs<'diag.logs'>['level'];
      let since = 0;
      const print = async () => {
        const answer = (await ask('diag.logs', { since, ...(level ? { level } : {}) })) as {
          lines: string[];
          lastSeq: number;
        };
        for (const line of answer.lines) io.out(line);
        since = answer.lastSeq;
      };
      await print();
      if (!options.follow) return 0;
      const every = options.followEveryMs ?? 1_000;
      while (!options.signal?.aborted) {
        await new Promise((resolve) => setTimeout(resolve, every));
        if (options.signal?.aborted) break;
        await print();
      }
      return 0;
    }
    case 'bundle': {
      if (!options.out) throw new UsageError('kiosk diag bundle needs --out FILE (a .tar.gz)');
      const bundle = (await ask('diag.bundle', {})) as { name: string; base64: string; bytes: number };
      writeFileSync(options.out, Buffer.from(bundle.base64, 'base64'), { mode: 0o600 });
      io.out(`support bundle: ${options.out} (${bundle.bytes} bytes)`);
      return 0;
    }
    case 'token': {
      if (options.pin !== undefined)
        throw new UsageError(
          'give the PIN with --pin-stdin or KIOSK_PIN, not --pin: `ps` shows the command line to everyone',
        );
      const pin = options.pinStdin
        ? (await readPin(options.stdin ?? process.stdin, process.stderr)).trim()
        : env.KIOSK_PIN || undefined;
      let token: string;
      try {
        ({ token } = (await ask('diag.token', {}, pin)) as { token: string });
      } catch (error) {
        if (!(error instanceof ControlError && error.code === 'booth-not-running')) throw error;
        // No booth running: the config file is the unit's own to write, as kiosk config set-pin does.
        ensureDataDir(dataDir);
        token = issueTechnicianToken(new ConfigStore({ file: dataPaths(dataDir).config }));
      }
      io.err(
        'technician token (shown once: put it in the monitoring secret store now; a new one replaces it):',
      );
      io.out(token);
      return 0;
    }
    default:
      throw new UsageError(
        sub ? `unknown diag command "${sub}"` : 'kiosk diag needs health, metrics, logs, bundle or token',
      );
  }
}
