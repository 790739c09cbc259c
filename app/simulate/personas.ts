import type { SeededRandom } from '../../hardware/sim/seeded-random.ts';
import { offeredProducts, type BoothConfig } from '../../config/schema.ts';

/** A scripted customer: what they choose and how they behave on the way. */
export interface Persona {
  language: string;
  documentId: string;
  productId: string;
  declinesConsent: boolean;
  /** Where they give up and leave without a word (the booth notices by inactivity). */
  walksAwayAt: 'language' | 'choose' | 'payment' | 'review' | null;
  /** Presses cancel during payment after a coin or two. */
  cancelsInPayment: boolean;
  /** Retakes they ask for even when the photo passed. */
  retakes: number;
  /** Lingers on the choose screen until "are you still there?", then carries on. */
  lingers: boolean;
  /** Coins and notes they will insert, in order (may add up to more than the price). */
  money: { kind: 'coin' | 'bill'; value: number }[];
}

export function drawPersona(random: SeededRandom, config: BoothConfig): Persona {
  // What the booth offers now: a digital file only where mail can deliver it.
  const product = random.pick(offeredProducts(config));
  const roll = random.next();
  const walksAwayAt =
    roll < 0.03
      ? 'language'
      : roll < 0.06
        ? 'choose'
        : roll < 0.12
          ? 'payment'
          : roll < 0.15
            ? 'review'
            : null;
  return {
    language: random.pick(config.languages.enabled),
    documentId: random.pick(config.documents),
    productId: product.id,
    declinesConsent: random.chance(0.08),
    walksAwayAt,
    cancelsInPayment: walksAwayAt === null && random.chance(0.04),
    retakes: random.chance(0.25) ? (random.chance(0.2) ? 2 : 1) : 0,
    lingers: random.chance(0.08),
    money: planMoney(random, product.price, config.money.coins, config.money.bills),
  };
}

/** Coins (and sometimes a note) adding up to at least the price, as people really pay. */
function planMoney(random: SeededRandom, price: number, coins: number[], bills: number[]): Persona['money'] {
  const money: Persona['money'] = [];
  let sum = 0;
  const usableBills = bills.filter((b) => b <= price * 2);
  if (usableBills.length > 0 && random.chance(0.3)) {
    const bill = random.pick(usableBills);
    money.push({ kind: 'bill', value: bill });
    sum += bill;
  }
  const bigCoins = [...coins].sort((a, b) => b - a).slice(0, 3);
  while (sum < price && coins.length > 0) {
    const coin = random.chance(0.8) ? random.pick(bigCoins) : random.pick(coins);
    money.push({ kind: 'coin', value: coin });
    sum += coin;
  }
  return money;
}
