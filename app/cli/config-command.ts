import { ConfigStore } from '../../config/store.ts';
import { dataPaths, ensureDataDir, resolveDataDir } from '../../config/data-dir.ts';
import { hashSecret } from '../../config/pin.ts';
import type { CliIO } from './cli-io.ts';
import { UsageError } from './usage.ts';

/** `kiosk config show|check|set-pin`. */
export async function runConfig(
  options: { dataDirFlag?: string; args: string[] },
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
          { ...config, operator: { pinHash: config.operator.pinHash ? '[set]' : null } },
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
      const pinHash = hashSecret(arg);
      storeFor().update((draft) => {
        draft.operator = { pinHash };
      });
      io.out('operator PIN stored');
      return 0;
    }
    default:
      throw new UsageError(sub ? `unknown config command "${sub}"` : 'config needs show, check or set-pin');
  }
}
