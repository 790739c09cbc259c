import type { JournalCore } from './journal-money-back.ts';
import { JournalError, type OwedPrint } from './journal-records.ts';

/**
 * The journal's record of prints owed: sheets a customer paid for that the printer failed to
 * deliver, kept until they have printed (or staff give up on them). Each function that writes
 * more than one row runs inside a transaction the CreditJournal opens.
 */

export interface OwedInput {
  orderId: string;
  sessionId: string;
  sheetIds: readonly string[];
  copies: number;
  media: string;
  reason: string;
}

export function owePrints(core: JournalCore, owed: OwedInput): void {
  const order = core.db.prepare('SELECT state FROM orders WHERE id = ?').get(owed.orderId) as
    { state: string } | undefined;
  if (!order) throw new JournalError('unknown-order', `order ${owed.orderId} is not in the journal`);
  if (order.state !== 'paid')
    throw new JournalError('order-settled', `order ${owed.orderId} is already ${order.state}`);
  if (owed.sheetIds.length === 0) throw new JournalError('nothing-owed', 'no sheets left to print');
  core.db
    .prepare(
      `INSERT INTO owed_prints (order_id, session_id, sheet_ids, copies, media, reason, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      owed.orderId,
      owed.sessionId,
      JSON.stringify(owed.sheetIds),
      owed.copies,
      owed.media,
      owed.reason,
      core.now(),
    );
}

export function givenUp(core: JournalCore, orderId: string, reason: string): void {
  core.db
    .prepare(
      'UPDATE owed_prints SET given_up_at = ?, last_error = ? WHERE order_id = ? AND delivered_at IS NULL',
    )
    .run(core.now(), reason, orderId);
}

/** Owed prints the booth will still print (not delivered, not given up), oldest first. */
export function stillOwed(core: JournalCore): OwedPrint[] {
  return owedWhere(core, 'p.delivered_at IS NULL AND p.given_up_at IS NULL');
}

/**
 * Owed prints the booth gave up on (their sheets could not be read) whose order is still paid:
 * money staff have yet to hand back, oldest first.
 */
export function givenUpUnsettled(core: JournalCore): OwedPrint[] {
  return owedWhere(core, "p.delivered_at IS NULL AND p.given_up_at IS NOT NULL AND o.state = 'paid'");
}

/**
 * Staff settle an owed print by hand: it is struck from the queue (if still there) and its order
 * reversed by `reverse`, in the caller's transaction. Refused when nothing is owed for it.
 */
export function settledByStaff(
  core: JournalCore,
  orderId: string,
  reason: string,
  reverse: () => void,
): OwedPrint {
  const owed = [...stillOwed(core), ...givenUpUnsettled(core)].find((o) => o.orderId === orderId);
  if (!owed) throw new JournalError('not-owed', `nothing is owed for order ${orderId}`);
  core.db
    .prepare(
      'UPDATE owed_prints SET given_up_at = coalesce(given_up_at, ?), last_error = ? WHERE order_id = ?',
    )
    .run(core.now(), reason, orderId);
  reverse();
  return owed;
}

function owedWhere(core: JournalCore, where: string): OwedPrint[] {
  const rows = core.db
    .prepare(
      `SELECT p.order_id, p.session_id, p.sheet_ids, p.copies, p.media, p.reason, p.created_at,
              p.attempts, p.last_error, o.price
       FROM owed_prints p JOIN orders o ON o.id = p.order_id
       WHERE ${where} ORDER BY p.created_at, p.rowid`,
    )
    .all() as {
    order_id: string;
    session_id: string;
    sheet_ids: string;
    copies: number;
    media: string;
    reason: string;
    created_at: number;
    attempts: number;
    last_error: string | null;
    price: number;
  }[];
  return rows.map((r) => ({
    orderId: r.order_id,
    sessionId: r.session_id,
    sheetIds: JSON.parse(r.sheet_ids) as string[],
    copies: r.copies,
    media: r.media,
    reason: r.reason,
    createdAt: r.created_at,
    attempts: r.attempts,
    lastError: r.last_error,
    price: r.price,
  }));
}

/** One owed sheet came out; the last one calls `deliver` (which settles the order). */
export function sheetPrinted(
  core: JournalCore,
  orderId: string,
  sheetId: string,
  deliver: () => void,
): { delivered: boolean } {
  const owed = stillOwed(core).find((o) => o.orderId === orderId);
  if (!owed) throw new JournalError('not-owed', `nothing is owed for order ${orderId}`);
  const at = owed.sheetIds.indexOf(sheetId);
  if (at < 0) throw new JournalError('not-owed', `sheet ${sheetId} is not owed for order ${orderId}`);
  const left = owed.sheetIds.toSpliced(at, 1);
  if (left.length > 0) {
    core.db
      .prepare('UPDATE owed_prints SET sheet_ids = ? WHERE order_id = ?')
      .run(JSON.stringify(left), orderId);
    return { delivered: false };
  }
  core.db
    .prepare('UPDATE owed_prints SET sheet_ids = ?, delivered_at = ? WHERE order_id = ?')
    .run('[]', core.now(), orderId);
  deliver();
  return { delivered: true };
}

export function attemptFailed(core: JournalCore, orderId: string, error: string): void {
  core.db
    .prepare('UPDATE owed_prints SET attempts = attempts + 1, last_error = ? WHERE order_id = ?')
    .run(error, orderId);
}
