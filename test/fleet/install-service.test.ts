// kiosk install-service: the unit it writes (checked by systemd's own systemd-analyze verify),
// the refusals where systemd or the user is missing, and the systemctl calls it makes.
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { runInstallService, type ServiceHost } from '../../app/cli/install-service-command.ts';
import { main } from '../../app/cli/main.ts';

const repoUnit = fileURLToPath(new URL('../../deploy/systemd/kiosk.service', import.meta.url));
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function temp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'install-service-'));
  dirs.push(dir);
  return dir;
}
function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => void out.push(l), err: (l: string) => void err.push(l) }, out, err };
}
const keys = (unit: string) =>
  unit
    .split('\n')
    .filter((l) => /^[A-Za-z]+=/.test(l))
    .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)] as const);

/** systemd-analyze verify: warnings for unknown keys or bad values; its own complaints about this machine's missing paths are not the unit's. */
function verify(file: string): string {
  const run = spawnSync('systemd-analyze', ['verify', file], { encoding: 'utf8' });
  return `${run.stdout}${run.stderr}`;
}

describe('the systemd unit', () => {
  it('is Type=notify with the watchdog, restarts for ever and is hardened; systemd-analyze finds no unknown key', () => {
    const unit = readFileSync(repoUnit, 'utf8');
    const set = new Map(keys(unit));
    expect(set.get('Type')).toBe('notify');
    expect(set.get('NotifyAccess')).toBe('all');
    expect(Number(set.get('WatchdogSec'))).toBeGreaterThan(0);
    expect(set.get('Restart')).toBe('always');
    expect(set.get('StartLimitIntervalSec')).toBe('0');
    expect(set.get('ProtectSystem')).toBe('strict');
    expect(set.get('ReadWritePaths')).toBe('/var/lib/idphoto-kiosk');
    expect(set.get('NoNewPrivileges')).toBe('yes');
    expect(set.get('User')).toBe('kiosk');
    expect(set.get('SupplementaryGroups')).toBe('video dialout lp');
    expect(verify(repoUnit)).not.toMatch(/Unknown key|Failed to parse|Invalid/);
  });
});

describe('kiosk install-service', () => {
  const fakeSystemd = (dir: string, userExists = true): ServiceHost & { calls: () => string[] } => {
    const runtime = join(dir, 'run-systemd');
    mkdirSync(runtime);
    const log = join(dir, 'systemctl.log');
    const systemctl = join(dir, 'systemctl');
    // Stands in for systemctl (no systemd runs on the test machine): it records its arguments.
    writeFileSync(systemctl, `#!/bin/sh\necho "$@" >> ${log}\n`);
    chmodSync(systemctl, 0o755);
    return {
      systemdRuntimeDir: runtime,
      systemctl,
      lookUpUser: (name) =>
        userExists && name === 'booth' ? { uid: process.getuid!(), gid: process.getgid!() } : null,
      node: process.execPath,
      calls: () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []),
    };
  };

  it('writes the unit for this checkout, user and data dir, then daemon-reload and enable', () => {
    const dir = temp();
    const host = fakeSystemd(dir);
    const unitPath = join(dir, 'etc', 'kiosk.service');
    const dataDir = join(dir, 'data');
    const { io, out } = capture();
    expect(runInstallService({ user: 'booth', dataDir, unitPath, enable: true }, io, host)).toBe(0);
    const unit = new Map(keys(readFileSync(unitPath, 'utf8')));
    const root = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');
    expect(unit.get('ExecStart')).toBe(
      `${process.execPath} ${root}/bin/kiosk.js start --data-dir ${dataDir}`,
    );
    expect(unit.get('User')).toBe('booth');
    expect(unit.get('ReadWritePaths')).toBe(dataDir);
    expect(unit.get('Type')).toBe('notify');
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(statSync(unitPath).mode & 0o777).toBe(0o644);
    expect(host.calls()).toEqual(['daemon-reload', 'enable kiosk.service']);
    expect(out.join('\n')).toMatch(/enabled kiosk.service/);
    expect(verify(unitPath)).not.toMatch(/Unknown key|Failed to parse|Invalid/);
  });

  it('refuses, writing nothing, where systemd does not run or the user does not exist', () => {
    const dir = temp();
    const host = fakeSystemd(dir, false);
    const unitPath = join(dir, 'kiosk.service');
    let c = capture();
    expect(
      runInstallService({ user: 'booth', unitPath, enable: true, dataDir: join(dir, 'd') }, c.io, host),
    ).toBe(1);
    expect(c.err.join('\n')).toMatch(/there is no user "booth".*useradd --system/);
    c = capture();
    const noSystemd = { ...host, systemdRuntimeDir: join(dir, 'nothing-here') };
    expect(
      runInstallService({ user: 'booth', unitPath, enable: true, dataDir: join(dir, 'd') }, c.io, noSystemd),
    ).toBe(1);
    expect(c.err.join('\n')).toMatch(/systemd is not running on this machine.*--no-enable/);
    expect(existsSync(unitPath)).toBe(false);
    expect(host.calls()).toEqual([]);
    // --no-enable: the file alone, for an image built elsewhere.
    c = capture();
    expect(
      runInstallService({ user: 'booth', unitPath, enable: false, dataDir: join(dir, 'd') }, c.io, noSystemd),
    ).toBe(0);
    expect(existsSync(unitPath)).toBe(true);
    expect(host.calls()).toEqual([]);
  });

  it('through the CLI: a failing systemctl is an error; a path systemd would misread is a usage error', async () => {
    const dir = temp();
    let c = capture();
    expect(
      await main(['install-service', '--unit-path', join(dir, 'my unit.service'), '--no-enable'], c.io),
    ).toBe(2);
    expect(c.err.join('\n')).toMatch(/--unit-path must be an absolute path without spaces/);
    c = capture();
    expect(await main(['install-service', '--user', 'Root;rm', '--no-enable'], c.io)).toBe(2);
    const host = { ...fakeSystemd(dir), systemctl: '/bin/false' };
    c = capture();
    const unitPath = join(dir, 'kiosk.service');
    expect(
      runInstallService({ user: 'booth', unitPath, enable: true, dataDir: join(dir, 'd') }, c.io, host),
    ).toBe(1);
    expect(c.err.join('\n')).toMatch(/systemctl daemon-reload failed/);
  });
});
