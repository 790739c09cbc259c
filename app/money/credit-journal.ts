import Database from 'better-sqlite3';
import { ownerOnlyFile } from '../../core/owner-only-file.ts';
import { rememberStatements } from '../../core/sqlite-statements.ts';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrate } from './journal-schema.ts';
import * as moneyBack from './journal-money-back.ts';
import * as cashPeriods from './journal-cash-periods.ts';
import * as owedPrints from './journal-owed-prints.ts';
import {
  InsufficientCreditError,
  type CreditWritten,
  JournalError,
  type JournalTotals,
  type MovementKind,
  type Order,
  type OwedPrint,
  type Payout,
  type Voucher,
} from './journal-records.ts';

export * from './journal-records.ts';
export type { CashDenomination, CashPeriodFigures, CountAndAmount, ZReport } from './journal-cash-periods.ts';

/**
 * The booth's money ledger. Every method commits (synchronous=FULL, WAL) before it returns, so
 * a credit is on disk before the screen shows it, and a restart finds exactly what was there.
 *
 * The balance is the sum of `balance_delta` over all movements: credit inserted adds, an order
 * takes its price, a reversed order gives it back, a refund or a kept credit takes the rest.
 * A 'carried' movement changes nothing: it records that the credit stayed for the next customer.
 * Money handed back (hopper payouts, vouchers) is in journal-money-back.ts.
 */

export class CreditJournal {
  readonly #db: Database.Database;
  readonly #clock: { now(): number };
  readonly #core: moneyBack.JournalCore;

