import type { Clock } from '../../core/clock.ts';
import type { PaymentDevice } from '../../hardware/payment/payment-port.ts';
import type { CashDesk, TestTake } from './cash-desk.ts';

/** What the operator's payment test saw: each coin kept (journaled as a test coin) and note given back. */
export interface PaymentTestResult {
  takes: TestTake[];
}

/**
 * The operator's payment test: acceptance on until the first coin or note (or `waitMs`), then
 * off. The cash desk journals a test coin as `test-inserted` (it is in the cash box, and the
 * cash book counts it there) and credits nobody; a note is recognised in escrow and given back.
 * After acceptance goes off the test still listens for `graceMs`: a coin already on its way
 * down is reported with the test, not credited to the next customer.
 */
export async function runPaymentTest(parts: {
  cashDesk: Pick<CashDesk, 'beginTest'>;
  payment: Pick<PaymentDevice, 'setAcceptance'>;
  clock: Pick<Clock, 'setTimeout' | 'clearTimeout' | 'sleep'>;
  waitMs: number;
  graceMs: number;
}): Promise<PaymentTestResult> {
  const { cashDesk, payment, clock } = parts;
  const takes: TestTake[] = [];
  let first: () => void = () => {};
  const firstTake = new Promise<void>((resolve) => (first = resolve));
  const end = cashDesk.beginTest((take) => {
    takes.push(take);
    first();
  });
  try {
    await payment.setAcceptance(true);
    try {
      const timer = clock.setTimeout(first, parts.waitMs);
      await firstTake;
      clock.clearTimeout(timer);
    } finally {
      await payment.setAcceptance(false);
    }
    await clock.sleep(parts.graceMs);
  } finally {
    end();
  }
  return { takes };
}
