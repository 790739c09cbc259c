import { join } from 'node:path';
import { boothConfigSchema, type BoothConfig } from '../../config/schema.ts';

/** What the campaign's booth and its emulators agree on. */
export interface CampaignSetup {
  dataDir: string;
  /** The host end of the pty the ccTalk emulators are on. */
  hostPath: string;
}

/** The coin acceptor's coins (minor units) and their ccTalk ids; the hopper pays the smallest. */
export const campaignCoins = { EU050A: 50, EU200A: 200 } as const;
export const hopperAddress = 3;
export const hopperCoin = 50;
/**
 * A price no sum of the coins can meet exactly, so every paid session leaves credit over: the
 * booth pays it back in 50s and puts what it cannot pay (the 10) on a voucher.
 */
export const campaignPrice = 790;

/** The unit the campaign runs: ccTalk coins in, a ccTalk hopper back out, a folder printer. */
export function campaignConfig(setup: CampaignSetup): BoothConfig {
  return boothConfigSchema.parse({
    unit: { id: 'campaign', name: 'Fault campaign booth', contact: 'help@example.org' },
    products: [{ id: 'photos-4', prints: 1, photosPerSheet: 4, digital: false, price: campaignPrice }],
    money: {
      unusedCredit: 'refund',
      coins: Object.values(campaignCoins),
      bills: [],
      noChangeGiven: false,
    },
    // The disk-full cases run on a tmpfs of their own (campaign.ts): a reserve that fits it.
    storage: { reserveMb: 32 },
    hardware: {
      camera: { adapter: 'simulated' },
      payment: {
        adapter: 'cctalk',
        port: setup.hostPath,
        echo: false,
        coin: { address: 2, values: { ...campaignCoins } },
        bill: null,
      },
      hopper: { adapter: 'cctalk', address: hopperAddress, coinValue: hopperCoin },
      photoPrinter: { adapter: 'folder', path: join(setup.dataDir, 'printed') },
      receiptPrinter: { adapter: 'simulated' },
    },
  });
}
