import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CreditJournal } from '../../app/money/credit-journal.ts';
import { schemaVersion } from '../../app/money/journal-schema.ts';

let dir: string;
let file: string;
const clock = { now: () => Date.UTC(2026, 10, 20, 12, 0, 0) };

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kiosk-cash-periods-'));
  file = join(dir, 'credit-journal.sqlite');
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/**
 * A journal as a v4 build left it: what migrate() makes up to v4 is what this build makes before
 * its v5 step, so a v5 file without the v5 step's table and triggers, marked 4, is that file.
 */
function writeV4Journal(): void {
  const journal = CreditJournal.open(file, clock);
  journal.recordInserted({
    sessionId: 'old',
    ref: 'OLD:1',
    deviceId: 'DEV',
    amount: 500,
    currency: 'EUR',
    channel: 'bill',
  });
  journal.recordInserted({
    sessionId: 'old',
    ref: 'OLD:2',
    deviceId: 'DEV',
    amount: 200,
    currency: 'EUR',
    channel: 'coin',
  });
  journal.placeOrder({ sessionId: 'old', orderId: 'o-old', productId: 'photos-4', price: 700 });
  journal.deliverOrder('o-old');
  journal.close();
  const db = new Database(file);
  db.exec(`
    DROP TRIGGER cash_periods_not_updated;
    DROP TRIGGER cash_periods_not_deleted;
    DROP TRIGGER cash_periods_follow_on;
    DROP TABLE cash_periods;
    PRAGMA user_version = 4;
  `);
  db.close();
}

describe('credit journal schema v5: cash periods', () => {
  it('migrates a v4 journal: its movements are the first period, and the money is untouched', () => {
    writeV4Journal();
    const journal = CreditJournal.open(file, clock);
    try {
      expect(journal.pragma('journal_mode')).toBe('wal');
      expect(journal.totals()).toMatchObject({ inserted: 700, delivered: 700, balance: 0 });
      const period = journal.cashPeriod();
      expect(period).toMatchObject({
        fromMovementId: 0,
        from: clock.now(),
        moneyIn: { coin: 200, bill: 500, total: 700 },
        orders: { delivered: { count: 1, amount: 700 } },
      });
      const z = journal.closeCashPeriod({ counted: 700, closedBy: 'technician' });
      expect(z).toMatchObject({ number: 1, difference: 0, toMovementId: period.toMovementId });
    } finally {
      journal.close();
    }
    const db = new Database(file, { readonly: true });
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(schemaVersion);
      expect(db.prepare('SELECT COUNT(*) AS n FROM cash_periods').get()).toEqual({ n: 1 });
    } finally {
      db.close();
    }
  });

  it('v6 keeps every movement, its id and the balance, takes test coins, and stays append-only', () => {
    writeV4Journal();
    const journal = CreditJournal.open(file, clock);
    try {
      const before = journal.lastMovementId();
      expect(journal.totals()).toMatchObject({ inserted: 700, balance: 0 });
      const written = journal.recordInserted(
        {
          sessionId: 'payment-test',
          ref: 'test-1',
          deviceId: 'sim',
          amount: 200,
          currency: 'EUR',
          channel: 'coin',
        },
        { test: true },
      );
      expect(written).toEqual({ recorded: true, balance: 0 });
      // Ids go on from the old table's: a period's range of ids still means what it meant.
      expect(journal.lastMovementId()).toBe(before + 1);
      expect(journal.cashPeriod()).toMatchObject({
        moneyIn: { total: 700 },
        testCoins: { count: 1, amount: 200 },
        expectedInCashBox: 900,
      });
    } finally {
      journal.close();
    }
    const db = new Database(file);
    try {
      expect(() => db.prepare('DELETE FROM movements').run()).toThrow(/append-only/);
      expect(() => db.prepare("UPDATE movements SET amount = 1 WHERE kind = 'inserted'").run()).toThrow(
        /append-only/,
      );
      // A test coin never moves credit, even written by hand.
      expect(() =>
        db
          .prepare(
            "INSERT INTO movements (at, session_id, kind, amount, balance_delta) VALUES (1, 'x', 'test-inserted', 5, 5)",
          )
          .run(),
      ).toThrow(/CHECK/);
    } finally {
      db.close();
    }
  });

  it('migrates once: opening a v5 journal again keeps its periods', () => {
    const journal = CreditJournal.open(file, clock);
    journal.closeCashPeriod({ counted: 0, closedBy: 'operator' });
    journal.close();
    const again = CreditJournal.open(file, clock);
    try {
      expect(again.zReports(10).map((z) => z.number)).toEqual([1]);
    } finally {
      again.close();
    }
  });
});
