import type Database from 'better-sqlite3';
import { JournalError, type MovementKind, type Payout, type Voucher } from './journal-records.ts';

/**
 * The journal's records of money going back to customers: hopper payouts and vouchers. Each
 * function runs inside a transaction the CreditJournal opens, so a movement and its row are
 * written together or not at all.
 */
export interface JournalCore {
  readonly db: Database.Database;
  move(
    kind: MovementKind,
    sessionId: string,
    amount: number,
    delta: number,
    extra: { deviceId?: string; ref?: string; orderId?: string; note?: string },
  ): void;
  balance(): number;
  now(): number;
}

function takeFromCredit(core: JournalCore, amount: number, what: string): void {
  if (!Number.isSafeInteger(amount) || amount <= 0)
    throw new JournalError(
      'invalid-amount',
      `${what} must be a positive whole number of minor units, not ${amount}`,
    );
  const balance = core.balance();
  if (amount > balance)
    throw new JournalError(
      'payout-too-much',
      `${what} of ${amount} is more than the credit left (${balance})`,
    );
}

/**
 * A payout is about to be asked of the hopper. The whole amount leaves the credit now, before a
 * coin moves: a crash mid-payout must never leave it in the credit as well (it would be paid
 * twice); `settlePayout` gives back what the hopper did not pay.
 */
export function beginPayout(
  core: JournalCore,
  p: {
    id: string;
    sessionId: string;
    hopperId: string;
    coinValue: number;
    amount: number;
    countBefore: number;
  },
): void {
  takeFromCredit(core, p.amount, 'a payout');
  core.db
    .prepare(
      `INSERT INTO payouts (id, session_id, hopper_id, coin_value, requested, count_before, state, requested_at)
       VALUES (?, ?, ?, ?, ?, ?, 'requested', ?)`,
    )
    .run(p.id, p.sessionId, p.hopperId, p.coinValue, p.amount, p.countBefore, core.now());
  core.move('refunded', p.sessionId, p.amount, -p.amount, { deviceId: p.hopperId, ref: `payout:${p.id}` });
}

/** What the hopper paid: the payout is done, and what it did not pay goes back into credit. */
export function settlePayout(core: JournalCore, id: string, paid: number, fault: string | null): Payout {
  const payout = payoutById(core, id);
  if (!payout || payout.state !== 'requested')
    throw new JournalError('unknown-payout', `payout ${id} is not waiting to be settled`);
  // A hopper never pays more than asked; a count that says so is a miscount, not money out.
  const counted = Math.max(0, Math.min(paid, payout.requested));
  core.db
    .prepare(`UPDATE payouts SET state = 'done', paid = ?, fault = ?, settled_at = ? WHERE id = ?`)
    .run(counted, fault, core.now(), id);
  const short = payout.requested - counted;
  if (short > 0)
    core.move('refund-short', payout.sessionId, short, short, {
      deviceId: payout.hopperId,
      note: fault ?? undefined,
    });
  return { ...payout, state: 'done', paid: counted };
}

export function unsettledPayouts(core: JournalCore): Payout[] {
  return (
    core.db
      .prepare(`SELECT * FROM payouts WHERE state = 'requested' ORDER BY requested_at`)
      .all() as PayoutRow[]
  ).map(payoutFromRow);
}

export function issueVoucher(
  core: JournalCore,
  v: { code: string; sessionId: string; amount: number; reason: string; expiresAt: number },
): Voucher {
  takeFromCredit(core, v.amount, 'a voucher');
  const issuedAt = core.now();
  core.db
    .prepare(
      `INSERT INTO vouchers (code, session_id, amount, reason, state, issued_at, expires_at)
       VALUES (?, ?, ?, ?, 'issued', ?, ?)`,
    )
    .run(v.code, v.sessionId, v.amount, v.reason, issuedAt, v.expiresAt);
  core.move('voucher-issued', v.sessionId, v.amount, -v.amount, { ref: `voucher-issued:${v.code}` });
  return { ...v, state: 'issued', issuedAt };
}

/**
 * A voucher's amount comes back as credit, once: the movement's ref is unique, so even two
 * redeems racing through the same journal cannot both credit it.
 */
