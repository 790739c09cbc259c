import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CreditJournal, JournalError } from '../../app/money/credit-journal.ts';

let dir: string;
let file: string;
let now = 1_767_600_000_000;
const clock = { now: () => (now += 1000) };
const journals: CreditJournal[] = [];

function openJournal(): CreditJournal {
  const journal = CreditJournal.open(file, clock);
  journals.push(journal);
  return journal;
}

function paidOrder(journal: CreditJournal, orderId: string, price = 800): void {
  journal.recordInserted({
    sessionId: `s-${orderId}`,
    ref: `coin-${orderId}`,
    deviceId: 'SIM-PAY',
    amount: price,
    currency: 'EUR',
    channel: 'coin',
  });
  journal.placeOrder({ sessionId: `s-${orderId}`, orderId, productId: 'photos-8', price });
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kiosk-owed-'));
  file = join(dir, 'credit-journal.sqlite');
});
afterEach(() => {
  for (const j of journals.splice(0)) j.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('CreditJournal: owed prints', () => {
  it('records the sheets still to print; the order is neither open for a refund nor earned', () => {
    const journal = openJournal();
    paidOrder(journal, 'o1');
    journal.owePrints({
      orderId: 'o1',
      sessionId: 's-o1',
      sheetIds: ['sheet-2', 'sheet-3'],
      copies: 2,
      media: '4x6',
      reason: 'media-empty',
    });
    const [owed, ...rest] = journal.owedPrints();
    expect(rest).toEqual([]);
    expect(owed).toMatchObject({
      orderId: 'o1',
      sheetIds: ['sheet-2', 'sheet-3'],
      copies: 2,
      media: '4x6',
      reason: 'media-empty',
      attempts: 0,
      price: 800,
    });
    expect(journal.owedPrintCount()).toBe(4);
    // A restart must not hand the money back: the customer is owed photos, not credit.
    expect(journal.openOrders()).toEqual([]);
    const totals = journal.totals();
    expect(totals).toMatchObject({ inserted: 800, delivered: 0, owed: 800, balance: 0 });
    expect(totals.inserted).toBe(totals.delivered + totals.owed + totals.balance);
  });

  it('strikes each sheet as it prints; the last one delivers the order', () => {
    const journal = openJournal();
    paidOrder(journal, 'o1');
    journal.owePrints({
      orderId: 'o1',
      sessionId: 's-o1',
      sheetIds: ['a', 'b'],
      copies: 1,
      media: '4x6',
      reason: 'media-jam',
    });
    expect(journal.owedSheetPrinted('o1', 'a')).toEqual({ delivered: false });
    expect(journal.owedPrints()[0]!.sheetIds).toEqual(['b']);
    expect(journal.totals().owed).toBe(800);
    expect(journal.owedSheetPrinted('o1', 'b')).toEqual({ delivered: true });
    expect(journal.owedPrints()).toEqual([]);
    expect(journal.totals()).toMatchObject({ delivered: 800, owed: 0 });
    expect(() => journal.owedSheetPrinted('o1', 'b')).toThrow(JournalError);
  });

  it('survives a reopen with the attempts and the last error', () => {
    const journal = openJournal();
    paidOrder(journal, 'o1');
    journal.owePrints({
      orderId: 'o1',
      sessionId: 's-o1',
      sheetIds: ['a'],
      copies: 1,
      media: '5x7',
      reason: 'media-empty',
    });
    journal.owedAttemptFailed('o1', 'media-jam');
    journal.close();
    journals.splice(0);
    const again = openJournal();
    expect(again.owedPrints()).toMatchObject([
      { orderId: 'o1', sheetIds: ['a'], attempts: 1, lastError: 'media-jam' },
    ]);
  });

  it('owes nothing for an order that is not paid, unknown, or has no sheets left', () => {
    const journal = openJournal();
    paidOrder(journal, 'o1');
    journal.deliverOrder('o1');
    const owe = (orderId: string, sheetIds: string[]) =>
      journal.owePrints({ orderId, sessionId: 's', sheetIds, copies: 1, media: '4x6', reason: 'x' });
    expect(() => owe('o1', ['a'])).toThrow(/already delivered/);
    expect(() => owe('nope', ['a'])).toThrow(/not in the journal/);
    paidOrder(journal, 'o2');
    expect(() => owe('o2', [])).toThrow(/no sheets/);
    expect(journal.owedPrints()).toEqual([]);
  });

  it('upgrades a version 1 journal in place, keeping its money', () => {
    const journal = openJournal();
    paidOrder(journal, 'o1');
    journal.close();
    journals.splice(0);
    const db = new Database(file);
    db.exec(
      'DROP TRIGGER movements_keep_balance; DROP TRIGGER movements_not_updated; DROP TRIGGER movements_not_deleted;' +
        ' DROP TABLE credit_balance; DROP TABLE owed_prints; DROP TABLE payouts; DROP TABLE vouchers;' +
        ' DROP TRIGGER cash_periods_not_updated; DROP TRIGGER cash_periods_not_deleted;' +
        ' DROP TRIGGER cash_periods_follow_on; DROP TABLE cash_periods;' +
        ' PRAGMA user_version = 1;',
    );
    db.close();
    const again = openJournal();
    expect(again.openOrders().map((o) => o.id)).toEqual(['o1']);
    again.owePrints({
      orderId: 'o1',
      sessionId: 's-o1',
      sheetIds: ['a'],
      copies: 1,
      media: '4x6',
      reason: 'x',
    });
    expect(again.owedPrintCount()).toBe(1);
  });
});
