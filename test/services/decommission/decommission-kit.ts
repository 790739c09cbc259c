import { join } from 'node:path';
import { OwedPrintQueue } from '../../../app/booth/owed-print-queue.ts';
import { MoneyBack } from '../../../app/booth/money-back.ts';
import type { Logger } from '../../../app/logging/logger.ts';
import { CreditJournal } from '../../../app/money/credit-journal.ts';
import { OperatorAccess } from '../../../app/operator/operator-access.ts';
import { OwedDesk } from '../../../app/operator/owed-desk.ts';
import type { Decommission } from '../../../app/services/decommission/decommission.ts';
import { openEndOfService } from '../../../app/services/decommission/end-of-service.ts';
import {
  vaultMayOpen,
  type DecommissionState,
} from '../../../app/services/decommission/decommission-state.ts';
import type { Outbox } from '../../../app/services/outbox/outbox.ts';
import { PhotoVault } from '../../../app/services/vault/photo-vault.ts';
import { boothConfigSchema, type BoothConfig, type BoothConfigInput } from '../../../config/schema.ts';
import { hashSecret } from '../../../config/pin.ts';
import { SystemClock } from '../../../core/clock.ts';
import { newReceiptCode } from '../../../core/receipt-code.ts';
import { SimulatedHopper } from '../../../hardware/hopper/simulated-hopper.ts';
import { SimulatedPhotoPrinter } from '../../../hardware/printer/simulated-photo-printer.ts';
import { SimulatedReceiptPrinter } from '../../../hardware/receipt/simulated-receipt-printer.ts';

export const operatorPin = '4821';
export const technicianPin = '7390';
export const customerAddress = 'closing.customer@example.net';

/** The unit's config: real PINs, and the test's SMTP server (STARTTLS, its CA). */
export function kitConfig(smtp: { port: number; caFile: string }): BoothConfig {
  return boothConfigSchema.parse({
    operator: { pins: { operator: hashSecret(operatorPin), technician: hashSecret(technicianPin) } },
    money: { unusedCredit: 'refund' },
    mail: {
      host: '127.0.0.1',
      port: smtp.port,
      caFile: smtp.caFile,
      user: 'booth-01',
      password: 'correct horse battery staple',
      from: 'booth@example.org',
      operatorAddress: 'operator@example.org',
    },
    endOfService: { noticeDays: 3 },
  } satisfies BoothConfigInput);
}

export interface KitBooth {
  decommission: Decommission;
  vault: PhotoVault | null;
  outbox: Outbox | null;
  journal: CreditJournal;
  desk: OwedDesk;
  access: OperatorAccess;
  printer: SimulatedPhotoPrinter;
  close(): Promise<void>;
}

/**
 * The parts of a booth that the end of service touches, all real, on `dataDir`: the credit
 * journal, the simulated hopper, photo and receipt printers, MoneyBack, the owed print queue
 * and OwedDesk, the PIN pad, the vault and the outbox. As the host does at start-up, the vault
 * is not opened once its destruction has begun.
 */
export async function openKitBooth(
  dataDir: string,
  config: BoothConfig,
  logger: Logger,
  onStep?: (step: DecommissionState['step']) => void,
): Promise<KitBooth> {
  const clock = new SystemClock();
  const journal = CreditJournal.open(join(dataDir, 'journal.sqlite'), clock);
  const hopper = new SimulatedHopper({
    clock,
    coinValue: 200,
    coins: 50,
    stateFile: join(dataDir, 'hopper-nv'),
  });
  const receipt = new SimulatedReceiptPrinter({ clock, printMs: 5 });
  const printer = new SimulatedPhotoPrinter({ clock, printMs: 5 });
  await Promise.all([hopper.open(), receipt.open(), printer.open()]);
  const vault = vaultMayOpen(dataDir)
    ? PhotoVault.open({ dir: join(dataDir, 'vault'), clock, retentionDays: config.retention.days })
    : null;
  const moneyBack = new MoneyBack({
    journal,
    hopper,
    receiptPrinter: receipt,
    clock,
    logger,
    settings: {
      policy: config.money.unusedCredit,
      voucherDays: 30,
      currency: 'EUR',
      boothName: 'Test booth',
    },
  });
  const queue = vault
    ? new OwedPrintQueue({ journal, photos: vault, printer, logger, isIdle: () => true })
    : null;
  const deliverOwedNow = async () => (queue ? queue.deliverDue() : null);
  const handBack: Parameters<typeof openEndOfService>[0]['handBack'] = (input) => moneyBack.handBack(input);
  const access = OperatorAccess.open({
    file: join(dataDir, 'operator', 'access.sqlite'),
    config: { current: () => config, update: () => config },
    clock,
  });
  // The staff's desk, for the test to look at what is owed; the end of service has its own.
  const desk = new OwedDesk({
    journal,
    audit: (entry) => access.audit(entry),
    betweenCustomers: () => true,
    deliverNow: deliverOwedNow,
    handBack,
  });
  const { outbox, decommission } = openEndOfService({
    dataDir,
    vaultDir: join(dataDir, 'vault'),
    config: () => config,
    clock,
    logger,
    vault,
    journal,
    access,
    betweenCustomers: () => true,
    deliverOwedNow,
    handBack,
    onStep,
  });
  return {
    decommission,
    vault,
    outbox,
    journal,
    desk,
    access,
    printer,
    close: async () => {
      await decommission.stop();
      await outbox?.stop();
      decommission.closeVault();
      await Promise.all([hopper.close(), receipt.close(), printer.close()]);
      journal.close();
      access.close();
    },
  };
}

/**
 * What the booth holds when it is decommissioned: two paid orders whose prints are owed (one
 * whose sheet is still in the vault, one whose photos a data request deleted, so it cannot be
 * printed and must be paid back) and a digital copy waiting in the outbox for its address.
 */
export async function seedKitBooth(
  booth: KitBooth,
  sheet: Buffer,
  jpeg: Buffer,
): Promise<{ printable: string; unprintable: string }> {
  const vault = booth.vault!;
  const orders: string[] = [];
  for (const [i, price] of [900, 1200].entries()) {
    const sessionId = `closing-session-${i}`;
    const orderId = `closing-order-${i}`;
    await vault.beginSession(sessionId, { receiptCode: newReceiptCode() });
    const sheetId = await vault.put(sessionId, 'print-sheet', sheet);
    if (i === 0) await vault.put(sessionId, 'digital-file', jpeg);
    await vault.endSession(sessionId, 'retain');
    booth.journal.recordInserted({
      sessionId,
      ref: `SIM:${i}`,
      deviceId: 'SIM',
      amount: price,
      currency: 'EUR',
      channel: 'coin',
    });
    booth.journal.placeOrder({ sessionId, orderId, productId: 'photos-4-digital', price });
    booth.journal.owePrints({
      orderId,
      sessionId,
      sheetIds: [sheetId],
      copies: 1,
      media: '4x6',
      reason: 'media-jam',
    });
    orders.push(orderId);
  }
  await booth.outbox!.requestDigitalCopy({
    sessionId: 'closing-session-0',
    address: customerAddress,
    language: 'de',
    productId: 'photos-4-digital',
    documentId: 'eu-passport',
  });
  await vault.deleteSession('closing-session-1', 'a data request');
  return { printable: orders[0]!, unprintable: orders[1]! };
}
