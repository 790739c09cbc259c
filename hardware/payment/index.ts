import { z } from 'zod';
import type { Clock } from '../../core/clock.ts';
import type { PaymentDevice } from './payment-port.ts';
import { SimulatedPaymentDevice } from './simulated-payment-device.ts';
import { ccTalkPaymentSchema } from './cctalk/cctalk-config.ts';
import { createCcTalkPayment } from './cctalk/adapter/cctalk-payment-device.ts';
import type { EventCounterStore } from './payment-port.ts';

export { checkCcTalkAgainstMoney } from './cctalk/cctalk-config.ts';

/** `hardware.payment`: what takes the customer's coins and notes. */
export const paymentConfigSchema = z
  .discriminatedUnion('adapter', [
    z.strictObject({ adapter: z.literal('simulated'), seed: z.number().int().optional() }),
    // A ccTalk coin acceptor and/or bill validator on a serial port (or the built-in emulators).
    ccTalkPaymentSchema,
  ])
  .default({ adapter: 'simulated' });

export type PaymentConfig = z.infer<typeof paymentConfigSchema>;

export interface PaymentDeps {
  clock: Clock;
  currency: string;
  /** Coin and note values the booth takes, minor units (the simulator offers these). */
  coins: readonly number[];
  bills: readonly number[];
  seed: number;
  /**
   * Where payment devices keep their last event counter per device (the credit journal). The
   * ccTalk adapter needs it; the simulator keeps its epoch there. So a restart neither loses
   * nor doubles credit.
   */
  counters?: EventCounterStore;
}

/** The payment device a config names, not yet opened (a ccTalk line opens at its first command). */
export function createPaymentDevice(config: PaymentConfig, deps: PaymentDeps): PaymentDevice {
  if (config.adapter === 'simulated') return createSimulatedPayment(deps);
  if (!deps.counters)
    throw new Error('hardware.payment "cctalk" needs the credit journal to keep its event counters');
  return createCcTalkPayment(config, { clock: deps.clock, currency: deps.currency, counters: deps.counters });
}

export function createSimulatedPayment(deps: PaymentDeps): SimulatedPaymentDevice {
  return new SimulatedPaymentDevice({
    clock: deps.clock,
    seed: deps.seed,
    currency: deps.currency,
    coins: deps.coins,
    bills: deps.bills,
    counters: deps.counters,
  });
}
