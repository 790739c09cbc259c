import type { CreditJournal } from '../money/credit-journal.ts';
import type { Logger } from '../logging/logger.ts';
import type { PhotoVault } from '../services/vault/photo-vault.ts';

/**
 * What a crash (kill -9, a power cut) cut off, put right at the next start, before the first
 * customer: paid orders that were neither delivered nor owed go back to credit (the unit's
 * policy handles it once the devices are open: MoneyBack.settleAfterRestart); sessions the vault still has open were never delivered, so
 * their photos are wiped at once rather than left until retention (which waits while the clock
 * is not trusted), except where an owed print still needs its sheets.
 */
export function recoverAfterCrash(parts: {
  journal: CreditJournal;
  vault: PhotoVault | null;
  logger: Logger;
}): void {
  const { journal, vault, logger } = parts;
  const orders = journal.openOrders();
  for (const order of orders) {
    journal.reverseOrder(order.id, 'restart');
    logger.warn(
      { orderId: order.id, amount: order.price },
      'unfinished order from before a restart returned to credit',
    );
  }
  // Credit a crash cut off (with or without an order) is settled once the devices are open
  // (MoneyBack.settleAfterRestart: a payout is counted by the hopper, a voucher printed).
  const balance = journal.balance();
  if (balance > 0) logger.info({ balance }, 'credit left from before the restart');

  if (!vault) return;
  const owed = new Set(journal.owedPrints().map((o) => o.sessionId));
  const cutOff = vault.openSessions().filter((id) => !owed.has(id));
  if (cutOff.length === 0) return;
  const wiped = vault.wipe(cutOff, 'crash-cleanup', 'a session cut off by a restart; never delivered');
  logger.info(
    { sessions: wiped.sessions, items: wiped.items },
    'photos of sessions cut off by a restart wiped',
  );
}
