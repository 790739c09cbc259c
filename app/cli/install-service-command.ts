import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CliIO } from './cli-io.ts';
import { UsageError } from './usage.ts';

const root = fileURLToPath(new URL('../../', import.meta.url)).replace(/\/$/, '');
const template = join(root, 'deploy', 'systemd', 'kiosk.service');

export interface InstallServiceOptions {
  user?: string;
  dataDir?: string;
  /** Where the unit goes (default /etc/systemd/system/kiosk.service). */
  unitPath?: string;
  /** false: write the file only (`--no-enable`), for an image built where systemd does not run. */
  enable: boolean;
}

/** What the command needs from the machine; the tests bring a systemd of their own. */
export interface ServiceHost {
  /** sd_booted(3): this directory exists only when systemd is PID 1. */
  systemdRuntimeDir: string;
  systemctl: string;
  /** The user's uid and gid, or null when there is no such user. */
  lookUpUser: (name: string) => { uid: number; gid: number } | null;
  node: string;
}

const defaultHost: ServiceHost = {
  systemdRuntimeDir: '/run/systemd/system',
  systemctl: 'systemctl',
  lookUpUser: (name) => {
    const id = (flag: string) => spawnSync('id', [flag, name], { encoding: 'utf8' });
    const uid = id('-u');
    const gid = id('-g');
    return uid.status === 0 && gid.status === 0 ? { uid: Number(uid.stdout), gid: Number(gid.stdout) } : null;
  },
  node: process.execPath,
};

/** A path systemd takes without quoting: absolute, no spaces, quotes, `%` (specifiers) or `$`. */
const plainPath = /^\/[A-Za-z0-9._\-/+@]*$/;

/**
 * The repo's unit (deploy/systemd/kiosk.service) with this checkout's node and kiosk, the
 * booth's user and data directory put in. Everything else (hardening, watchdog) stays as written.
 */
export function renderUnit(
  text: string,
  o: { user: string; dataDir: string; root: string; node: string },
): string {
  const set: Record<string, string> = {
    Documentation: `file://${o.root}/README.md`,
    User: o.user,
    Group: o.user,
    WorkingDirectory: o.root,
    'Environment=KIOSK_DATA_DIR': o.dataDir,
    ExecStart: `${o.node} ${o.root}/bin/kiosk.js start --data-dir ${o.dataDir}`,
    ReadWritePaths: o.dataDir,
  };
  return text
    .split('\n')
    .map((line) => {
      for (const [key, value] of Object.entries(set))
        if (line.startsWith(`${key}=`)) return `${key}=${value}`;
      return line;
    })
    .join('\n');
}

/**
 * `kiosk install-service [--user NAME] [--data-dir DIR] [--unit-path FILE] [--no-enable]`:
 * writes the unit and runs `systemctl daemon-reload` and `systemctl enable`. Refuses, writing
 * nothing, where systemd does not run or the user does not exist (unless `--no-enable`).
 */
export function runInstallService(
  options: InstallServiceOptions,
  io: CliIO,
  host: ServiceHost = defaultHost,
): number {
  const user = options.user ?? 'kiosk';
  const dataDir = options.dataDir ?? '/var/lib/idphoto-kiosk';
  const unitPath = options.unitPath ?? '/etc/systemd/system/kiosk.service';
  if (!/^[a-z_][a-z0-9_-]{0,31}$/.test(user))
    throw new UsageError(`--user must be a system user name, not "${user}"`);
  for (const [flag, path] of [
    ['--data-dir', dataDir],
    ['--unit-path', unitPath],
  ] as const)
    if (!isAbsolute(path) || !plainPath.test(path))
      throw new UsageError(`${flag} must be an absolute path without spaces, quotes, % or $, not "${path}"`);
  if (!unitPath.endsWith('.service'))
    throw new UsageError(`--unit-path must name a .service file, not "${unitPath}"`);
  if (!plainPath.test(root) || !plainPath.test(host.node)) {
    io.err(
      `kiosk install-service: the kiosk (${root}) or node (${host.node}) is at a path systemd cannot take unquoted`,
    );
    return 1;
  }
  const account = host.lookUpUser(user);
  if (options.enable) {
    if (!existsSync(host.systemdRuntimeDir)) {
      io.err(
        `kiosk install-service: systemd is not running on this machine (no ${host.systemdRuntimeDir}); nothing written. ` +
          'Use --no-enable to write the unit file alone (an image built for another machine).',
      );
      return 1;
    }
    if (!account) {
      io.err(
        `kiosk install-service: there is no user "${user}"; nothing written. Create it first: ` +
          `useradd --system --home-dir ${dataDir} --shell /usr/sbin/nologin ${user}`,
      );
      return 1;
    }
  }
  const unit = renderUnit(readFileSync(template, 'utf8'), { user, dataDir, root, node: host.node });
  // The data directory must be there: systemd refuses to start a unit whose ReadWritePaths is not.
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (account && process.getuid?.() === 0) chownSync(dataDir, account.uid, account.gid);
  mkdirSync(dirname(unitPath), { recursive: true });
  const temp = `${unitPath}.tmp-${process.pid}`;
  writeFileSync(temp, unit, { mode: 0o644 });
  renameSync(temp, unitPath);
  io.out(`wrote ${unitPath} (user ${user}, data ${dataDir})`);
  if (!options.enable) {
    io.out(
      'not enabled (--no-enable): on the booth, systemctl daemon-reload && systemctl enable ' +
        basename(unitPath),
    );
    return 0;
  }
  for (const args of [['daemon-reload'], ['enable', basename(unitPath)]]) {
    const run = spawnSync(host.systemctl, args, { encoding: 'utf8', timeout: 60_000 });
    if (run.status !== 0) {
      io.err(
        `kiosk install-service: systemctl ${args.join(' ')} failed: ${(run.stderr || run.error?.message || '').trim()}`,
      );
      return 1;
    }
  }
  io.out(`enabled ${basename(unitPath)}; start it with: systemctl start ${basename(unitPath)}`);
  return 0;
}
