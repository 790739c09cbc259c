import type { Clock } from '../../core/clock.ts';
import type { SeededRandom } from '../../hardware/sim/seeded-random.ts';
import type { Booth } from '../booth/booth.ts';
import type { MoneySlot } from './scripted-customers.ts';

/**
 * What a campaign customer does. Between them they pass every crash point of a paid session:
 * `complete` pays more than the price (a leftover to pay back: a payout, and a voucher for what
 * the hopper cannot pay in its coin), `cancel` pays, orders and then cancels in the pose (the
 * order is reversed in ending), `redeem` types the last voucher's code, pays the rest and prints.
 */
export type CampaignVisit = 'complete' | 'cancel' | 'redeem';

/** The visits of one campaign run, in order. */
export const campaignVisits: readonly CampaignVisit[] = ['complete', 'cancel', 'redeem', 'complete'];

/**
 * Customers who go straight through, one visit after another, acting only on the screen (booth
 * events) and the payment device (coins into the acceptor). Deterministic but for the seed's
 * choice of coins, so a crash point is reached at the same step every run of a seed.
 */
export class CampaignCustomers {
  #visit = -1;
  #state = '';
  #lastVoucher: string | null = null;
  #redeemed = false;
  readonly #unsubscribe: () => void;

  constructor(
    private readonly o: {
      booth: Booth;
      money: MoneySlot;
      clock: Clock;
      random: SeededRandom;
      visits: readonly CampaignVisit[];
      documentId: string;
      productId: string;
      price: number;
      coins: readonly number[];
    },
  ) {
    this.#unsubscribe = o.booth.onChange((view) => {
      // Each coin keeps the payment screen where it is: the credit says it was taken.
      const key = `${view.state}#${view.session?.context.credit ?? 0}`;
      if (key === this.#state) return;
      this.#state = key;
      const voucher = view.session?.context.handedBack?.voucher;
      if (voucher) this.#lastVoucher = voucher.code;
      this.#act(view.state);
    });
  }

  /** Visits that have begun (a customer touched the screen). */
  get started(): number {
    return this.#visit + 1;
  }

  stop(): void {
    this.#unsubscribe();
  }

  get #kind(): CampaignVisit | undefined {
    return this.o.visits[this.#visit];
  }

  #soon(fn: () => void, ms = 1_000): void {
    const state = this.#state;
    this.o.clock.setTimeout(() => {
      if (this.#state === state) fn();
    }, ms);
  }

  #act(state: string): void {
    const { booth } = this.o;
    switch (state) {
      case 'attract.idle':
        if (this.#visit + 1 >= this.o.visits.length) return;
        this.#soon(() => {
          this.#visit++;
          this.#redeemed = false;
          booth.send({ type: 'TOUCH' });
        });
        return;
      case 'customer.language':
        this.#soon(() => booth.send({ type: 'SELECT_LANGUAGE', language: 'en' }));
        return;
      case 'customer.consent':
        this.#soon(() => booth.send({ type: 'ACCEPT_CONSENT' }));
        return;
      case 'customer.choose':
        this.#soon(() =>
          booth.send({ type: 'CHOOSE', documentId: this.o.documentId, productId: this.o.productId }),
        );
        return;
      case 'customer.payment.waiting':
        if (this.#kind === 'redeem' && this.#lastVoucher && !this.#redeemed) {
          this.#redeemed = true;
          const code = this.#lastVoucher;
          this.#soon(() => booth.send({ type: 'REDEEM_VOUCHER', code }));
          return;
        }
        this.#soon(() => this.#insertOne(), 1_500);
        return;
      case 'customer.shooting.pose':
        // The one who cancels does so once the order is paid and the camera is on.
        if (this.#kind === 'cancel') this.#soon(() => booth.send({ type: 'CANCEL' }), 500);
        return;
      case 'confirmCancel':
        this.#soon(() => booth.send({ type: 'CANCEL' }));
        return;
      case 'customer.review':
        this.#soon(() => booth.send({ type: 'ACCEPT_PHOTO' }));
        return;
      case 'thankYou':
      case 'printOwed':
      case 'moneyBack':
        this.#soon(() => booth.send({ type: 'FINISH' }), 2_000);
        return;
    }
  }

  /**
   * One coin at a time: the payment screen comes back to `waiting` after each coin until the
   * price is covered. The campaign's price is not a sum of its coins, so the last coin always
   * leaves something over for the booth to give back.
   */
  #insertOne(): void {
    const { coins, random } = this.o;
    this.o.money.insertCoin(coins[random.int(0, coins.length - 1)]!);
  }
}
