import type { Clock, TimerHandle } from '../../core/clock.ts';
import type { PaymentDevice, PaymentEvent } from '../../hardware/payment/payment-port.ts';
import type { SessionEvent } from '../../flows/session/events.ts';
import type { CreditJournal, CreditWritten } from '../money/credit-journal.ts';
import type { Logger } from '../logging/logger.ts';
import { crashPoint } from '../../core/crash-point.ts';

type Credit = Extract<PaymentEvent, { type: 'credit' }>;
/**
 * A credit with the session that was open when the coin dropped (a retry may come later), and
 * whether it came in during the operator's payment test.
 */
type HeldCredit = Credit & { sessionId: string; test: boolean };

/** What the device took (or recognised) during the operator's payment test. */
export interface TestTake {
  channel: 'coin' | 'bill';
  amount: number;
  /** A note is recognised in escrow and given back; a coin cannot be, so it stays in the box. */
  kept: boolean;
}

/**
 * Stands between the payment device and the session flow. Every credit is written to the
 * journal (and synced) before the flow hears of it; a credit the journal could not take (disk
 * full) is held and retried, and the flow is told to stop taking money meanwhile, so a coin in
 * the cash box is never lost. Credits arriving between sessions are journaled all the same.
 */
export class CashDesk {
  readonly #unheld: HeldCredit[] = [];
  #retry: TimerHandle | undefined;
  #unsubscribe: (() => void)[] = [];
  /** Set while the operator's payment test runs: what the device takes goes here, not to the flow. */
  #test: ((take: TestTake) => void) | null = null;

  constructor(
    private readonly deps: {
      device: PaymentDevice;
      journal: CreditJournal;
      clock: Clock;
      logger: Logger;
      /** The session the money belongs to, if one is open. */
      currentSession: () => string | null;
      /** Where the flow's events go (the running session actor). */
      tell: (event: SessionEvent) => void;
      retryMs?: number;
    },
  ) {}

  start(): void {
    const { device } = this.deps;
    this.#unsubscribe.push(
      device.onEvent((event) => this.#onDeviceEvent(event)),
      device.onStatus((status) => {
        if (!status.ready) this.deps.tell({ type: 'PAYMENT_FAULT', code: status.reasons[0] ?? 'not-ready' });
      }),
    );
    // Credits still held from before a stop() get another try (and their retry timer back).
    if (this.#unheld.length > 0) this.#journalPending();
  }

  stop(): void {
    for (const off of this.#unsubscribe.splice(0)) off();
    if (this.#retry) this.deps.clock.clearTimeout(this.#retry);
    this.#retry = undefined;
    if (this.#unheld.length === 0) return;
    // One last try; money the journal still cannot take is in the cash box but not in the
    // books, so each such credit is logged as an error for staff to reconcile, never dropped quietly.
    this.#journalPending({ retry: false });
    for (const credit of this.#unheld) {
      this.deps.logger.error(
        { ref: credit.ref, amount: credit.amount, currency: credit.currency, channel: credit.channel },
        'credit taken by the device but not journaled at stop; reconcile with the cash box',
      );
    }
  }

  /**
   * The operator's payment test: until the returned function is called, a coin the device takes
   * is journaled as a test coin (in the cash box, nobody's credit) and told to `listener`, and a
   * note in escrow is given back and told. The flow hears of neither.
   */
  beginTest(listener: (take: TestTake) => void): () => void {
    this.#test = listener;
    return () => {
      if (this.#test === listener) this.#test = null;
    };
  }

  /** Credits the journal has not taken yet (normally none). */
  get pendingCredits(): number {
    return this.#unheld.length;
  }

  #onDeviceEvent(event: PaymentEvent): void {
    const { logger, tell } = this.deps;
    switch (event.type) {
      case 'credit':
        if (!Number.isSafeInteger(event.amount) || event.amount <= 0) {
          // An adapter bug, not money: holding it would block every good credit behind it.
          logger.error(
            { amount: event.amount, channel: event.channel },
            'credit with an invalid amount ignored',
          );
          tell({ type: 'PAYMENT_FAULT', code: 'invalid-credit' });
          return;
        }
        this.#unheld.push(
          this.#test
            ? { ...event, sessionId: 'payment-test', test: true }
            : { ...event, sessionId: this.deps.currentSession() ?? 'between-sessions', test: false },
        );
        this.#journalPending();
        return;
      case 'escrow':
        if (this.#test) {
          const told = this.#test;
          // A test note is only looked at: it goes back to whoever put it in.
          this.deps.device.returnEscrow(event.ref).then(
            () => told({ channel: 'bill', amount: event.amount, kept: false }),
            (error: unknown) => logger.warn({ err: error }, 'payment test: the note could not be given back'),
          );
          return;
        }
        tell({ type: 'ESCROW', ref: event.ref, amount: event.amount });
        return;
      case 'returned':
        logger.info({ amount: event.amount }, 'note returned from escrow');
        if (!this.#test) tell({ type: 'ESCROW_RETURNED', ref: event.ref });
        return;
      case 'rejected':
        logger.info({ reason: event.reason }, 'payment rejected');
        return;
      case 'fault':
        logger.warn({ code: event.code, detail: event.message }, 'payment device fault');
        return;
    }
  }

  #journalPending(options: { retry: boolean } = { retry: true }): void {
    const { journal, logger, tell, device } = this.deps;
    while (this.#unheld.length > 0) {
      const credit = this.#unheld[0]!;
      let written: CreditWritten;
      try {
        // The device's event counter goes into the same transaction as the credit: after a
        // crash the adapter reads it back and neither loses nor repeats this credit.
        written = journal.recordInserted(
          {
            sessionId: credit.sessionId,
            ref: credit.ref,
            deviceId: credit.source?.deviceId ?? device.deviceId,
            amount: credit.amount,
            currency: credit.currency,
            channel: credit.channel,
          },
          { eventCounter: credit.source?.eventCounter, test: credit.test },
        );
      } catch (error) {
        logger.error(
          { err: error, pending: this.#unheld.length },
          'credit journal write failed; holding the credit',
        );
        tell({ type: 'PAYMENT_FAULT', code: 'journal-unwritable' });
        if (!options.retry) return;
        this.#retry ??= this.deps.clock.setTimeout(() => {
          this.#retry = undefined;
          this.#journalPending();
        }, this.deps.retryMs ?? 5_000);
        return;
      }
      this.#unheld.shift();
      if (written.recorded) crashPoint('after-credit');
      // Outside the try: the credit is safely written, whatever the flow does with the news.
      if (written.recorded && credit.test) {
        logger.info(
          { amount: credit.amount, channel: credit.channel },
          'payment test: coin journaled, not credited',
        );
        this.#test?.({ channel: credit.channel, amount: credit.amount, kept: true });
      } else if (written.recorded) {
        logger.info(
          { amount: credit.amount, channel: credit.channel, balance: written.balance },
          'credit journaled',
        );
        tell({ type: 'CREDIT', amount: credit.amount, balance: written.balance });
      } else if (written.conflict) {
        logger.error(
          {
            amount: credit.amount,
            channel: credit.channel,
            journaled: written.conflict.amount,
            deviceId: credit.source?.deviceId ?? device.deviceId,
            journaledDeviceId: written.conflict.deviceId,
          },
          'a credit came under a ref already journaled for other money: not credited, reconcile the cash box',
        );
        tell({ type: 'PAYMENT_FAULT', code: 'ref-conflict' });
      } else {
        logger.warn({ channel: credit.channel }, 'duplicate credit ignored');
      }
    }
  }
}
