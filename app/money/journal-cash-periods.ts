import type { JournalCore } from './journal-money-back.ts';
import { JournalError } from './journal-records.ts';

/**
 * Cash periods: from one emptying of the cash box to the next. A period is a range of movement
 * ids (after `fromMovementId`, up to `toMovementId`), not of times: ids only grow, while the
 * wall clock can be stepped back under a running booth. Closing one stores its Z-report in
 * `cash_periods` (schema v5), append-only like the movements, and the next period starts after
 * its last movement. Every function runs inside a transaction the CreditJournal opens.
 */

/** How much of one coin or note value came in. */
export interface CashDenomination {
  /** `other`: a movement whose note does not name a channel (none is written so today). */
  channel: 'coin' | 'bill' | 'other';
  currency: string | null;
  /** The coin's or note's value, minor units. */
  value: number;
  count: number;
  amount: number;
}

export interface CountAndAmount {
  count: number;
  amount: number;
}

/** What the journal says of one period. Money in minor units, times in epoch ms. */
export interface CashPeriodFigures {
  fromMovementId: number;
  toMovementId: number;
  /** When it began: the last emptying, else the journal's first movement; null when neither is. */
  from: number | null;
  /** Now, for the open period; the emptying, for a closed one. */
  to: number;
  moneyIn: { coin: number; bill: number; other: number; total: number };
  denominations: CashDenomination[];
  /**
   * What the cash box should hold: every coin and note the acceptors took, and nothing taken out.
   * The acceptors send every coin and note to the cash box (no coin goes to the hopper: nothing
   * routes one there), and the hopper pays refunds from its own float, which staff fill, never
   * from the cash box: subtracting payouts would report a shortage that is not there. What the
   * hopper paid out is `hopperPaidOut`, what staff put back into the hopper. Vouchers, carried and
   * kept credit move credit, not cash.
   */
  expectedInCashBox: number;
  /**
   * Coins the operator's payment test took: in the cash box (so in `expectedInCashBox`), but
   * nobody's money, so neither in `moneyIn` nor in `denominations`.
   */
  testCoins: CountAndAmount;
  vouchersIssued: CountAndAmount;
  vouchersRedeemed: CountAndAmount;
  vouchersExpired: CountAndAmount;
  /** Coins the hopper counted out for refunds started in the period. */
  hopperPaidOut: number;
  /** Refunds a crash cut off, not yet counted (they may have paid some coins). */
  payoutsUnsettled: number;
  /** Credit left behind that the booth kept for the operator (`money.unusedCredit: keep`). */
  kept: number;
  /**
   * Orders placed in the period, by what became of them so far: an order placed before an
   * emptying and delivered after it (owed prints) stays in the period that took its money.
   */
  orders: {
    placed: CountAndAmount;
    delivered: CountAndAmount;
    reversed: CountAndAmount;
    /** Paid, prints owed. */
    owed: CountAndAmount;
    /** Paid, neither delivered nor owed yet: a session in progress (or one a crash left). */
    open: CountAndAmount;
  };
  /** Sessions that placed at least one order in the period. */
  sessions: number;
  /** Credit in the booth now, carried to the next customer. */
  creditCarried: number;
  /** Sheets owed now (all periods), and the prices of their orders. */
  printsOwed: { sheets: number; amount: number };
}

/** A closed period: its figures as they stood at the emptying, and what was counted. */
export interface ZReport extends CashPeriodFigures {
  /** 1 for the first emptying of this journal, then 2, 3, … */
  number: number;
  counted: number;
  /** counted − expectedInCashBox: below 0 the box holds less than the journal says. */
  difference: number;
  /** Who emptied it (an operator role, or `cli`). */
  closedBy: string;
}