  private constructor(db: Database.Database, clock: { now(): number }) {
    this.#db = db;
    this.#clock = clock;
    this.#core = {
      db,
      move: (...args) => this.#move(...args),
      balance: () => this.balance(),
      now: () => clock.now(),
    };
  }

  /**
   * Opens (or creates) a journal. `durability: 'unit'` (the default, and the only one a unit's
   * own books may use) commits with synchronous=FULL: a credit is on the disk before the call
   * returns, across a power cut. `durability: 'simulation'` is for `kiosk simulate`'s throwaway
   * journal only: synchronous=OFF, so its commits survive a killed process (kill -9: the data is
   * in the kernel) but not a power cut, which is nothing to a run that is wiped at its next start.
   */
  static open(
    file: string,
    clock: { now(): number } = Date,
    options: { durability?: 'unit' | 'simulation' } = {},
  ): CreditJournal {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    ownerOnlyFile(file);
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma(options.durability === 'simulation' ? 'synchronous = OFF' : 'synchronous = FULL');
    db.pragma('foreign_keys = ON');
    migrate(db);
    rememberStatements(db);
    return new CreditJournal(db, clock);
  }

  close(): void {
    this.#db.close();
  }

  pragma(name: 'journal_mode' | 'synchronous'): unknown {
    return this.#db.pragma(name, { simple: true });
  }

  /**
   * Records money a device took. Returns `recorded: false` (and changes nothing) when the
   * device's event reference is already in the journal: a re-reported event never doubles credit.
   * A ref already journaled for another amount or device comes back with `conflict`.
   * With `eventCounter`, the device's last event counter is stored in the same transaction.
   * With `test`, the money came in during the operator's payment test: it is journaled as
   * `test-inserted` (in the cash box, so the cash book counts it) and credits nobody.
   */
  recordInserted(
    credit: {
      sessionId: string;
      ref: string;
      deviceId: string;
      amount: number;
      currency: string;
      channel: string;
    },
    options: { eventCounter?: number; test?: boolean } = {},
  ): CreditWritten {
    if (!Number.isSafeInteger(credit.amount) || credit.amount <= 0) {
      throw new JournalError(
        'invalid-amount',
        `a credit must be a positive whole number of minor units, not ${credit.amount}`,
      );
    }
    return this.#db.transaction(() => {
      const seen = this.#db
        .prepare('SELECT amount, device_id FROM movements WHERE ref = ?')
        .get(credit.ref) as { amount: number; device_id: string | null } | undefined;
      if (!seen) {
        const kind = options.test ? 'test-inserted' : 'inserted';
        this.#move(kind, credit.sessionId, credit.amount, options.test ? 0 : credit.amount, {
          deviceId: credit.deviceId,
          ref: credit.ref,
          note: `${credit.channel} ${credit.currency}`,
        });
      }
      if (options.eventCounter !== undefined) this.#setCounter(credit.deviceId, options.eventCounter);
      const balance = this.balance();
      if (!seen) return { recorded: true, balance };
      // The same event told again (after a restart, a reconnect) is harmless. The same ref for
      // other money is not: the device numbered its events again, and this coin is not credited.
      const same = seen.amount === credit.amount && seen.device_id === credit.deviceId;
      return same
        ? { recorded: false, balance }
        : { recorded: false, balance, conflict: { amount: seen.amount, deviceId: seen.device_id } };
    })();
  }

  /** The credit in the booth now: kept by SQLite with every movement (journal-schema.ts, v4). */
  balance(): number {
    return (this.#db.prepare('SELECT amount FROM credit_balance WHERE id = 1').get() as { amount: number })
      .amount;
  }

  /** Moves the price from credit into a paid order. */
  placeOrder(order: { sessionId: string; orderId: string; productId: string; price: number }): void {
    this.#db.transaction(() => {
      const balance = this.balance();
      if (balance < order.price) throw new InsufficientCreditError(balance, order.price);
      this.#db
        .prepare(
          `INSERT INTO orders (id, session_id, product_id, price, state, created_at) VALUES (?, ?, ?, ?, 'paid', ?)`,
        )
        .run(order.orderId, order.sessionId, order.productId, order.price, this.#clock.now());
      this.#move('ordered', order.sessionId, order.price, -order.price, { orderId: order.orderId });
    })();
  }

  /** The photos were handed over: the order's money is earned. */
  deliverOrder(orderId: string): void {
    this.#db.transaction(() => {
      this.#settleOrder(orderId, 'delivered', null);
    })();
  }

  /** The order could not be delivered: its price goes back into credit. */
  reverseOrder(orderId: string, reason: string): void {
    this.#db.transaction(() => {
      const order = this.#settleOrder(orderId, 'reversed', reason);
      this.#move('reversed', order.sessionId, order.price, order.price, { orderId, note: reason });
    })();
  }

  /**
   * Leaves the credit a session left behind for the next customer (`carry`) or keeps it for the
   * operator (`keep`). Refunds and vouchers go through `beginPayout` and `issueVoucher`.
   */
  settleUnused(input: { sessionId: string; policy: 'carry' | 'keep' }): {
    amount: number;
    policy: 'carry' | 'keep';
  } {
    return this.#db.transaction(() => {
      const amount = this.balance();
      if (amount > 0) {
        const carry = input.policy === 'carry';
        this.#move(carry ? 'carried' : 'kept', input.sessionId, amount, carry ? 0 : -amount, {});
      }
      return { amount, policy: input.policy };
    })();
  }

  /** A hopper payout is about to start: its amount leaves the credit (see journal-money-back.ts). */
  beginPayout(payout: {
    id: string;
    sessionId: string;
    hopperId: string;
    coinValue: number;
    amount: number;
    countBefore: number;
  }): void {
    this.#db.transaction(() => moneyBack.beginPayout(this.#core, payout))();
  }

  /** The coins the hopper paid; what it did not pay goes back into credit. */
  settlePayout(id: string, paid: number, fault: string | null = null): Payout {
    return this.#db.transaction(() => moneyBack.settlePayout(this.#core, id, paid, fault))();
  }

  /** Payouts a crash cut off before their coins were counted. */
  unsettledPayouts(): Payout[] {
    return moneyBack.unsettledPayouts(this.#core);
  }

  /** Takes `amount` of the credit into a voucher the customer redeems here until `expiresAt`. */
  issueVoucher(voucher: {
    code: string;
    sessionId: string;
    amount: number;
    reason: string;
    expiresAt: number;
  }): Voucher {
    return this.#db.transaction(() => moneyBack.issueVoucher(this.#core, voucher))();
  }

  /** A voucher's amount becomes the session's credit, once; refused when unknown, used or expired. */
  redeemVoucher(code: string, sessionId: string): { voucher: Voucher; balance: number } {
    return this.#db.transaction(() => {
      const voucher = moneyBack.redeemVoucher(this.#core, code, sessionId);
      return { voucher, balance: this.balance() };
    })();
  }

  /** Marks the vouchers past their last day expired, and returns them. */
  expireVouchers(): Voucher[] {
    return this.#db.transaction(() => moneyBack.expireVouchers(this.#core))();
  }

  voucher(code: string): Voucher | undefined {
    return moneyBack.voucherByCode(this.#core, code);
  }

  /**
   * Orders paid for but neither delivered nor reversed: what a crash left behind. Orders whose
   * prints are owed are not among them: they wait for the printer, not for a refund.
   */
  openOrders(): Order[] {
    return (
      this.#db
        .prepare(
          `SELECT id, session_id, product_id, price, state, created_at FROM orders o WHERE state = 'paid'
           AND NOT EXISTS (SELECT 1 FROM owed_prints p WHERE p.order_id = o.id AND p.delivered_at IS NULL)
           ORDER BY created_at`,
        )
        .all() as {
        id: string;
        session_id: string;
        product_id: string;
        price: number;
        state: Order['state'];
        created_at: number;
      }[]
    ).map((r) => ({
      id: r.id,
      sessionId: r.session_id,
      productId: r.product_id,
      price: r.price,
      state: r.state,
      createdAt: r.created_at,
    }));
  }

  /**
   * The printer failed part-way: records the sheets still to print for a paid order, so they are
   * printed once the printer is back (also after a restart) and the order is not reversed.
   */
  owePrints(owed: owedPrints.OwedInput): void {
    this.#db.transaction(() => owedPrints.owePrints(this.#core, owed))();
  }

  /**
   * The owed sheets can no longer be printed (retention wiped the photos): the booth stops trying
   * and leaves the order to staff. Its money stays owed in the totals (neither earned nor given
   * back) until staff settle it.
   */
  owedPrintGivenUp(orderId: string, reason: string): void {
    owedPrints.givenUp(this.#core, orderId, reason);
  }

  /** Owed prints the booth will still print (not delivered, not given up), oldest first. */
  owedPrints(): OwedPrint[] {
    return owedPrints.stillOwed(this.#core);
  }

  /** Owed prints the booth gave up on whose order is still paid: staff hand the money back. */
  owedPrintsGivenUp(): OwedPrint[] {
    return owedPrints.givenUpUnsettled(this.#core);
  }

  /** Staff give up an owed print: off the queue and its order reversed (price to credit), at once. */
  owedPrintReversed(orderId: string, reason: string): { price: number; sessionId: string } {
    return this.#db.transaction(() => {
      const reverse = () => this.reverseOrder(orderId, reason);
      const { price, sessionId } = owedPrints.settledByStaff(this.#core, orderId, reason, reverse);
      return { price, sessionId };
    })();
  }

  /** Prints still owed, counted in printed sheets (copies of each remaining sheet). */
  owedPrintCount(): number {
    return this.owedPrints().reduce((n, o) => n + o.sheetIds.length * o.copies, 0);
  }

  /** One owed sheet came out: it is no longer owed. The last one delivers the order. */
  owedSheetPrinted(orderId: string, sheetId: string): { delivered: boolean } {
    return this.#db.transaction(() =>
      owedPrints.sheetPrinted(this.#core, orderId, sheetId, () =>
        this.#settleOrder(orderId, 'delivered', 'owed-prints-delivered'),
      ),
    )();
  }

  /** An attempt to print owed sheets failed; they stay owed. */
  owedAttemptFailed(orderId: string, error: string): void {
    owedPrints.attemptFailed(this.#core, orderId, error);
  }

  /** Orders ever placed, whatever became of them. */
  orderCount(): number {
    return (this.#db.prepare('SELECT COUNT(*) AS n FROM orders').get() as { n: number }).n;
  }

  lastMovementId(): number {
    return (this.#db.prepare('SELECT COALESCE(MAX(id), 0) AS id FROM movements').get() as { id: number }).id;
  }

  /** Sums per kind of movement after `sinceMovementId` (all when omitted). */
  totals(sinceMovementId = 0): JournalTotals {
    const rows = this.#db
      .prepare('SELECT kind, SUM(amount) AS total FROM movements WHERE id > ? GROUP BY kind')
      .all(sinceMovementId) as { kind: MovementKind; total: number }[];
    const sum = (kind: MovementKind) => rows.find((r) => r.kind === kind)?.total ?? 0;
    const delivered = (
      this.#db
        .prepare(
          `SELECT COALESCE(SUM(o.price), 0) AS total FROM orders o
           JOIN movements m ON m.order_id = o.id AND m.kind = 'ordered'
           WHERE o.state = 'delivered' AND m.id > ?`,
        )
        .get(sinceMovementId) as { total: number }
    ).total;
    const owed = (
      this.#db
        .prepare(
          `SELECT COALESCE(SUM(o.price), 0) AS total FROM orders o
           JOIN owed_prints p ON p.order_id = o.id AND p.delivered_at IS NULL
           JOIN movements m ON m.order_id = o.id AND m.kind = 'ordered'
           WHERE o.state = 'paid' AND m.id > ?`,
        )
        .get(sinceMovementId) as { total: number }
    ).total;
    const back = moneyBack.moneyBackTotals(this.#core, sinceMovementId);
    const vouchersIssued = sum('voucher-issued');
    return {
      inserted: sum('inserted'),
      delivered,
      owed,
      reversed: sum('reversed'),
      // A payout's movement is written for the whole amount before the coins move.
      refunded: sum('refunded') - sum('refund-short') - back.payoutsUnsettled,
      payoutsUnsettled: back.payoutsUnsettled,
      kept: sum('kept'),
      vouchersIssued,
      vouchersRedeemed: sum('voucher-redeemed'),
      vouchersExpired: sum('voucher-expired'),
      vouchersOutstanding: back.vouchersOutstanding,
      balance: this.balance(),
    };
  }

  /** The open cash period: what came in and went on since the cash box was last emptied. */
  cashPeriod(): cashPeriods.CashPeriodFigures {
    return this.#db.transaction(() => cashPeriods.openPeriod(this.#core))();
  }

  /**
   * The cash box was emptied and `counted`: closes the open period with its Z-report, kept in the
   * journal for good, before anyone (a screen, the receipt printer) hears of it.
   */
  closeCashPeriod(input: {
    counted: number;
    closedBy: string;
    heading?: Readonly<Record<string, string>>;
  }): cashPeriods.ZReport {
    return this.#db.transaction(() => cashPeriods.closePeriod(this.#core, input)).immediate();
  }

  /** The newest `limit` Z-reports, newest first. */
  zReports(limit: number): cashPeriods.ZReport[] {
    return cashPeriods.zReports(this.#core, limit);
  }

  lastEventCounter(deviceId: string): number | null {
    const row = this.#db
      .prepare('SELECT last_counter FROM device_counters WHERE device_id = ?')
      .get(deviceId) as { last_counter: number } | undefined;
    return row?.last_counter ?? null;
  }

  setEventCounter(deviceId: string, counter: number): void {
    this.#setCounter(deviceId, counter);
  }

  #setCounter(deviceId: string, counter: number): void {
    this.#db
      .prepare(
        `INSERT INTO device_counters (device_id, last_counter, updated_at) VALUES (?, ?, ?)
         ON CONFLICT(device_id) DO UPDATE SET last_counter = excluded.last_counter, updated_at = excluded.updated_at`,
      )
      .run(deviceId, counter, this.#clock.now());
  }

  #settleOrder(orderId: string, state: 'delivered' | 'reversed', reason: string | null): Order {
    const order = this.#db
      .prepare('SELECT session_id, price, state FROM orders WHERE id = ?')
      .get(orderId) as { session_id: string; price: number; state: string } | undefined;
    if (!order) throw new JournalError('unknown-order', `order ${orderId} is not in the journal`);
    if (order.state !== 'paid') {
      throw new JournalError(
        'order-settled',
        `order ${orderId} is already ${order.state}; it cannot become ${state}`,
      );
    }
    this.#db
      .prepare('UPDATE orders SET state = ?, settled_at = ?, reason = ? WHERE id = ?')
      .run(state, this.#clock.now(), reason, orderId);
    return {
      id: orderId,
      sessionId: order.session_id,
      productId: '',
      price: order.price,
      state,
      createdAt: 0,
    };
  }

  #move(
    kind: MovementKind,
    sessionId: string,
    amount: number,
    delta: number,
    extra: { deviceId?: string; ref?: string; orderId?: string; note?: string },
  ): void {
    this.#db
      .prepare(
        `INSERT INTO movements (at, session_id, kind, amount, balance_delta, device_id, ref, order_id, note)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        this.#clock.now(),
        sessionId,
        kind,
        amount,
        delta,
        extra.deviceId ?? null,
        extra.ref ?? null,
        extra.orderId ?? null,
        extra.note ?? null,
      );
  }
}
