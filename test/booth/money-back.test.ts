import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SimClock } from '../../core/sim-clock.ts';
import { MoneyBack } from '../../app/booth/money-back.ts';
import { CreditJournal, type UnusedCreditPolicy } from '../../app/money/credit-journal.ts';
import { silentLogger } from '../../app/logging/logger.ts';
import { SimulatedHopper } from '../../hardware/hopper/simulated-hopper.ts';
import { SimulatedReceiptPrinter } from '../../hardware/receipt/simulated-receipt-printer.ts';

let dir: string;
let clock: SimClock;
let journal: CreditJournal;
let hopper: SimulatedHopper;
let printer: SimulatedReceiptPrinter;
let refs = 0;

function insert(amount: number): void {
  journal.recordInserted({
    sessionId: 's1',
    ref: `SIM:${++refs}`,
    deviceId: 'SIM',
    amount,
    currency: 'EUR',
    channel: 'coin',
  });
}

function moneyBack(policy: UnusedCreditPolicy, withHopper = true): MoneyBack {
  return new MoneyBack({
    journal,
    hopper: withHopper ? hopper : null,
    receiptPrinter: printer,
    clock,
    logger: silentLogger(),
    settings: { policy, voucherDays: 30, currency: 'EUR', boothName: 'Test booth' },
  });
}

/** Runs `work` on the simulated clock until it settles. */
async function settle<T>(work: Promise<T>): Promise<T> {
  let done = false;
  const tracked = work.finally(() => (done = true));
  await clock.runUntil(() => done);
  return tracked;
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kiosk-money-back-'));
  clock = new SimClock();
  journal = CreditJournal.open(join(dir, 'journal.sqlite'), clock);
  hopper = new SimulatedHopper({ clock, coinValue: 100, coins: 50, stateFile: join(dir, 'hopper-nv') });
  printer = new SimulatedReceiptPrinter({ clock, printMs: 100 });
  await settle(hopper.open());
  await settle(printer.open());
});