export function migrateCashPeriods(db: JournalCore['db']): void {
  db.exec(`
    CREATE TABLE cash_periods (
      number INTEGER PRIMARY KEY CHECK (number >= 1),
      from_movement_id INTEGER NOT NULL,
      to_movement_id INTEGER NOT NULL CHECK (to_movement_id >= from_movement_id),
      from_at INTEGER,
      closed_at INTEGER NOT NULL,
      expected INTEGER NOT NULL CHECK (expected >= 0),
      counted INTEGER NOT NULL CHECK (counted >= 0),
      difference INTEGER NOT NULL CHECK (difference = counted - expected),
      closed_by TEXT NOT NULL,
      figures TEXT NOT NULL
    );
    CREATE TRIGGER cash_periods_not_updated BEFORE UPDATE ON cash_periods BEGIN
      SELECT RAISE(ABORT, 'cash periods are append-only: a Z-report is never edited');
    END;
    CREATE TRIGGER cash_periods_not_deleted BEFORE DELETE ON cash_periods BEGIN
      SELECT RAISE(ABORT, 'cash periods are append-only: a Z-report is never edited');
    END;
    CREATE TRIGGER cash_periods_follow_on BEFORE INSERT ON cash_periods BEGIN
      SELECT RAISE(ABORT, 'a cash period starts where the one before it ended')
      WHERE NEW.number != COALESCE((SELECT MAX(number) FROM cash_periods), 0) + 1
         OR NEW.from_movement_id !=
            COALESCE((SELECT to_movement_id FROM cash_periods ORDER BY number DESC LIMIT 1), 0);
    END;
  `);
}

/** The open period's figures: since the last emptying, up to the last movement. */
export function openPeriod(core: JournalCore): CashPeriodFigures {
  const last = lastPeriod(core);
  const toMovementId = lastMovementId(core);
  return figures(core, last?.to_movement_id ?? 0, toMovementId, last?.closed_at ?? null, core.now());
}

/**
 * Closes the open period with what was counted; the next one starts after its last movement.
 * `heading` (the unit's name, the currency) is kept with the report as it was at the emptying.
 */
