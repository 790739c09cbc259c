import type Database from 'better-sqlite3';
import { JournalError } from './journal-records.ts';
import { migrateCashPeriods } from './journal-cash-periods.ts';

/**
 * The credit journal's tables, migrated forward by SQLite's user_version. A journal written by
 * a newer build is refused, never rewritten: money records are not guessed at.
 */
export const schemaVersion = 6;

/**
 * The movements table's triggers (v4, made again by v6 after its rebuild): the credit balance kept
 * with every movement, and movements append-only.
 */
const movementTriggers = `
  CREATE TRIGGER movements_keep_balance AFTER INSERT ON movements BEGIN
    UPDATE credit_balance SET amount = amount + NEW.balance_delta WHERE id = 1;
  END;
  CREATE TRIGGER movements_not_updated BEFORE UPDATE ON movements BEGIN
    SELECT RAISE(ABORT, 'credit journal movements are append-only');
  END;
  CREATE TRIGGER movements_not_deleted BEFORE DELETE ON movements BEGIN
    SELECT RAISE(ABORT, 'credit journal movements are append-only');
  END;
`;

export function migrate(db: Database.Database): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > schemaVersion) {
    throw new JournalError(
      'journal-too-new',
      `the credit journal has schema ${version}; this build knows ${schemaVersion}`,
    );
  }
  if (version < 1) {
    db.exec(`
      CREATE TABLE movements (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at INTEGER NOT NULL,
        session_id TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('inserted','ordered','reversed','refunded','kept','carried')),
        amount INTEGER NOT NULL CHECK (amount >= 0),
        balance_delta INTEGER NOT NULL,
        device_id TEXT,
        ref TEXT UNIQUE,
        order_id TEXT,
        note TEXT
      );
      CREATE TABLE orders (
        id TEXT PRIMARY KEY,
        session_id TEXT NOT NULL,
        product_id TEXT NOT NULL,
        price INTEGER NOT NULL CHECK (price >= 0),
        state TEXT NOT NULL CHECK (state IN ('paid','delivered','reversed')),
        created_at INTEGER NOT NULL,
        settled_at INTEGER,
        reason TEXT
      );
      CREATE TABLE device_counters (
        device_id TEXT PRIMARY KEY,
        last_counter INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      PRAGMA user_version = 1;
    `);
  }
  if (version < 2) {
    db.exec(`
      CREATE TABLE owed_prints (
        order_id TEXT PRIMARY KEY REFERENCES orders(id),
        session_id TEXT NOT NULL,
        sheet_ids TEXT NOT NULL,
        copies INTEGER NOT NULL CHECK (copies >= 1),
        media TEXT NOT NULL,
        reason TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        delivered_at INTEGER,
        given_up_at INTEGER
      );
      PRAGMA user_version = 2;
    `);
  }
  if (version < 3) {
    // Money handed back: coins a hopper paid (`refunded`, and `refund-short` for what it then did
    // not pay), and vouchers. SQLite cannot widen a CHECK, so movements is rebuilt, rows kept.
    db.exec(`
      CREATE TABLE movements_v3 (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at INTEGER NOT NULL,
        session_id TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('inserted','ordered','reversed','refunded','refund-short','kept',
          'carried','voucher-issued','voucher-redeemed','voucher-expired')),
        amount INTEGER NOT NULL CHECK (amount >= 0),
        balance_delta INTEGER NOT NULL,
        device_id TEXT,
        ref TEXT UNIQUE,
        order_id TEXT,
        note TEXT
      );
      INSERT INTO movements_v3 SELECT * FROM movements;
      DROP TABLE movements;
      ALTER TABLE movements_v3 RENAME TO movements;
      CREATE TABLE payouts (
        id TEXT PRIMARY KEY,
        session_id TEXT NOT NULL,
        hopper_id TEXT NOT NULL,
        coin_value INTEGER NOT NULL CHECK (coin_value > 0),
        requested INTEGER NOT NULL CHECK (requested > 0),
        count_before INTEGER NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('requested','done')),
        paid INTEGER,
        fault TEXT,
        requested_at INTEGER NOT NULL,
        settled_at INTEGER
      );
      CREATE TABLE vouchers (
        code TEXT PRIMARY KEY,
        session_id TEXT NOT NULL,
        amount INTEGER NOT NULL CHECK (amount > 0),
        reason TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('issued','redeemed','expired')),
        issued_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        settled_at INTEGER,
        redeemed_by TEXT
      );
      PRAGMA user_version = 3;
    `);
  }
  if (version < 4) {
    // The credit balance, kept by SQLite itself in the transaction of every movement: reading it
    // is one row, not a sum over every movement ever (a booth asks it on every coin and screen,
    // and a long-lived unit has hundreds of thousands). Movements are append-only, which SQLite
    // now enforces too, so the kept balance can never drift from their sum.
    db.exec(`
      CREATE TABLE credit_balance (id INTEGER PRIMARY KEY CHECK (id = 1), amount INTEGER NOT NULL);
      INSERT INTO credit_balance (id, amount)
        VALUES (1, (SELECT COALESCE(SUM(balance_delta), 0) FROM movements));
      ${movementTriggers}
      PRAGMA user_version = 4;
    `);
  }
  if (version < 5) {
    // Cash periods: each emptying of the cash box closes one with its Z-report (journal-cash-periods.ts).
    db.transaction(() => {
      migrateCashPeriods(db);
      db.pragma('user_version = 5');
    })();
  }
  if (version < 6) {
    db.transaction(() => {
      allowTestCoins(db);
      db.pragma('user_version = 6');
    })();
  }
}

/**
 * v6: `test-inserted`, a coin the operator's payment test took. It is in the cash box (the
 * acceptor cannot give a coin back) but it is nobody's credit: its balance_delta is 0. SQLite
 * cannot widen a CHECK, so movements is rebuilt with its rows and ids, and the append-only and
 * balance triggers (dropped with the old table) are made again.
 */
function allowTestCoins(db: Database.Database): void {
  db.exec(`
    CREATE TABLE movements_v6 (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      at INTEGER NOT NULL,
      session_id TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('inserted','ordered','reversed','refunded','refund-short','kept',
        'carried','voucher-issued','voucher-redeemed','voucher-expired','test-inserted')),
      amount INTEGER NOT NULL CHECK (amount >= 0),
      balance_delta INTEGER NOT NULL CHECK (kind != 'test-inserted' OR balance_delta = 0),
      device_id TEXT,
      ref TEXT UNIQUE,
      order_id TEXT,
      note TEXT
    );
    INSERT INTO movements_v6 SELECT * FROM movements;
    DROP TABLE movements;
    ALTER TABLE movements_v6 RENAME TO movements;
    ${movementTriggers}
  `);
}
