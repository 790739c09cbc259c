/**
 * One run of the fault campaign, in a process of its own so it can be killed -9: a booth on the
 * unit's own data directory (its journal, its vault, crash recovery at start), paying through the
 * real ccTalk adapter and host on the pty the campaign's emulators sit behind, paying back
 * through the ccTalk hopper on the same line, and printing to a folder. Campaign customers use
 * it. With KIOSK_CRASH_AT set it dies at that crash point (core/crash-point.ts).
 *
 * Run as `node --import tsx app/simulate/campaign-child.ts '<json CampaignChildInput>'` with an
 * IPC channel: coins go to the parent (`{ insert: value }`, answered `{ inserted }`), and a run
 * that ends normally says `{ done: CampaignChildReport }`.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { faultAtCrashPoint } from '../../core/crash-point.ts';
import { SimClock } from '../../core/sim-clock.ts';
import { SeededRandom } from '../../hardware/sim/seeded-random.ts';
import { silentLogger } from '../logging/logger.ts';
import { BoothHost } from '../host/booth-host.ts';
import { configuredDevices } from '../host/device-set.ts';
import { CampaignCustomers, type CampaignVisit } from './campaign-customers.ts';
import { campaignConfig, type CampaignSetup } from './campaign-config.ts';
import { ClockTrackedPrinter } from './clock-tracked-printer.ts';
import { applyCampaignFault, type CampaignFault } from './campaign-faults.ts';

export interface CampaignChildInput extends CampaignSetup {
  seed: number;
  visits: readonly CampaignVisit[];
  /** What happens at KIOSK_CRASH_AT's point: the kill (the default), or a fault it must survive. */
  fault?: CampaignFault;
}

export interface CampaignChildReport {
  visits: number;
  /** Vault sessions still open after the booth closed (crash leftovers not cleaned up). */
  openVaultSessions: number;
  state: string;
  /** Why the booth went out of service during the run, in order (a full disk: `storage:low`). */
  outOfService: string[];
}

const input = JSON.parse(process.argv[2] ?? '{}') as CampaignChildInput;
const send = (message: object) => process.send?.(message);

const config = campaignConfig(input);
mkdirSync(join(input.dataDir, 'printed'), { recursive: true, mode: 0o700 });
const clock = new SimClock();
const fault = input.fault ?? 'kill';
if (fault !== 'kill') faultAtCrashPoint(() => applyCampaignFault(fault, { clock, dataDir: input.dataDir }));
// Coins go to the emulators in the parent: they outlive this process, as a cash box does.
let asks = 0;
const waiting = new Map<number, () => void>();
process.on('message', (message: { answer?: number }) => {
  if (message.answer !== undefined) {
    waiting.get(message.answer)?.();
    waiting.delete(message.answer);
  }
});
const money = {
  insertCoin: (value: number) =>
    clock.track(
      new Promise<void>((resolve) => {
        const id = ++asks;
        waiting.set(id, resolve);
        send({ insert: value, id });
      }),
    ),
  insertBill: () => Promise.resolve(),
};

const host = await BoothHost.open(
  {
    dataDir: input.dataDir,
    logger: silentLogger(),
    clock,
    holder: 'kiosk simulate --campaign',
    vision: 'none',
    screen: false,
    devices: async ({ journal }) => {
      const recipes = configuredDevices(clock, { seed: input.seed, counters: journal });
      // Folder I/O is real: the simulated clock waits for each sheet to be written.
      const build = recipes.photoPrinter.build;
      recipes.photoPrinter = {
        ...recipes.photoPrinter,
        build: (c) => new ClockTrackedPrinter(build(c), clock),
      };
      return recipes;
    },
  },
  config,
);
let customers: CampaignCustomers | undefined;
const outOfService: string[] = [];
host.onBooth((booth) => {
  booth.onChange(() => {
    const reason = booth.view().outOfServiceReason;
    if (reason && outOfService.at(-1) !== reason) outOfService.push(reason);
  });
  customers?.stop();
  customers = new CampaignCustomers({
    booth,
    money,
    clock,
    random: new SeededRandom(input.seed).fork('campaign'),
    visits: input.visits,
    documentId: config.documents[0]!,
    productId: config.products[0]!.id,
    price: config.products[0]!.price,
    coins: config.money.coins,
  });
});
// Start-up settles what a crash left (a voucher printed, a payout counted) on simulated time:
// the clock must run for it.
let started = false;
const starting = host.start(config).finally(() => (started = true));
await clock.runUntil(() => started);
await starting;
const done = await clock.runUntil(
  () => (customers?.started ?? 0) >= input.visits.length && host.booth.view().waitingForCustomer,
  clock.now() + (input.visits.length + 1) * 60 * 60_000,
);
const state = host.booth.state;
await host.close();
// Opened again only to count: the vault's index says which sessions are still open.
const report: CampaignChildReport = {
  visits: customers?.started ?? 0,
  openVaultSessions: await countOpenSessions(),
  state: done ? state : `stalled in ${state}`,
  outOfService,
};
send({ done: report });
process.disconnect?.();

async function countOpenSessions(): Promise<number> {
  const { openPrivacy } = await import('../services/vault/open-vault.ts');
  const privacy = openPrivacy({ dataDir: input.dataDir, config, clock, simulated: false, maintain: false });
  try {
    return privacy.vault.openSessions().length;
  } finally {
    privacy.vault.close();
  }
}
