import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SimClock } from '../../core/sim-clock.ts';
import { MoneyBack } from '../../app/booth/money-back.ts';
import { CreditJournal } from '../../app/money/credit-journal.ts';
import { silentLogger } from '../../app/logging/logger.ts';
import type { AuditInput } from '../../app/operator/operator-audit.ts';
import { OwedDesk, type OwedQueueRun } from '../../app/operator/owed-desk.ts';
import { OperatorError } from '../../app/operator/operator-error.ts';
import { SimulatedHopper } from '../../hardware/hopper/simulated-hopper.ts';
import { SimulatedReceiptPrinter } from '../../hardware/receipt/simulated-receipt-printer.ts';

let dir: string;
let clock: SimClock;
let journal: CreditJournal;
let hopper: SimulatedHopper;
let printer: SimulatedReceiptPrinter;
let audit: AuditInput[];
let idle: boolean;
let queueRun: OwedQueueRun | null;
let refs = 0;

async function settle<T>(work: Promise<T>): Promise<T> {
  let done = false;
  const tracked = work.finally(() => (done = true));
  await clock.runUntil(() => done);
  return tracked;
}

function desk(): OwedDesk {
  const moneyBack = new MoneyBack({
    journal,
    hopper,
    receiptPrinter: printer,
    clock,
    logger: silentLogger(),
    settings: { policy: 'carry', voucherDays: 30, currency: 'EUR', boothName: 'Test booth' },
  });
  return new OwedDesk({
    journal,
    audit: (entry) => audit.push(entry),
    betweenCustomers: () => idle,
    deliverNow: async () => queueRun,
    handBack: (input) => moneyBack.handBack(input),
  });
}

/** A customer paid `price` and the printer failed: the order's one sheet is owed. */
function owed(price: number): string {
  const orderId = `order-${++refs}`;
  const sessionId = `session-${refs}`;
  journal.recordInserted({
    sessionId,
    ref: `SIM:${refs}`,
    deviceId: 'SIM',
    amount: price,
    currency: 'EUR',
    channel: 'coin',
  });
  journal.placeOrder({ sessionId, orderId, productId: 'photos-4', price });
  journal.owePrints({
    orderId,
    sessionId,
    sheetIds: ['sheet-a'],
    copies: 2,
    media: '4x6',
    reason: 'media-jam',
  });
  return orderId;
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'owed-desk-'));
  clock = new SimClock();
  journal = CreditJournal.open(join(dir, 'journal.sqlite'), clock);
  hopper = new SimulatedHopper({ clock, coinValue: 200, coins: 50, stateFile: join(dir, 'hopper-nv') });
  printer = new SimulatedReceiptPrinter({ clock, printMs: 100 });
  await settle(hopper.open());
  await settle(printer.open());
  audit = [];
  idle = true;
  queueRun = null;
});
afterEach(async () => {
  await settle(hopper.close());
  journal.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('OwedDesk', () => {
  it('lists owed prints by order, with neither session id nor receipt code', () => {
    const order = owed(800);
    journal.owedAttemptFailed(order, 'offline');
    const rows = desk().list();
    expect(rows).toEqual([
      {
        orderId: order,
        state: 'owed',
        since: expect.any(Number),
        sheetsLeft: 2,
        attempts: 1,
        lastError: 'offline',
        price: 800,
      },
    ]);
    expect(JSON.stringify(rows)).not.toContain('session-');
  });

  it('refuses to give up while a customer is at the booth, and an order that is not owed', async () => {
    const order = owed(800);
    idle = false;
    await expect(desk().giveUp({ orderId: order, as: 'voucher', role: 'operator' })).rejects.toMatchObject({
      code: 'customer-at-booth',
    });
    idle = true;
    await expect(
      desk().giveUp({ orderId: 'order-x', as: 'voucher', role: 'operator' }),
    ).rejects.toBeInstanceOf(OperatorError);
    // Nothing moved.
    expect(journal.owedPrints()).toHaveLength(1);
    expect(journal.totals()).toMatchObject({ owed: 800, reversed: 0, vouchersIssued: 0 });
    expect(audit).toEqual([]);
  });

  it('a refund pays only the order\u2019s price in coins, the rest on a voucher, and leaves carried credit alone', async () => {
    const order = owed(900);
    // 300 carried for the next customer (money.unusedCredit: carry) sits in the credit.
    journal.recordInserted({
      sessionId: 'walked-off',
      ref: 'SIM:carry',
      deviceId: 'SIM',
      amount: 300,
      currency: 'EUR',
      channel: 'coin',
    });
    const back = await settle(desk().giveUp({ orderId: order, as: 'refund', role: 'technician' }));
    // Four 2 € coins, and 1 € the hopper cannot pay in its coin as a printed voucher.
    expect(back).toMatchObject({ price: 900, paidOut: 800, voucher: { amount: 100, printed: true } });
    expect(printer.vouchers.at(-1)).toMatchObject({ amount: 100 });
    expect(await settle(hopper.dispensedCount())).toBe(4);
    expect(journal.balance()).toBe(300);
    expect(journal.totals()).toMatchObject({
      owed: 0,
      reversed: 900,
      refunded: 800,
      vouchersOutstanding: 100,
    });
    expect(desk().list()).toEqual([]);
    expect(audit).toEqual([
      {
        role: 'technician',
        action: 'owed-print-given-up',
        subject: order,
        before: 900,
        after: { as: 'refund', paidOut: 800, voucher: 100 },
      },
    ]);
    // Given up once: a second time finds nothing owed.
    await expect(desk().giveUp({ orderId: order, as: 'refund', role: 'technician' })).rejects.toMatchObject({
      code: 'owed-not-found',
    });
  });

  it('settles an order the booth itself gave up on (its sheets were wiped)', async () => {
    const order = owed(800);
    journal.owedPrintGivenUp(order, 'sheet-unreadable:not-found');
    expect(journal.owedPrints()).toEqual([]);
    expect(desk().list()).toMatchObject([
      { orderId: order, state: 'given-up', lastError: 'sheet-unreadable:not-found' },
    ]);
    await expect(desk().retry({ orderId: order, role: 'operator' })).rejects.toMatchObject({
      code: 'owed-not-found',
    });
    const back = await settle(desk().giveUp({ orderId: order, as: 'voucher', role: 'operator' }));
    expect(back).toMatchObject({ price: 800, paidOut: 0, voucher: { amount: 800 } });
    expect(journal.totals()).toMatchObject({ owed: 0, reversed: 800, vouchersOutstanding: 800, balance: 0 });
    expect(desk().list()).toEqual([]);
  });

  it('retry says what the queue did, and why nothing printed when it could not run', async () => {
    const order = owed(800);
    queueRun = null;
    expect(await desk().retry({ orderId: order, role: 'operator' })).toMatchObject({
      delivered: false,
      sheetsPrinted: 0,
      stoppedBy: 'printer-not-ready-or-customer-at-booth',
      left: { orderId: order, state: 'owed' },
    });
    // The queue printed it (here: as the journal sees it) in its run.
    journal.owedSheetPrinted(order, 'sheet-a');
    queueRun = { delivered: 1, sheets: 1, stoppedBy: null };
    expect(
      await desk()
        .retry({ orderId: 'order-x', role: 'operator' })
        .catch((e: OperatorError) => e.code),
    ).toBe('owed-not-found');
    expect(audit.map((a) => [a.action, a.after])).toEqual([
      ['owed-print-retried', 'printer-not-ready-or-customer-at-booth'],
    ]);
  });
});
