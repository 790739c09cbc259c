import { parseArgs } from 'node:util';
import { runStart } from './start-command.ts';
import { runSimulate } from './simulate-command.ts';
import { runConfig } from './config-command.ts';
import { benchPart, runBenchCommand } from './bench-command.ts';
import { runVault } from './vault-command.ts';
import { runCheckPhoto } from './check-photo-command.ts';
import { runMakePhoto } from './make-photo-command.ts';
import { runPayment } from './payment-command.ts';
import { runCamera } from './camera-command.ts';
import { runPrintTest } from './print-test-command.ts';
import { runOperatorCommand } from './operator-commands.ts';
import { runDiag } from './diag-command.ts';
import { runDecommission } from './decommission-command.ts';
import { runMail } from './mail-command.ts';
import { runVersion } from './version-command.ts';
import { runInstallService } from './install-service-command.ts';
import { ControlError } from '../host/control/control-protocol.ts';
import { usage, UsageError } from './usage.ts';
import type { CliIO } from './cli-io.ts';
import { shellKinds, type ShellKind } from '../shell/start-shell.ts';

const defaultIO: CliIO = {
  out: (line) => process.stdout.write(line + '\n'),
  err: (line) => process.stderr.write(line + '\n'),
};

/** Runs one CLI command and returns its exit code (0 ok, 1 failed, 2 called wrongly, 3 no booth running). */
export async function main(argv: string[], io: CliIO = defaultIO): Promise<number> {
  try {
    const { positionals, values } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        'data-dir': { type: 'string' },
        sessions: { type: 'string' },
        seed: { type: 'string' },
        faults: { type: 'string' },
        autoplay: { type: 'boolean' },
        shell: { type: 'string' },
        'no-browser': { type: 'boolean' },
        json: { type: 'boolean' },
        'older-than': { type: 'string' },
        'dry-run': { type: 'boolean' },
        pin: { type: 'string' },
        role: { type: 'string' },
        spec: { type: 'string' },
        out: { type: 'string' },
        copies: { type: 'string' },
        media: { type: 'string' },
        dpi: { type: 'string' },
        payment: { type: 'string' },
        printer: { type: 'string' },
        port: { type: 'string' },
        device: { type: 'string' },
        address: { type: 'string' },
        checksum: { type: 'string' },
        echo: { type: 'boolean' },
        'no-echo': { type: 'boolean' },
        soak: { type: 'string' },
        only: { type: 'string' },
        seconds: { type: 'string' },
        campaign: { type: 'boolean' },
        'campaign-seeds': { type: 'string' },
        counted: { type: 'string' },
        prints: { type: 'string' },
        as: { type: 'string' },
        'pin-stdin': { type: 'boolean' },
        'notice-days': { type: 'string' },
        user: { type: 'string' },
        'unit-path': { type: 'string' },
        'no-enable': { type: 'boolean' },
        follow: { type: 'boolean' },
        level: { type: 'string' },
        version: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    const [command, ...rest] = positionals;
    if (values.version && command === undefined) return runVersion(io);
    if (values.help || command === 'help' || command === undefined) {
      io.out(usage);
      return command === undefined && !values.help ? 2 : 0;
    }
    const common = { dataDirFlag: values['data-dir'], seed: intOption('--seed', values.seed, 1, 0) };
    switch (command) {
      case 'start':
        return await runStart(
          {
            ...common,
            autoplay: values.autoplay,
            shell: shellOption(values.shell),
            noBrowser: values['no-browser'],
            port: values.port === undefined ? undefined : portOption(values.port),
          },
          io,
        );
      case 'simulate':
        return await runSimulate(
          {
            ...common,
            // The campaign runs its own sessions: --sessions is for a plain run only.
            sessions: values.campaign ? 0 : intOption('--sessions', values.sessions, undefined, 1),
            campaign: values.campaign,
            campaignSeeds:
              values['campaign-seeds'] === undefined
                ? undefined
                : intOption('--campaign-seeds', values['campaign-seeds'], 1, 1),
            faults: values.faults,
            payment: values.payment,
            printer: values.printer,
          },
          io,
        );
      case 'payment':
        return await runPayment(
          {
            args: rest,
            port: values.port,
            device: values.device,
            address:
              values.address === undefined ? undefined : intOption('--address', values.address, undefined, 2),
            checksum: values.checksum,
            echo: values['no-echo'] ? false : values.echo ? true : undefined,
          },
          io,
        );
      case 'camera':
        return await runCamera(
          {
            args: rest,
            dataDirFlag: values['data-dir'],
            port: values.port,
            out: values.out,
            seconds:
              values.seconds === undefined ? undefined : intOption('--seconds', values.seconds, undefined, 1),
          },
          io,
        );
      case 'print-test':
        if (rest.length > 0) throw new UsageError(`print-test takes no arguments, not "${rest.join(' ')}"`);
        return await runPrintTest({ printer: values.printer, media: values.media }, io);
      case 'bench':
        return await runBenchCommand(
          {
            sessions:
              values.sessions === undefined ? undefined : intOption('--sessions', values.sessions, 50, 1),
            soak: values.soak === undefined ? undefined : intOption('--soak', values.soak, 10_000, 2_000),
            only: benchPart(values.only),
          },
          io,
        );
      case 'vault':
        return await runVault(
          {
            ...common,
            args: rest,
            json: values.json,
            olderThan: values['older-than'],
            dryRun: values['dry-run'],
            pin: values.pin,
          },
          io,
        );
      case 'config':
        return await runConfig({ ...common, args: rest, role: values.role }, io);
      case 'check-photo':
        return await runCheckPhoto({ files: rest, spec: values.spec, json: values.json }, io);
      case 'make-photo':
        if (rest.length > 1) throw new UsageError('make-photo takes one FILE');
        return await runMakePhoto(
          {
            file: rest[0],
            spec: values.spec,
            out: values.out,
            copies: intOption('--copies', values.copies, 4, 1),
            media: values.media,
            dpi: values.dpi === undefined ? undefined : intOption('--dpi', values.dpi, 300, 150),
            dataDirFlag: values['data-dir'],
          },
          io,
        );
      case 'install-service':
        if (rest.length > 0)
          throw new UsageError(`install-service takes no arguments, not "${rest.join(' ')}"`);
        return runInstallService(
          {
            user: values.user,
            dataDir: values['data-dir'],
            unitPath: values['unit-path'],
            enable: !values['no-enable'],
          },
          io,
        );
      case 'diag':
        // The technician's diagnostics of the running booth (app/diagnostics), through its control socket.
        return await runDiag(
          {
            dataDirFlag: values['data-dir'],
            args: rest,
            json: values.json,
            follow: values.follow,
            level: values.level,
            out: values.out,
            pinStdin: values['pin-stdin'],
            pin: values.pin,
          },
          io,
        );
      case 'mail':
        // The running booth's outbox, through its control channel.
        return await runMail(
          {
            dataDirFlag: values['data-dir'],
            args: rest,
            json: values.json,
            pinStdin: values['pin-stdin'],
            pin: values.pin,
          },
          io,
        );
      case 'decommission':
        // The end of service of the running booth, through its control channel.
        return await runDecommission(
          {
            dataDirFlag: values['data-dir'],
            args: rest,
            json: values.json,
            noticeDays: values['notice-days'],
            pinStdin: values['pin-stdin'],
            pin: values.pin,
          },
          io,
        );
      case 'status':
      case 'cash':
      case 'media':
      case 'price':
      case 'owed':
        // On the running booth, through its control channel (app/host/control).
        return await runOperatorCommand(
          {
            dataDirFlag: values['data-dir'],
            command,
            args: rest,
            json: values.json,
            counted: values.counted,
            prints: values.prints,
            as: values.as,
            pinStdin: values['pin-stdin'],
            pin: values.pin,
          },
          io,
        );
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`kiosk: ${(error as Error).message}\n\n${usage}`);
      return 2;
    }
    io.err(`kiosk: ${(error as Error).message}`);
    // Not a failure of the command: there was nothing to ask. Scripts tell the two apart.
    if (error instanceof ControlError && error.code === 'booth-not-running') return 3;
    return 1;
  }
}

function shellOption(raw: string | undefined): ShellKind | undefined {
  if (raw === undefined) return undefined;
  if (!(shellKinds as readonly string[]).includes(raw))
    throw new UsageError(`--shell must be one of ${shellKinds.join(', ')}, not "${raw}"`);
  return raw as ShellKind;
}

function portOption(raw: string): number {
  const port = intOption('--port', raw, 0, 0);
  if (port > 65_535) throw new UsageError(`--port must be at most 65535, not "${raw}"`);
  return port;
}

function intOption(name: string, raw: string | undefined, fallback: number | undefined, min: number): number {
  if (raw === undefined) {
    if (fallback === undefined) throw new UsageError(`${name} is required`);
    return fallback;
  }
  if (!/^\d+$/.test(raw) || Number(raw) < min || !Number.isSafeInteger(Number(raw))) {
    throw new UsageError(`${name} must be a whole number of at least ${min}, not "${raw}"`);
  }
  return Number(raw);
}