export function redeemVoucher(core: JournalCore, code: string, sessionId: string): Voucher {
  const voucher = voucherByCode(core, code);
  if (!voucher) throw new JournalError('voucher-unknown', `no voucher ${code} was issued here`);
  if (voucher.state === 'redeemed')
    throw new JournalError('voucher-redeemed', `voucher ${code} was redeemed already`);
  // Past its last day it is refused at once; the sweep (expireVouchers) journals it as expired.
  if (voucher.state === 'expired' || core.now() >= voucher.expiresAt)
    throw new JournalError('voucher-expired', `voucher ${code} expired`);
  core.db
    .prepare(`UPDATE vouchers SET state = 'redeemed', settled_at = ?, redeemed_by = ? WHERE code = ?`)
    .run(core.now(), sessionId, code);
  core.move('voucher-redeemed', sessionId, voucher.amount, voucher.amount, {
    ref: `voucher-redeemed:${code}`,
  });
  return { ...voucher, state: 'redeemed' };
}

/** Vouchers past their last day: what they held stays with the booth, recorded as expired. */
export function expireVouchers(core: JournalCore): Voucher[] {
  const due = (
    core.db
      .prepare(`SELECT * FROM vouchers WHERE state = 'issued' AND expires_at <= ? ORDER BY issued_at`)
      .all(core.now()) as VoucherRow[]
  ).map(voucherFromRow);
  for (const voucher of due) expire(core, voucher);
  return due.map((v) => ({ ...v, state: 'expired' }));
}

export function voucherByCode(core: JournalCore, code: string): Voucher | undefined {
  const row = core.db.prepare('SELECT * FROM vouchers WHERE code = ?').get(code) as VoucherRow | undefined;
  return row && voucherFromRow(row);
}

/** Sums for the totals: payouts cut off by a crash, and vouchers not yet redeemed or expired. */
export function moneyBackTotals(core: JournalCore, sinceMovementId: number) {
  const unsettled = core.db
    .prepare(
      `SELECT COALESCE(SUM(p.requested), 0) AS total FROM payouts p
       JOIN movements m ON m.ref = 'payout:' || p.id WHERE p.state = 'requested' AND m.id > ?`,
    )
    .get(sinceMovementId) as { total: number };
  const outstanding = core.db
    .prepare(
      `SELECT COALESCE(SUM(v.amount), 0) AS total FROM vouchers v
       JOIN movements m ON m.ref = 'voucher-issued:' || v.code WHERE v.state = 'issued' AND m.id > ?`,
    )
    .get(sinceMovementId) as { total: number };
  return { payoutsUnsettled: unsettled.total, vouchersOutstanding: outstanding.total };
}

function expire(core: JournalCore, voucher: Voucher): void {
  core.db
    .prepare(`UPDATE vouchers SET state = 'expired', settled_at = ? WHERE code = ?`)
    .run(core.now(), voucher.code);
  core.move('voucher-expired', voucher.sessionId, voucher.amount, 0, {
    ref: `voucher-expired:${voucher.code}`,
  });
}

function payoutById(core: JournalCore, id: string): Payout | undefined {
  const row = core.db.prepare('SELECT * FROM payouts WHERE id = ?').get(id) as PayoutRow | undefined;
  return row && payoutFromRow(row);
}

interface PayoutRow {
  id: string;
  session_id: string;
  hopper_id: string;
  coin_value: number;
  requested: number;
  count_before: number;
  state: Payout['state'];
  paid: number | null;
}

function payoutFromRow(r: PayoutRow): Payout {
  return {
    id: r.id,
    sessionId: r.session_id,
    hopperId: r.hopper_id,
    coinValue: r.coin_value,
    requested: r.requested,
    countBefore: r.count_before,
    state: r.state,
    paid: r.paid,
  };
}

interface VoucherRow {
  code: string;
  session_id: string;
  amount: number;
  reason: string;
  state: Voucher['state'];
  issued_at: number;
  expires_at: number;
}

function voucherFromRow(r: VoucherRow): Voucher {
  return {
    code: r.code,
    sessionId: r.session_id,
    amount: r.amount,
    reason: r.reason,
    state: r.state,
    issuedAt: r.issued_at,
    expiresAt: r.expires_at,
  };
}