export function closePeriod(
  core: JournalCore,
  input: { counted: number; closedBy: string; heading?: Readonly<Record<string, string>> },
): ZReport {
  if (!Number.isSafeInteger(input.counted) || input.counted < 0)
    throw new JournalError(
      'invalid-amount',
      `the counted cash must be a whole number of minor units, 0 or more, not ${input.counted}`,
    );
  const last = lastPeriod(core);
  const period = openPeriod(core);
  const report: ZReport = {
    ...input.heading,
    ...period,
    number: (last?.number ?? 0) + 1,
    counted: input.counted,
    difference: input.counted - period.expectedInCashBox,
    closedBy: input.closedBy,
  };
  core.db
    .prepare(
      `INSERT INTO cash_periods (number, from_movement_id, to_movement_id, from_at, closed_at, expected,
         counted, difference, closed_by, figures) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      report.number,
      report.fromMovementId,
      report.toMovementId,
      report.from,
      report.to,
      report.expectedInCashBox,
      report.counted,
      report.difference,
      report.closedBy,
      JSON.stringify(report),
    );
  return report;
}

/** The newest `limit` Z-reports, newest first, as they were stored. */
export function zReports(core: JournalCore, limit: number): ZReport[] {
  const n = Math.max(0, Math.min(Math.trunc(limit), 1_000));
  return (
    core.db.prepare('SELECT figures FROM cash_periods ORDER BY number DESC LIMIT ?').all(n) as {
      figures: string;
    }[]
  ).map((r) => JSON.parse(r.figures) as ZReport);
}

function lastPeriod(
  core: JournalCore,
): { number: number; to_movement_id: number; closed_at: number } | undefined {
  return core.db
    .prepare('SELECT number, to_movement_id, closed_at FROM cash_periods ORDER BY number DESC LIMIT 1')
    .get() as { number: number; to_movement_id: number; closed_at: number } | undefined;
}

function lastMovementId(core: JournalCore): number {
  return (core.db.prepare('SELECT COALESCE(MAX(id), 0) AS id FROM movements').get() as { id: number }).id;
}

/** A credit's note is `<channel> <currency>`, as CreditJournal.recordInserted writes it. */
const creditNote = /^(coin|bill) ([A-Z]{3})$/;

function figures(
  core: JournalCore,
  fromId: number,
  toId: number,
  closedBefore: number | null,
  now: number,
): CashPeriodFigures {
  const { db } = core;
  const range = [fromId, toId] as const;
  const denominations = (
    db
      .prepare(
        `SELECT note, amount AS value, COUNT(*) AS count, SUM(amount) AS amount FROM movements
         WHERE kind = 'inserted' AND id > ? AND id <= ? GROUP BY note, amount ORDER BY note, amount`,
      )
      .all(...range) as { note: string | null; value: number; count: number; amount: number }[]
  ).map((r): CashDenomination => {
    const parsed = creditNote.exec(r.note ?? '');
    return {
      channel: parsed ? (parsed[1] as 'coin' | 'bill') : 'other',
      currency: parsed ? parsed[2]! : null,
      value: r.value,
      count: r.count,
      amount: r.amount,
    };
  });
  const inBy = (channel: CashDenomination['channel']) =>
    denominations.filter((d) => d.channel === channel).reduce((sum, d) => sum + d.amount, 0);
  const moneyIn = { coin: inBy('coin'), bill: inBy('bill'), other: inBy('other'), total: 0 };
  moneyIn.total = moneyIn.coin + moneyIn.bill + moneyIn.other;

  const kinds = db
    .prepare(
      `SELECT kind, COUNT(*) AS count, SUM(amount) AS amount FROM movements
       WHERE id > ? AND id <= ? GROUP BY kind`,
    )
    .all(...range) as { kind: string; count: number; amount: number }[];
  const ofKind = (kind: string): CountAndAmount => {
    const row = kinds.find((k) => k.kind === kind);
    return { count: row?.count ?? 0, amount: row?.amount ?? 0 };
  };
  const payoutsUnsettled = (
    db
      .prepare(
        `SELECT COALESCE(SUM(p.requested), 0) AS total FROM payouts p
         JOIN movements m ON m.ref = 'payout:' || p.id
         WHERE p.state = 'requested' AND m.id > ? AND m.id <= ?`,
      )
      .get(...range) as { total: number }
  ).total;

  const orderRows = db
    .prepare(
      `SELECT CASE WHEN o.state != 'paid' THEN o.state
                   WHEN p.order_id IS NOT NULL AND p.delivered_at IS NULL THEN 'owed' ELSE 'open' END AS what,
              COUNT(*) AS count, SUM(o.price) AS amount, COUNT(DISTINCT o.session_id) AS sessions
       FROM orders o JOIN movements m ON m.order_id = o.id AND m.kind = 'ordered'
       LEFT JOIN owed_prints p ON p.order_id = o.id
       WHERE m.id > ? AND m.id <= ? GROUP BY what`,
    )
    .all(...range) as { what: string; count: number; amount: number }[];
  const orders = (what: string): CountAndAmount => {
    const row = orderRows.find((r) => r.what === what);
    return { count: row?.count ?? 0, amount: row?.amount ?? 0 };
  };
  const sessions = (
    db
      .prepare(
        `SELECT COUNT(DISTINCT session_id) AS n FROM movements WHERE kind = 'ordered' AND id > ? AND id <= ?`,
      )
      .get(...range) as { n: number }
  ).n;
  const owedNow = db
    .prepare(
      `SELECT p.sheet_ids, p.copies, o.price FROM owed_prints p JOIN orders o ON o.id = p.order_id
       WHERE p.delivered_at IS NULL AND p.given_up_at IS NULL`,
    )
    .all() as { sheet_ids: string; copies: number; price: number }[];
  const firstAt = (
    db.prepare('SELECT MIN(at) AS at FROM movements WHERE id > ? AND id <= ?').get(...range) as {
      at: number | null;
    }
  ).at;

  return {
    fromMovementId: fromId,
    toMovementId: toId,
    from: closedBefore ?? firstAt,
    to: now,
    moneyIn,
    denominations,
    expectedInCashBox: moneyIn.total + ofKind('test-inserted').amount,
    testCoins: ofKind('test-inserted'),
    vouchersIssued: ofKind('voucher-issued'),
    vouchersRedeemed: ofKind('voucher-redeemed'),
    vouchersExpired: ofKind('voucher-expired'),
    // A payout's movement is written for the whole amount before the coins move; what the hopper
    // then did not pay comes back as `refund-short`, and a cut-off payout is not counted yet.
    hopperPaidOut: ofKind('refunded').amount - ofKind('refund-short').amount - payoutsUnsettled,
    payoutsUnsettled,
    kept: ofKind('kept').amount,
    orders: {
      placed: ['delivered', 'reversed', 'owed', 'open']
        .map(orders)
        .reduce((a, b) => ({ count: a.count + b.count, amount: a.amount + b.amount })),
      delivered: orders('delivered'),
      reversed: orders('reversed'),
      owed: orders('owed'),
      open: orders('open'),
    },
    sessions,
    creditCarried: core.balance(),
    printsOwed: {
      sheets: owedNow.reduce((n, o) => n + (JSON.parse(o.sheet_ids) as string[]).length * o.copies, 0),
      amount: owedNow.reduce((n, o) => n + o.price, 0),
    },
  };
}
