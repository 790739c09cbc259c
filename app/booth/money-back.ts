import { randomUUID } from 'node:crypto';
import type { Clock } from '../../core/clock.ts';
import { newReceiptCode, parseReceiptCode } from '../../core/receipt-code.ts';
import { JournalError } from '../money/journal-records.ts';
import { BoothServiceError } from './booth-service-error.ts';
import type { CoinHopper } from '../../hardware/hopper/hopper-port.ts';
import type { ReceiptPrinter } from '../../hardware/receipt/receipt-printer-port.ts';
import type { CreditJournal, UnusedCreditPolicy, Voucher } from '../money/credit-journal.ts';
import type { Logger } from '../logging/logger.ts';
import { errorCode } from '../../core/errors.ts';
import { crashPoint } from '../../core/crash-point.ts';
import type { MoneyHandedBack } from '../../flows/session/services.ts';

export type { MoneyHandedBack };

const dayMs = 24 * 60 * 60_000;
/**
 * Wrong voucher codes allowed in a row before the pad rests: a code has 50 random bits, so
 * guessing is hopeless anyway, but a rest makes trying from the screen pointless too.
 */
const wrongCodesBeforeRest = 5;
const restMs = 5 * 60_000;

export interface MoneyBackDeps {
  journal: CreditJournal;
  hopper: CoinHopper | null;
  receiptPrinter: ReceiptPrinter | null;
  clock: Clock;
  logger: Logger;
  settings: { policy: UnusedCreditPolicy; voucherDays: number; currency: string; boothName: string };
}

/**
 * Gives a customer back the credit their session leaves, per the unit's policy. Every step is
 * journaled before the next starts (payout asked, coins counted, voucher issued), so a crash at
 * any point leaves the journal saying where the money is; `recoverPayouts` finishes the count.
 */
export class MoneyBack {
  #wrongCodes = 0;
  #restUntil = 0;
  /** Payouts whose coins are dropping now, in this process: not a crash leftover to count. */
  readonly #paying = new Set<string>();

  constructor(private readonly deps: MoneyBackDeps) {}

  /**
   * A voucher typed on the payment screen becomes this session's credit, once. What was typed
   * is normalised (case, O for 0, the dash); the code itself is never logged, it is money.
   */
  redeem(typed: string, sessionId: string): { amount: number; credit: number } {
    const { journal, clock, logger } = this.deps;
    if (clock.now() < this.#restUntil)
      throw new BoothServiceError(
        'voucher-locked',
        'too many wrong voucher codes; try again in a few minutes',
      );
    const code = parseReceiptCode(typed);
    try {
      if (!code) throw new JournalError('voucher-unknown', 'that is not the shape of a voucher code');
      const { voucher, balance } = journal.redeemVoucher(code, sessionId);
      crashPoint('during-redeem');
      this.#wrongCodes = 0;
      logger.info({ sessionId, amount: voucher.amount }, 'voucher redeemed');
      return { amount: voucher.amount, credit: balance };
    } catch (error) {
      if (
        error instanceof JournalError &&
        error.code === 'voucher-unknown' &&
        ++this.#wrongCodes >= wrongCodesBeforeRest
      ) {
        this.#wrongCodes = 0;
        this.#restUntil = clock.now() + restMs;
        logger.warn({ sessionId }, 'voucher pad resting after repeated wrong codes');
      }
      logger.info({ sessionId, code: errorCode(error) }, 'voucher refused');
      throw error;
    }
  }

  /**
   * At start, after a crash: payouts it cut off are counted, then credit it left behind is
   * settled as that session's ending would have (a voucher where the unit refunds: the slip comes
   * out for the customer who saw the booth restart); under `carry` it waits for the next customer.
   */
  async settleAfterRestart(): Promise<MoneyHandedBack | null> {
    const { journal, settings } = this.deps;
    this.expireDue();
    await this.recoverPayouts();
    if (settings.policy === 'carry' || journal.balance() <= 0) return null;
    if (settings.policy === 'keep') {
      const amount = journal.settleUnused({ sessionId: 'restart', policy: 'keep' }).amount;
      return { amount, policy: 'keep', paidOut: 0, voucher: null, carried: 0, kept: amount };
    }
    const amount = journal.balance();
    const voucher = await this.#voucher('restart', amount, 'restart');
    return { amount, policy: settings.policy, paidOut: 0, voucher, carried: 0, kept: 0 };
  }

  /**
   * Journals the vouchers past their last day as expired (at start, and between customers: the
   * takings must not count them as owed for ever). Returns how many.
   */
  expireDue(): number {
    const expired = this.deps.journal.expireVouchers();
    if (expired.length > 0)
      this.deps.logger.info({ vouchers: expired.length }, 'vouchers past their last day expired');
    return expired.length;
  }

  async settle(sessionId: string): Promise<MoneyHandedBack> {
    const { journal, settings } = this.deps;
    const amount = journal.balance();
    const result: MoneyHandedBack = {
      amount,
      policy: settings.policy,
      paidOut: 0,
      voucher: null,
      carried: 0,
      kept: 0,
    };
    if (amount <= 0) return result;
    if (settings.policy === 'carry' || settings.policy === 'keep') {
      journal.settleUnused({ sessionId, policy: settings.policy });
      return settings.policy === 'carry' ? { ...result, carried: amount } : { ...result, kept: amount };
    }
    if (settings.policy === 'refund') result.paidOut = await this.#payOut(sessionId);
    const rest = journal.balance();
    if (rest > 0)
      result.voucher = await this.#voucher(
        sessionId,
        rest,
        settings.policy === 'refund' ? 'payout-short' : 'policy',
      );
    return result;
  }

