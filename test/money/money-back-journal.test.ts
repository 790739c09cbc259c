import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CreditJournal, JournalError, type JournalTotals } from '../../app/money/credit-journal.ts';

let dir: string;
let file: string;
let journal: CreditJournal;
let now = 1_767_600_000_000;
const clock = { now: () => now };
const day = 24 * 60 * 60_000;
let refs = 0;

function insert(amount: number, sessionId = 's1'): void {
  journal.recordInserted({
    sessionId,
    ref: `SIM:${++refs}`,
    deviceId: 'SIM',
    amount,
    currency: 'EUR',
    channel: 'coin',
  });
}

/** cash in = printed + owed + paid out + unsettled payouts + vouchers outstanding + expired + kept + carried. */
function expectBalanced(t: JournalTotals): void {
  expect(t.inserted).toBe(
    t.delivered +
      t.owed +
      t.refunded +
      t.payoutsUnsettled +
      t.vouchersOutstanding +
      t.vouchersExpired +
      t.kept +
      t.balance,
  );
  expect(t.vouchersIssued).toBe(t.vouchersOutstanding + t.vouchersRedeemed + t.vouchersExpired);
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kiosk-money-back-'));
  file = join(dir, 'credit-journal.sqlite');
  journal = CreditJournal.open(file, clock);
});

