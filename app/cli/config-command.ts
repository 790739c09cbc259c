import { ConfigStore } from '../../config/store.ts';
import { operatorWithPin, type OperatorRole } from '../../config/schema.ts';
import { dataPaths, ensureDataDir, resolveDataDir } from '../../config/data-dir.ts';
import { hashSecret, newPinProblem } from '../../config/pin.ts';
import type { CliIO } from './cli-io.ts';
import { UsageError } from './usage.ts';

/** `kiosk config show|check|set-pin`. */
export async function runConfig(
  options: { dataDirFlag?: string; args: string[]; role?: string },
  io: CliIO,
): Promise<number> {
  const [sub, arg] = options.args;
  const storeFor = () => {
    const dataDir = resolveDataDir({ flag: options.dataDirFlag, env: process.env });
    ensureDataDir(dataDir);
    return new ConfigStore({ file: dataPaths(dataDir).config });
  };
  switch (sub) {
    case 'show': {
      const config = storeFor().load();
      io.out(
        JSON.stringify(
          {
            ...config,
            operator: {
              ...config.operator,
              // Whether each PIN is set, never its hash: the file is the place for that.
              pins: {
                operator: config.operator.pins.operator ? '[set]' : null,
                technician: config.operator.pins.technician ? '[set]' : null,
              },
            },
            // The same for the other secrets: the technician's token hash, the SMTP password and
            // the fleet broker's password are in the file, never on a terminal or in a paste.
            diagnostics: {
              ...config.diagnostics,
              technicianTokenHash: config.diagnostics.technicianTokenHash ? '[set]' : null,
            },
            mail: config.mail && { ...config.mail, password: '[set]' },
            fleet: {
              ...config.fleet,
              mqtt: config.fleet.mqtt && {
                ...config.fleet.mqtt,
                password: config.fleet.mqtt.password ? '[set]' : null,
              },
            },
          },
          null,
          2,
        ),
      );
      return 0;
    }
    case 'check': {
      if (!arg) throw new UsageError('config check needs a FILE');
      new ConfigStore({ file: arg }).load();
      io.out(`${arg}: valid`);
      return 0;
    }
    case 'set-pin': {
      if (!arg) throw new UsageError('config set-pin needs a PIN');
      const role = pinRole(options.role);
      const store = storeFor();
      const other = store.load().operator.pins[role === 'operator' ? 'technician' : 'operator'];
      const problem = newPinProblem(arg, other);
      if (problem) throw new Error(`config set-pin: ${problem}`);
      const pinHash = hashSecret(arg);
      store.update((draft) => {
        draft.operator = operatorWithPin(draft.operator, role, pinHash);
      });
      io.out(`${role} PIN stored`);
      return 0;
    }
    default:
      throw new UsageError(sub ? `unknown config command "${sub}"` : 'config needs show, check or set-pin');
  }
}

function pinRole(flag: string | undefined): OperatorRole {
  if (flag === undefined || flag === 'operator' || flag === 'technician') return flag ?? 'operator';
  throw new UsageError(`--role must be operator or technician, not "${flag}"`);
}
