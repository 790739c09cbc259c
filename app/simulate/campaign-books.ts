import { closeSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { dataPaths } from '../../config/data-dir.ts';
import type { CcTalkEmulators } from '../../hardware/payment/cctalk/emulators/cctalk-emulators.ts';
import { CreditJournal, type JournalTotals } from '../money/credit-journal.ts';
import { campaignPrice, hopperCoin } from './campaign-config.ts';

/** The invariant's terms after a restart, minor units, and every way it failed. */
export interface BooksCheck {
  /** What the coin acceptor put in its cash box, as it counts the coins. */
  cashIn: number;
  /** What the hopper paid out, as its exit sensor counted the coins. */
  hopperPaid: number;
  totals: JournalTotals;
  /** Sheets the printer wrote. */
  sheetsPrinted: number;
  problems: string[];
}

/**
 * The fault campaign's invariant, checked against what the devices counted, not only what the
 * journal says:
 *
 *     cash in = printed + owed + paid out + vouchers outstanding + vouchers expired + kept + carried
 *
 * (a redeemed voucher's money is counted once, where it was spent), every voucher is either
 * outstanding, redeemed or expired, the hopper paid exactly what the journal says it refunded,
 * no order is left paid and unsettled, no payout uncounted, no sheet printed beyond the orders
 * placed, and no photo lies outside the vault (the printer's own output excepted).
 */
export function checkBooks(parts: { dataDir: string; emulators: CcTalkEmulators }): BooksCheck {
  const { dataDir, emulators } = parts;
  const problems: string[] = [];
  const journal = CreditJournal.open(dataPaths(dataDir).journal);
  let totals: JournalTotals;
  let orders: number;
  try {
    totals = journal.totals();
    orders = journal.orderCount();
    if (journal.openOrders().length > 0)
      problems.push(`${journal.openOrders().length} orders left paid and unsettled`);
    if (journal.unsettledPayouts().length > 0)
      problems.push(`${journal.unsettledPayouts().length} payouts left uncounted`);
  } finally {
    journal.close();
  }
  const cashIn = emulators.cashBoxTotal();
  const hopperPaid = (emulators.hopper?.dispensed ?? 0) * hopperCoin;
  const t = totals;
  if (cashIn !== t.inserted)
    problems.push(`the cash box holds ${cashIn} but the journal credited ${t.inserted}`);
  if (hopperPaid !== t.refunded)
    problems.push(`the hopper paid ${hopperPaid} but the journal refunded ${t.refunded}`);
  const accounted =
    t.delivered +
    t.owed +
    t.refunded +
    t.payoutsUnsettled +
    t.vouchersOutstanding +
    t.vouchersExpired +
    t.kept +
    t.balance;
  if (t.inserted !== accounted)
    problems.push(
      `cash in ${t.inserted} but printed, owed, paid out, vouchers, kept and carried come to ${accounted}`,
    );
  if (t.vouchersIssued !== t.vouchersOutstanding + t.vouchersRedeemed + t.vouchersExpired)
    problems.push(`vouchers issued ${t.vouchersIssued} are not outstanding + redeemed + expired`);
  const sheetsPrinted = printedSheets(join(dataDir, 'printed'));
  // One sheet per order in the campaign's product: never more sheets than orders placed, and a
  // delivered order's sheet is there.
  if (sheetsPrinted > orders) problems.push(`${sheetsPrinted} sheets printed for ${orders} orders`);
  if (sheetsPrinted * campaignPrice < t.delivered)
    problems.push(`orders worth ${t.delivered} delivered but only ${sheetsPrinted} sheets printed`);
  for (const file of photosOutsideVault(dataDir)) problems.push(`a photo outside the vault: ${file}`);
  return { cashIn, hopperPaid, totals: t, sheetsPrinted, problems };
}

function printedSheets(folder: string): number {
  try {
    return readdirSync(folder).filter((name) => !name.startsWith('.')).length;
  } catch {
    return 0;
  }
}

/** Files that start like a JPEG or PNG anywhere under the data directory but the vault and the printer's folder. */
function photosOutsideVault(dataDir: string): string[] {
  const skip = new Set([dataPaths(dataDir).vault, join(dataDir, 'printed')]);
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (skip.has(path)) continue;
      const stat = statSync(path);
      if (stat.isDirectory()) walk(path);
      else if (stat.isFile() && looksLikeImage(path)) found.push(relative(dataDir, path));
    }
  };
  walk(dataDir);
  return found;
}

function looksLikeImage(path: string): boolean {
  const head = Buffer.alloc(4);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, head, 0, 4, 0);
  } finally {
    closeSync(fd);
  }
  return (
    (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) || head.toString('latin1', 1, 4) === 'PNG'
  );
}