afterEach(() => {
  journal.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('CreditJournal: hopper payouts', () => {
  it('takes the whole payout out of credit before a coin moves, and gives back what the hopper did not pay', () => {
    insert(500);
    journal.beginPayout({
      id: 'p1',
      sessionId: 's1',
      hopperId: 'HOP',
      coinValue: 100,
      amount: 500,
      countBefore: 40,
    });
    // Mid-payout (a crash here): the money is in neither the credit nor the refunds.
    expect(journal.balance()).toBe(0);
    expect(journal.totals()).toMatchObject({ refunded: 0, payoutsUnsettled: 500 });
    expect(journal.unsettledPayouts()).toMatchObject([{ id: 'p1', requested: 500, countBefore: 40 }]);
    expectBalanced(journal.totals());

    const done = journal.settlePayout('p1', 300, 'empty');
    expect(done).toMatchObject({ state: 'done', paid: 300 });
    expect(journal.balance()).toBe(200);
    expect(journal.totals()).toMatchObject({ refunded: 300, payoutsUnsettled: 0 });
    expect(journal.unsettledPayouts()).toEqual([]);
    expectBalanced(journal.totals());
  });

  it('never counts more than was asked, and settles a payout only once', () => {
    insert(300);
    journal.beginPayout({
      id: 'p1',
      sessionId: 's1',
      hopperId: 'HOP',
      coinValue: 100,
      amount: 300,
      countBefore: 0,
    });
    expect(journal.settlePayout('p1', 900).paid).toBe(300);
    expect(() => journal.settlePayout('p1', 300)).toThrow(
      expect.objectContaining({ code: 'unknown-payout' }),
    );
    expect(journal.totals().refunded).toBe(300);
  });

  it('refuses a payout larger than the credit, and changes nothing', () => {
    insert(200);
    const before = journal.lastMovementId();
    expect(() =>
      journal.beginPayout({
        id: 'p1',
        sessionId: 's1',
        hopperId: 'HOP',
        coinValue: 100,
        amount: 300,
        countBefore: 0,
      }),
    ).toThrow(expect.objectContaining({ code: 'payout-too-much' }));
    expect(journal.lastMovementId()).toBe(before);
    expect(journal.unsettledPayouts()).toEqual([]);
  });

  it('keeps an unsettled payout across a reopen (the hopper count settles it after a crash)', () => {
    insert(400);
    journal.beginPayout({
      id: 'p1',
      sessionId: 's1',
      hopperId: 'HOP',
      coinValue: 200,
      amount: 400,
      countBefore: 7,
    });
    journal.close();
    journal = CreditJournal.open(file, clock);
    expect(journal.unsettledPayouts()).toMatchObject([
      { id: 'p1', hopperId: 'HOP', coinValue: 200, countBefore: 7 },
    ]);
    journal.settlePayout('p1', 200, 'restart');
    expect(journal.balance()).toBe(200);
    expectBalanced(journal.totals());
  });
});

describe('CreditJournal: vouchers', () => {
  it('issues a voucher from credit and redeems it into another session once and only once', () => {
    insert(350, 's1');
    const voucher = journal.issueVoucher({
      code: 'ABCDE-FGHJK',
      sessionId: 's1',
      amount: 350,
      reason: 'policy',
      expiresAt: now + 90 * day,
    });
    expect(voucher).toMatchObject({ state: 'issued', amount: 350 });
    expect(journal.balance()).toBe(0);
    expect(journal.totals()).toMatchObject({ vouchersIssued: 350, vouchersOutstanding: 350 });
    expectBalanced(journal.totals());

    now += day;
    expect(journal.redeemVoucher('ABCDE-FGHJK', 's2')).toMatchObject({
      voucher: { amount: 350 },
      balance: 350,
    });
    expect(() => journal.redeemVoucher('ABCDE-FGHJK', 's3')).toThrow(
      expect.objectContaining({ code: 'voucher-redeemed' }),
    );
    expect(journal.balance()).toBe(350);
    expect(journal.totals()).toMatchObject({ vouchersRedeemed: 350, vouchersOutstanding: 0 });
    expectBalanced(journal.totals());
  });

  it('refuses an unknown code without a movement', () => {
    const before = journal.lastMovementId();
    let error: unknown;
    try {
      journal.redeemVoucher('ZZZZZ-ZZZZZ', 's1');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(JournalError);
    expect((error as JournalError).code).toBe('voucher-unknown');
    expect(journal.lastMovementId()).toBe(before);
  });

  it('expires a voucher past its last day: it is refused, and the money is journaled as expired', () => {
    insert(200);
    journal.issueVoucher({
      code: 'EXPIR-ED001',
      sessionId: 's1',
      amount: 200,
      reason: 'policy',
      expiresAt: now + day,
    });
    insert(100, 's2');
    journal.issueVoucher({
      code: 'STILL-GOOD1',
      sessionId: 's2',
      amount: 100,
      reason: 'policy',
      expiresAt: now + 3 * day,
    });
    now += 2 * day;
    expect(journal.expireVouchers().map((v) => v.code)).toEqual(['EXPIR-ED001']);
    expect(journal.expireVouchers()).toEqual([]);
    expect(() => journal.redeemVoucher('EXPIR-ED001', 's3')).toThrow(
      expect.objectContaining({ code: 'voucher-expired' }),
    );
    expect(journal.voucher('EXPIR-ED001')?.state).toBe('expired');
    expect(journal.totals()).toMatchObject({ vouchersExpired: 200, vouchersOutstanding: 100 });
    expectBalanced(journal.totals());
  });

  it('a voucher past its last day is refused even before the sweep journals it as expired', () => {
    insert(200);
    journal.issueVoucher({
      code: 'LATE0-00001',
      sessionId: 's1',
      amount: 200,
      reason: 'policy',
      expiresAt: now + day,
    });
    now += day;
    expect(() => journal.redeemVoucher('LATE0-00001', 's2')).toThrow(
      expect.objectContaining({ code: 'voucher-expired' }),
    );
    expect(journal.totals()).toMatchObject({ vouchersOutstanding: 200, balance: 0 });
    journal.expireVouchers();
    expect(journal.totals()).toMatchObject({ vouchersExpired: 200, vouchersOutstanding: 0, balance: 0 });
    expectBalanced(journal.totals());
  });
});

describe('CreditJournal: schema 3', () => {
  it('migrates a schema 2 journal, keeping every movement and its balance', () => {
    journal.close();
    rmSync(file);
    for (const suffix of ['-wal', '-shm']) rmSync(file + suffix, { force: true });
    const db = new Database(file);
    db.exec(`
      CREATE TABLE movements (id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, session_id TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('inserted','ordered','reversed','refunded','kept','carried')),
        amount INTEGER NOT NULL CHECK (amount >= 0), balance_delta INTEGER NOT NULL, device_id TEXT, ref TEXT UNIQUE,
        order_id TEXT, note TEXT);
      CREATE TABLE orders (id TEXT PRIMARY KEY, session_id TEXT NOT NULL, product_id TEXT NOT NULL,
        price INTEGER NOT NULL CHECK (price >= 0), state TEXT NOT NULL CHECK (state IN ('paid','delivered','reversed')),
        created_at INTEGER NOT NULL, settled_at INTEGER, reason TEXT);
      CREATE TABLE device_counters (device_id TEXT PRIMARY KEY, last_counter INTEGER NOT NULL, updated_at INTEGER NOT NULL);
      CREATE TABLE owed_prints (order_id TEXT PRIMARY KEY REFERENCES orders(id), session_id TEXT NOT NULL,
        sheet_ids TEXT NOT NULL, copies INTEGER NOT NULL CHECK (copies >= 1), media TEXT NOT NULL, reason TEXT NOT NULL,
        created_at INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT, delivered_at INTEGER, given_up_at INTEGER);
      INSERT INTO movements (at, session_id, kind, amount, balance_delta, ref) VALUES (1, 'old', 'inserted', 700, 700, 'OLD:1');
      INSERT INTO movements (at, session_id, kind, amount, balance_delta) VALUES (2, 'old', 'refunded', 200, -200);
      PRAGMA user_version = 2;
    `);
    db.close();
    journal = CreditJournal.open(file, clock);
    expect(journal.balance()).toBe(500);
    expect(journal.totals()).toMatchObject({ inserted: 700, refunded: 200, vouchersIssued: 0 });
    // The same ref is still known after the rebuild: a re-reported coin is not credited twice.
    expect(
      journal.recordInserted({
        sessionId: 's',
        ref: 'OLD:1',
        deviceId: 'SIM',
        amount: 700,
        currency: 'EUR',
        channel: 'coin',
      }).recorded,
    ).toBe(false);
    journal.issueVoucher({
      code: 'AFTER-MIGR1',
      sessionId: 's',
      amount: 500,
      reason: 'policy',
      expiresAt: now + day,
    });
    expect(journal.balance()).toBe(0);
  });
});
