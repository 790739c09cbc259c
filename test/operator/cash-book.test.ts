import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CreditJournal } from '../../app/money/credit-journal.ts';
import { CashBook } from '../../app/operator/cash-book.ts';
import { OperatorAccess } from '../../app/operator/operator-access.ts';
import { OperatorError } from '../../app/operator/operator-error.ts';
import { ConfigStore } from '../../config/store.ts';
import { dataPaths } from '../../config/data-dir.ts';

let dir: string;
let paths: ReturnType<typeof dataPaths>;
let now: number;
const clock = { now: () => now };
const day = 24 * 3600_000;
let journal: CreditJournal;
let access: OperatorAccess;
let store: ConfigStore;
let refs = 0;

function book(): CashBook {
  return new CashBook({ journal, config: store, audit: (entry) => access.audit(entry) });
}

function pay(sessionId: string, channel: 'coin' | 'bill', ...values: number[]): void {
  for (const amount of values)
    journal.recordInserted({
      sessionId,
      ref: `DEV:${++refs}`,
      deviceId: 'DEV',
      amount,
      currency: 'EUR',
      channel,
    });
}

function order(sessionId: string, price: number): string {
  const orderId = `o${++refs}`;
  journal.placeOrder({ sessionId, orderId, productId: 'photos-4', price });
  return orderId;
}

function reopen(): void {
  journal.close();
  journal = CreditJournal.open(paths.journal, clock);
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kiosk-cash-book-'));
  paths = dataPaths(dir);
  now = Date.UTC(2026, 11, 1, 8, 0, 0);
  store = new ConfigStore({ file: paths.config });
  journal = CreditJournal.open(paths.journal, clock);
  access = OperatorAccess.open({ file: paths.operatorAccess, config: store, clock });
});