afterEach(async () => {
  await settle(hopper.close());
  journal.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('MoneyBack: refund through the hopper', () => {
  it('pays the credit back in coins and journals exactly what came out', async () => {
    insert(300);
    const back = await settle(moneyBack('refund').settle('s1'));
    expect(back).toMatchObject({ amount: 300, paidOut: 300, voucher: null });
    expect(await settle(hopper.dispensedCount())).toBe(3);
    expect(journal.balance()).toBe(0);
    expect(journal.totals()).toMatchObject({ refunded: 300, payoutsUnsettled: 0, vouchersIssued: 0 });
  });

  it('puts what the hopper cannot pay in its coin on a voucher, printed', async () => {
    insert(350);
    const back = await settle(moneyBack('refund').settle('s1'));
    expect(back).toMatchObject({ amount: 350, paidOut: 300, voucher: { amount: 50, printed: true } });
    expect(printer.vouchers).toMatchObject([{ amount: 50, voucherCode: back.voucher!.code }]);
    expect(journal.voucher(back.voucher!.code)).toMatchObject({ reason: 'payout-short', state: 'issued' });
    expect(journal.totals()).toMatchObject({ refunded: 300, vouchersOutstanding: 50, balance: 0 });
  });

  it('a hopper that runs empty part-way: the coins that came out are refunded, the rest is a voucher', async () => {
    insert(500);
    hopper.injectFault('empty', 2);
    const back = await settle(moneyBack('refund').settle('s1'));
    expect(back.paidOut).toBe(200);
    expect(back.voucher).toMatchObject({ amount: 300 });
    expect(await settle(hopper.dispensedCount())).toBe(2);
    expect(journal.totals()).toMatchObject({ refunded: 200, vouchersOutstanding: 300, balance: 0 });
  });

  it('no hopper: the whole credit is a voucher', async () => {
    insert(200);
    const back = await settle(moneyBack('refund', false).settle('s1'));
    expect(back).toMatchObject({ paidOut: 0, voucher: { amount: 200 } });
  });

  it('a voucher that cannot be printed is still good: the screen shows its code', async () => {
    insert(200);
    printer.injectFault('out-of-paper');
    const back = await settle(moneyBack('voucher').settle('s1'));
    expect(back.voucher).toMatchObject({ amount: 200, printed: false });
    expect(journal.voucher(back.voucher!.code)?.state).toBe('issued');
  });

  it('carry leaves the credit, keep keeps it; no credit, nothing happens', async () => {
    insert(150);
    expect(await settle(moneyBack('carry').settle('s1'))).toMatchObject({ amount: 150, carried: 150 });
    expect(journal.balance()).toBe(150);
    expect(await settle(moneyBack('keep').settle('s1'))).toMatchObject({ amount: 150, kept: 150 });
    expect(journal.balance()).toBe(0);
    expect(await settle(moneyBack('refund').settle('s1'))).toMatchObject({
      amount: 0,
      paidOut: 0,
      voucher: null,
    });
  });
});

describe('MoneyBack: after a crash', () => {
  it("counts a payout the crash cut off by the hopper's own count, and vouchers the rest", async () => {
    insert(500);
    // The crash came after 2 of 5 coins: the journal holds the payout, the hopper its count.
    journal.beginPayout({
      id: 'p1',
      sessionId: 's1',
      hopperId: hopper.deviceId,
      coinValue: 100,
      amount: 500,
      countBefore: 0,
    });
    await settle(hopper.payout(200));
    const after = await settle(moneyBack('refund').settleAfterRestart());
    expect(journal.unsettledPayouts()).toEqual([]);
    expect(after).toMatchObject({ voucher: { amount: 300 } });
    expect(journal.totals()).toMatchObject({ refunded: 200, vouchersOutstanding: 300, balance: 0 });
  });

  it('leaves a payout unsettled when the hopper cannot say how many coins came out', async () => {
    insert(300);
    journal.beginPayout({
      id: 'p1',
      sessionId: 's1',
      hopperId: hopper.deviceId,
      coinValue: 100,
      amount: 300,
      countBefore: 0,
    });
    hopper.injectFault('disconnect');
    await settle(moneyBack('refund').settleAfterRestart());
    expect(journal.unsettledPayouts()).toHaveLength(1);
    // Never paid twice: the money is in neither the credit nor a voucher.
    expect(journal.totals()).toMatchObject({ payoutsUnsettled: 300, vouchersIssued: 0, balance: 0 });
  });
});

describe('MoneyBack: vouchers past their last day', () => {
  it('are journaled as expired between customers, once; what they held stays with the booth', async () => {
    insert(250);
    const back = await settle(moneyBack('voucher').settle('s1'));
    expect(back.voucher).toMatchObject({ amount: 250 });
    expect(moneyBack('voucher').expireDue()).toBe(0);
    // 30 days (the test's voucherDays) and a minute later, by the wall clock.
    clock.jumpWallClock(30 * 86_400_000 + 60_000);
    expect(moneyBack('voucher').expireDue()).toBe(1);
    expect(moneyBack('voucher').expireDue()).toBe(0);
    expect(journal.voucher(back.voucher!.code)).toMatchObject({ state: 'expired' });
    expect(journal.totals()).toMatchObject({ vouchersExpired: 250, vouchersOutstanding: 0, balance: 0 });
  });
});

describe('MoneyBack: a payout still paying', () => {
  it('is not taken for a crash leftover: a recovery meanwhile leaves it to its own count', async () => {
    insert(500);
    const back = moneyBack('refund');
    const paying = back.settle('s1');
    // Coins are dropping (the first is out) when a device check asks for leftovers.
    await clock.runUntil(() => journal.unsettledPayouts().length === 1);
    await clock.runUntil(
      () => hopper.status().ready && journal.unsettledPayouts().length === 1,
      clock.now() + 150,
    );
    expect(await settle(back.recoverPayouts())).toBe(0);
    const done = await settle(paying);
    expect(done).toMatchObject({ paidOut: 500, voucher: null });
    expect(await settle(hopper.dispensedCount())).toBe(5);
    expect(journal.totals()).toMatchObject({ refunded: 500, payoutsUnsettled: 0, balance: 0 });
  });
});

describe('MoneyBack: redeeming', () => {
  it('takes a voucher typed loosely (lower case, O for 0, no dash) once', async () => {
    insert(200);
    const code = (await settle(moneyBack('voucher').settle('s1'))).voucher!.code;
    const typed = code.toLowerCase().replace('-', '').replaceAll('0', 'o');
    const desk = moneyBack('voucher');
    expect(desk.redeem(typed, 's2')).toEqual({ amount: 200, credit: 200 });
    expect(() => desk.redeem(code, 's3')).toThrow(expect.objectContaining({ code: 'voucher-redeemed' }));
  });

  it('rests the pad after five wrong codes, even for a right one, then takes codes again', async () => {
    insert(200);
    const code = (await settle(moneyBack('voucher').settle('s1'))).voucher!.code;
    const desk = moneyBack('voucher');
    for (let i = 0; i < 5; i++)
      expect(() => desk.redeem(`ZZZZZ-ZZZZ${i}`, 's2')).toThrow(
        expect.objectContaining({ code: 'voucher-unknown' }),
      );
    expect(() => desk.redeem(code, 's2')).toThrow(expect.objectContaining({ code: 'voucher-locked' }));
    await clock.advance(5 * 60_000);
    expect(desk.redeem(code, 's2').amount).toBe(200);
  });
});
