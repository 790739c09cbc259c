import type { Clock } from '../../core/clock.ts';
import type { BoothConfig } from '../../config/schema.ts';
import { faultCode } from '../../flows/session/services.ts';
import type { DeviceTestResult } from '../../flows/operator/services.ts';
import type { DeviceTest } from '../../flows/operator/events.ts';
import { renderCalibrationSheet } from '../services/production/calibration-sheet.ts';
import type { BoothDevices } from './booth-devices.ts';
import type { PaymentTestResult } from './payment-test.ts';

/** How long the camera test watches the live view. */
const liveViewMs = 2_000;

/**
 * The operator's device tests, each on the booth's own open device: the calibration sheet
 * printed on the photo printer; the camera's live view for two seconds and one capture, whose
 * picture is measured and dropped (it is whoever stands at the booth: never kept, never shown);
 * a test receipt; the payment device taking one coin or note that credits nobody. A device
 * fault is the test's result, with its code, not an exception.
 */
export async function runDeviceTest(
  test: DeviceTest,
  parts: {
    devices: BoothDevices;
    config: BoothConfig;
    clock: Pick<Clock, 'now' | 'sleep'>;
    /** The booth's payment test (its cash desk journals the test coin); absent: not offered. */
    testPayment?: () => Promise<PaymentTestResult>;
  },
): Promise<DeviceTestResult> {
  const { devices, config, clock } = parts;
  const started = performance.now();
  const seconds = () => Math.round((performance.now() - started) / 100) / 10;
  const result = (ok: boolean, code: string | null, figures: Record<string, number>): DeviceTestResult => ({
    ok,
    code,
    figures,
    at: clock.now(),
  });
  try {
    switch (test) {
      case 'print': {
        const sheet = await renderCalibrationSheet(config.production.media);
        await devices.photoPrinter.print({
          jobName: 'booth-test-print',
          media: config.production.media,
          copies: 1,
          data: sheet.data,
        });
        return result(true, null, { seconds: seconds() });
      }
      case 'camera': {
        const view = await devices.camera.startLiveView();
        let frames = 0;
        const until = performance.now() + liveViewMs;
        try {
          while (performance.now() < until) {
            await view.next();
            frames++;
          }
        } finally {
          await view.stop();
        }
        const fps = Math.round((frames / (liveViewMs / 1000)) * 10) / 10;
        const captureStarted = performance.now();
        const still = await devices.camera.captureStill();
        const capture = Math.round((performance.now() - captureStarted) / 100) / 10;
        // Only its size is kept: the picture itself goes with this function.
        return result(true, null, { fps, width: still.width, height: still.height, captureSeconds: capture });
      }
      case 'receipt': {
        const printer = devices.receiptPrinter;
        if (!printer) return result(false, 'not-configured', {});
        await printer.printReceipt({
          boothName: config.unit.name,
          at: new Date(clock.now()),
          product: 'Test receipt',
          amountPaid: 0,
          currency: config.currency,
          // All zeros marks a test slip; it opens nothing (the vault looks codes up by fingerprint).
          receiptCode: '00000-00000',
          retentionDays: config.retention.days,
        });
        return result(true, null, { seconds: seconds() });
      }
      case 'payment': {
        if (!parts.testPayment) return result(false, 'not-configured', {});
        const { takes } = await parts.testPayment();
        if (takes.length === 0) return result(false, 'nothing-inserted', { seconds: seconds() });
        const kept = takes.filter((t) => t.kept);
        const returned = takes.filter((t) => !t.kept);
        // Money figures in minor units: the screen shows them in the currency.
        return result(true, null, {
          coins: kept.length,
          amount: kept.reduce((sum, t) => sum + t.amount, 0),
          notes: returned.length,
          noteAmount: returned.reduce((sum, t) => sum + t.amount, 0),
        });
      }
    }
  } catch (error) {
    return result(false, faultCode(error), { seconds: seconds() });
  }
}