afterEach(() => {
  journal.close();
  access.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A morning of customers: coins and notes, a print, a reversal, a voucher, a refund, an owed print. */
function aMorning(): void {
  // s1 pays 8.00 in a 5 note, two 1 coins and a 2 coin, and gets the photos.
  pay('s1', 'bill', 500);
  pay('s1', 'coin', 100, 100, 100, 50, 50);
  journal.deliverOrder(order('s1', 800));
  // s2 pays 10.00 in a note; the print fails and is reversed; 2.00 of the credit comes back
  // from the hopper in 1.00 coins (one jams: 1.00 paid), the rest (8.00 + 1.00) on a voucher.
  now += 60_000;
  pay('s2', 'bill', 1000);
  journal.reverseOrder(order('s2', 800), 'printer-jam');
  journal.beginPayout({
    id: 'p1',
    sessionId: 's2',
    hopperId: 'HOP',
    coinValue: 100,
    amount: 200,
    countBefore: 0,
  });
  journal.settlePayout('p1', 100, 'jam');
  journal.issueVoucher({
    code: 'V-1',
    sessionId: 's2',
    amount: 900,
    reason: 'payout-short',
    expiresAt: now + 90 * day,
  });
  // s3 redeems the voucher, pays 0.20 more and is owed the print (out of paper); 0.10 stays carried.
  now += 60_000;
  journal.redeemVoucher('V-1', 's3');
  pay('s3', 'coin', 20, 10);
  const owed = order('s3', 800);
  journal.owePrints({
    orderId: owed,
    sessionId: 's3',
    sheetIds: ['a', 'b'],
    copies: 1,
    media: '4x6',
    reason: 'media-empty',
  });
  journal.settleUnused({ sessionId: 's3', policy: 'carry' });
}

describe('CashBook: the open period', () => {
  it('reports money in by channel and denomination, vouchers, payouts, orders and what is carried and owed', () => {
    aMorning();
    const report = book().report();
    expect(report).toMatchObject({
      unitId: 'demo-01',
      currency: 'EUR',
      from: Date.UTC(2026, 11, 1, 8, 0, 0),
      to: now,
      moneyIn: { coin: 430, bill: 1500, other: 0, total: 1930 },
      expectedInCashBox: 1930,
      vouchersIssued: { count: 1, amount: 900 },
      vouchersRedeemed: { count: 1, amount: 900 },
      vouchersExpired: { count: 0, amount: 0 },
      hopperPaidOut: 100,
      payoutsUnsettled: 0,
      kept: 0,
      sessions: 3,
      creditCarried: 230,
      printsOwed: { sheets: 2, amount: 800 },
    });
    expect(report.denominations).toEqual([
      { channel: 'bill', currency: 'EUR', value: 500, count: 1, amount: 500 },
      { channel: 'bill', currency: 'EUR', value: 1000, count: 1, amount: 1000 },
      { channel: 'coin', currency: 'EUR', value: 10, count: 1, amount: 10 },
      { channel: 'coin', currency: 'EUR', value: 20, count: 1, amount: 20 },
      { channel: 'coin', currency: 'EUR', value: 50, count: 2, amount: 100 },
      { channel: 'coin', currency: 'EUR', value: 100, count: 3, amount: 300 },
    ]);
    expect(report.orders).toEqual({
      placed: { count: 3, amount: 2400 },
      delivered: { count: 1, amount: 800 },
      reversed: { count: 1, amount: 800 },
      owed: { count: 1, amount: 800 },
      open: { count: 0, amount: 0 },
    });
    // The journal's own totals say the same: the cash book is not a second count.
    const totals = journal.totals();
    expect(report.moneyIn.total).toBe(totals.inserted);
    expect(report.hopperPaidOut).toBe(totals.refunded);
    expect(report.creditCarried).toBe(totals.balance);
  });

  it('is empty on a new journal, from nothing', () => {
    const report = book().report();
    expect(report).toMatchObject({ from: null, moneyIn: { total: 0 }, denominations: [], sessions: 0 });
  });
});

describe('CashBook: emptying the cash box', () => {
  it('closes the period with a Z-report in the journal, and the next period starts after it', () => {
    aMorning();
    const closedAt = (now += 3600_000);
    const { report, audited } = book().emptyCashBox({ counted: 1880, role: 'operator' });
    expect(audited).toBe(true);
    expect(report).toMatchObject({
      number: 1,
      from: Date.UTC(2026, 11, 1, 8, 0, 0),
      to: closedAt,
      expectedInCashBox: 1930,
      counted: 1880,
      difference: -50,
      closedBy: 'operator',
      unitName: 'Photo booth (demo)',
      currency: 'EUR',
    });
    expect(report.denominations).toHaveLength(6);
    // After it: a fresh period, from the emptying, with only what came since.
    now += 60_000;
    pay('s4', 'coin', 200);
    const open = book().report();
    expect(open).toMatchObject({ from: closedAt, moneyIn: { coin: 200, bill: 0, total: 200 }, sessions: 0 });
    expect(open.denominations).toEqual([
      { channel: 'coin', currency: 'EUR', value: 200, count: 1, amount: 200 },
    ]);
    // Still owed and carried: those are the booth's state now, not the period's.
    expect(open.printsOwed).toEqual({ sheets: 2, amount: 800 });
    expect(open.creditCarried).toBe(430);
    const second = book().emptyCashBox({ counted: 200, role: 'technician' }).report;
    expect(second).toMatchObject({ number: 2, from: closedAt, expectedInCashBox: 200, difference: 0 });
    expect(
      book()
        .zReports(5)
        .map((z) => z.number),
    ).toEqual([2, 1]);
  });

  it('keeps the Z-reports across a restart, exactly as closed, and SQLite refuses to edit or delete one', () => {
    aMorning();
    const first = book().emptyCashBox({ counted: 1930, role: 'operator' }).report;
    reopen();
    expect(book().zReports(1)).toEqual([first]);
    journal.close();
    const db = new Database(paths.journal);
    try {
      expect(() => db.exec('UPDATE cash_periods SET counted = 1930')).toThrow(/append-only/);
      expect(() => db.exec('DELETE FROM cash_periods')).toThrow(/append-only/);
      // Nor can a period be slipped in that does not start where the last one ended.
      expect(() =>
        db.exec(`INSERT INTO cash_periods VALUES (2, 0, 5, NULL, 1, 0, 0, 0, 'operator', '{}')`),
      ).toThrow(/starts where the one before it ended/);
    } finally {
      db.close();
      journal = CreditJournal.open(paths.journal, clock);
    }
  });

  it('audits the emptying with who, expected and counted', () => {
    pay('s1', 'coin', 200);
    book().emptyCashBox({ counted: 150, role: 'operator' });
    expect(access.recentAudit(1)[0]).toMatchObject({
      role: 'operator',
      action: 'cash-box-emptied',
      subject: 'period 1',
      before: 200,
      after: 150,
    });
  });

  it('refuses a count that is not whole minor units, closing nothing', () => {
    pay('s1', 'coin', 200);
    for (const counted of [-1, 12.5, Number.NaN, Number.MAX_SAFE_INTEGER + 1]) {
      expect(() => book().emptyCashBox({ counted, role: 'operator' })).toThrow(OperatorError);
      expect(() => book().emptyCashBox({ counted, role: 'operator' })).toThrow(/whole number of minor units/);
    }
    expect(book().zReports(5)).toEqual([]);
    expect(book().report().moneyIn.total).toBe(200);
  });

  it('closes the period even when the audit cannot be written, and says so', () => {
    pay('s1', 'coin', 200);
    const failing = new CashBook({
      journal,
      config: store,
      audit: () => {
        throw new Error('disk full');
      },
    });
    expect(failing.emptyCashBox({ counted: 200, role: 'operator' })).toMatchObject({
      audited: false,
      report: { number: 1 },
    });
    expect(book().report().moneyIn.total).toBe(0);
  });
});