  /**
   * Hands `amount` of the credit back to someone who is not in a session (staff giving up an owed
   * print): `refund` pays what the hopper can in its coin and vouchers the rest, `voucher` vouchers
   * it all, with its slip, as a session's ending would. Credit beyond `amount` (carried for the
   * next customer) is left where it is.
   */
  async handBack(input: {
    sessionId: string;
    amount: number;
    as: 'refund' | 'voucher';
    reason: string;
  }): Promise<{ paidOut: number; voucher: MoneyHandedBack['voucher'] }> {
    const paidOut = input.as === 'refund' ? await this.#payOut(input.sessionId, input.amount) : 0;
    const rest = input.amount - paidOut;
    const voucher = rest > 0 ? await this.#voucher(input.sessionId, rest, input.reason) : null;
    return { paidOut, voucher };
  }

  /**
   * Payouts a crash cut off: the hopper's lifetime count says how many coins came out. Run at
   * start, before any credit is handled. A hopper that cannot answer leaves them unsettled (the
   * money is in neither the credit nor the refunds) for staff: never guessed, never paid twice.
   */
  async recoverPayouts(): Promise<number> {
    const { journal, hopper, logger } = this.deps;
    let settled = 0;
    for (const payout of journal.unsettledPayouts()) {
      // Coins of this one are still dropping: its own payout settles it when the hopper is done.
      if (this.#paying.has(payout.id)) continue;
      if (!hopper || hopper.deviceId !== payout.hopperId) {
        logger.error(
          { payoutId: payout.id, hopperId: payout.hopperId },
          'payout from before a restart: its hopper is not here to count it',
        );
        continue;
      }
      let count: number;
      try {
        count = await hopper.dispensedCount();
      } catch (error) {
        logger.error(
          { payoutId: payout.id, code: errorCode(error) },
          'payout from before a restart: the hopper cannot say how many coins came out',
        );
        continue;
      }
      const paid = Math.max(0, count - payout.countBefore) * payout.coinValue;
      const done = journal.settlePayout(payout.id, paid, paid < payout.requested ? 'restart' : null);
      logger.warn(
        { payoutId: payout.id, requested: payout.requested, paid: done.paid },
        'payout cut off by a restart counted',
      );
      settled++;
    }
    return settled;
  }

  /** Pays what the hopper can in its coin, up to `upTo`; returns what came out. */
  async #payOut(sessionId: string, upTo = Number.POSITIVE_INFINITY): Promise<number> {
    const { journal, hopper, logger } = this.deps;
    if (!hopper || !hopper.status().ready) return 0;
    const payable = Math.floor(Math.min(journal.balance(), upTo) / hopper.coinValue) * hopper.coinValue;
    if (payable <= 0) return 0;
    let countBefore: number;
    try {
      countBefore = await hopper.dispensedCount();
    } catch (error) {
      logger.warn({ code: errorCode(error) }, 'hopper did not answer before a payout: a voucher instead');
      return 0;
    }
    const id = randomUUID();
    journal.beginPayout({
      id,
      sessionId,
      hopperId: hopper.deviceId,
      coinValue: hopper.coinValue,
      amount: payable,
      countBefore,
    });
    let paid: number;
    let fault: string | null = null;
    this.#paying.add(id);
    try {
      const paying = hopper.payout(payable);
      // The kill may land while coins drop: a coin's time in, whatever the hopper's pace.
      const cut = this.deps.clock.setTimeout(() => crashPoint('during-payout'), 30);
      const out = await paying.finally(() => this.deps.clock.clearTimeout(cut));
      paid = out.paid;
      fault = out.fault ?? null;
    } catch (error) {
      // It could not start: the count still says whether any coin moved.
      fault = errorCode(error) ?? 'payout-failed';
      paid = await this.#countSince(countBefore, hopper).catch(() => 0);
    } finally {
      // Unsettled past here (the settle failing on a full disk): recoverPayouts counts it.
      this.#paying.delete(id);
    }
    const done = journal.settlePayout(id, paid, fault);
    (fault ? logger.warn : logger.info).call(
      logger,
      { sessionId, requested: payable, paid: done.paid, fault },
      'payout',
    );
    return done.paid ?? 0;
  }

  async #countSince(countBefore: number, hopper: CoinHopper): Promise<number> {
    return Math.max(0, (await hopper.dispensedCount()) - countBefore) * hopper.coinValue;
  }

  async #voucher(sessionId: string, amount: number, reason: string): Promise<MoneyHandedBack['voucher']> {
    const { journal, clock, settings, receiptPrinter, logger } = this.deps;
    const issued: Voucher = journal.issueVoucher({
      code: newReceiptCode(),
      sessionId,
      amount,
      reason,
      expiresAt: clock.now() + settings.voucherDays * dayMs,
    });
    crashPoint('after-voucher-issued');
    let printed = false;
    if (receiptPrinter) {
      try {
        await receiptPrinter.printVoucher({
          boothName: settings.boothName,
          at: new Date(issued.issuedAt),
          amount,
          currency: settings.currency,
          voucherCode: issued.code,
          validUntil: new Date(issued.expiresAt),
        });
        printed = true;
      } catch (error) {
        // The code is on the screen as well: the voucher is good whether or not the paper came out.
        logger.warn({ code: errorCode(error) }, 'voucher could not be printed; shown on screen only');
      }
    }
    logger.info({ sessionId, amount, reason, printed }, 'voucher issued');
    return { code: issued.code, amount, expiresAt: issued.expiresAt, printed };
  }
}
