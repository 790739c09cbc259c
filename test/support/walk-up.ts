/** A customer at a real Booth (simulated payment): walks up, consents, chooses and pays by coin. */
import { expect } from 'vitest';
import type { Booth } from '../../app/booth/booth.ts';
import type { SimulatedPaymentDevice } from '../../hardware/payment/simulated-payment-device.ts';
import { until } from '../shell/booth-fixture.ts';

/** Resolves once the booth is coaching the pose, the order paid. */
export async function walkUpAndPay(
  booth: Booth,
  choice: { documentId: string; productId: string; coin: number },
): Promise<void> {
  const screen = () => booth.view().screen.screen;
  await until(() => booth.view().waitingForCustomer, 20_000, 'attract');
  booth.send({ type: 'TOUCH' });
  booth.send({ type: 'SELECT_LANGUAGE', language: 'en' });
  booth.send({ type: 'ACCEPT_CONSENT' });
  await until(() => screen() === 'choose', 10_000, 'choose');
  booth.send({ type: 'CHOOSE', documentId: choice.documentId, productId: choice.productId });
  const payment = booth.devices.payment as SimulatedPaymentDevice;
  await until(() => payment.status().accepting, 10_000, 'coins accepted');
  expect(payment.insertCoin(choice.coin)).toBe('credited');
  await until(() => screen() === 'pose', 10_000, 'pose');
}
