import { accessSync, constants, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const systemDir = '/var/lib/idphoto-kiosk';

/**
 * Where a unit keeps all its state. `--data-dir` wins, then KIOSK_DATA_DIR; otherwise the system
 * location when running as root (a production unit), else the user's state directory.
 */
export function resolveDataDir(input: { flag?: string; env?: NodeJS.ProcessEnv } = {}): string {
  const env = input.env ?? process.env;
  if (input.flag) return resolve(input.flag);
  if (env.KIOSK_DATA_DIR) return resolve(env.KIOSK_DATA_DIR);
  if (process.getuid?.() === 0 && writableOrCreatable(systemDir)) return systemDir;
  const stateHome = env.XDG_STATE_HOME ? resolve(env.XDG_STATE_HOME) : join(homedir(), '.local', 'state');
  return join(stateHome, 'idphoto-kiosk');
}

/** Creates the data directory, readable by the kiosk's user only. */
export function ensureDataDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
}

export function dataPaths(dir: string) {
  return {
    config: join(dir, 'config.json'),
    journal: join(dir, 'credit-journal.sqlite'),
    vault: join(dir, 'vault'),
    logs: join(dir, 'logs'),
    /** A simulated hopper's memory (coins left, lifetime count), as a real one keeps it in NV. */
    simulatedHopper: join(dir, 'simulated-hopper.json'),
    /** The gphoto2 camera's private folder: live-view frames pass through it as files. */
    cameraScratch: join(dir, 'camera-scratch'),
    /** Operator mode's PIN pad lock and audit (app/operator/operator-access.ts). */
    operatorAccess: join(dir, 'operator', 'access.sqlite'),
    /** Media loaded by hand and prints made since, for printers that cannot count (app/operator/paper-stock.ts). */
    paperStock: join(dir, 'operator', 'paper-stock.sqlite'),
    /** Whether the operator closed the booth for maintenance (app/operator/service-switch.ts). */
    serviceSwitch: join(dir, 'operator', 'service.json'),
    /** Sessions, prints, refusals and failures per day and since reset (app/operator/booth-counters.ts). */
    counters: join(dir, 'operator', 'counters.sqlite'),
    /** The running booth's control channel, owner only (app/host/control): `kiosk status`, `cash`, `owed`… */
    controlSocket: join(dir, 'control.sock'),
  };
}

function writableOrCreatable(dir: string): boolean {
  for (let d = dir; ; d = dirname(d)) {
    try {
      accessSync(d, constants.W_OK);
      return true;
    } catch {
      if (d === dirname(d)) return false;
    }
  }
}
