import { join } from 'node:path';
import type { Clock } from '../../../core/clock.ts';
import type { BoothConfig } from '../../../config/schema.ts';
import { dataPaths } from '../../../config/data-dir.ts';
import { PhotoVault } from './photo-vault.ts';
import { ConsentBook, PrivacyPolicy } from './privacy-policy.ts';

export interface PrivacyParts {
  vault: PhotoVault;
  policy: PrivacyPolicy;
  consents: ConsentBook;
}

/** The unit's vault under its data directory, with its policy texts and consent records. */
export function openPrivacy(options: {
  dataDir: string;
  config: BoothConfig;
  clock: Clock;
  simulated?: boolean;
  /**
   * Only the booth process finishes interrupted wipes and sweeps stray files: a CLI command or a
   * simulation running beside it must not remove a file the booth has written but not yet indexed.
   */
  maintain?: boolean;
}): PrivacyParts {
  const { dataDir, config, clock } = options;
  const vaultOptions = {
    dir: dataPaths(dataDir).vault,
    clock,
    retentionDays: config.retention.days,
    simulated: options.simulated,
  };
  const vault = options.maintain ? PhotoVault.open(vaultOptions) : new PhotoVault(vaultOptions);
  const policy = new PrivacyPolicy({
    index: vault.index,
    retentionDays: config.retention.days,
    overrideDir: join(dataDir, 'privacy'),
    now: () => clock.now(),
  });
  return { vault, policy, consents: new ConsentBook(vault.index, policy, () => clock.now()) };
}
