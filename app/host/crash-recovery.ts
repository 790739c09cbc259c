import type { BoothConfig } from '../../config/schema.ts';
import type { CreditJournal } from '../money/credit-journal.ts';
import type { Logger } from '../logging/logger.ts';
import type { PhotoVault } from '../services/vault/photo-vault.ts';

/**
 * What a crash (kill -9, a power cut) cut off, put right at the next start, before the first
 * customer: paid orders that were neither delivered nor owed go back to credit, and that credit
 * is handled by the unit's policy; sessions the vault still has open were never delivered, so
 * their photos are wiped at once rather than left until retention (which waits while the clock
 * is not trusted), except where an owed print still needs its sheets.
 */
export function recoverAfterCrash(parts: {
  journal: CreditJournal;
  vault: PhotoVault | null;
  config: BoothConfig;
  logger: Logger;
}): void {
  const { journal, vault, config, logger } = parts;
  const orders = journal.openOrders();
  for (const order of orders) {
    journal.reverseOrder(order.id, 'restart');
    logger.warn(
      { orderId: order.id, amount: order.price },
      'unfinished order from before a restart returned to credit',
    );
  }
  // Under `keep` or `refund` every ending settles the credit, so any credit found now was left by
  // a session the crash cut off (with or without an order): it is settled as that ending would have.
  const policy = config.money.unusedCredit;
  if (policy !== 'carry' && journal.balance() > 0) {
    const sessionId = orders.at(-1)?.sessionId ?? 'restart';
    const settled = journal.settleUnused({ sessionId, policy });
    logger.info({ amount: settled.amount, policy }, 'credit from before the restart settled by the policy');
  }
  const balance = journal.balance();
  if (balance > 0) logger.info({ balance }, 'credit carried over from before the restart');

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
