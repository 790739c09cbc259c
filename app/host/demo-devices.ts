import type { BoothDevices } from '../booth/booth-devices.ts';
import { SimulatedCamera } from '../../hardware/camera/simulated-camera.ts';
import { SimulatedPaymentDevice } from '../../hardware/payment/simulated-payment-device.ts';
import { SimulatedPhotoPrinter } from '../../hardware/printer/simulated-photo-printer.ts';
import { SimulatedReceiptPrinter } from '../../hardware/receipt/simulated-receipt-printer.ts';
import type { DemoDevices } from '../shell/bridge/ui-publisher.ts';
import type { SimulatedDevices } from '../booth/create-devices.ts';
import { SimulatedHopper } from '../../hardware/hopper/simulated-hopper.ts';

/**
 * The booth's devices as simulators when camera, payment and photo printer all are (a demo
 * booth, where the staff panel may insert coins and inject faults); else null (real hardware).
 */
export function demoDevices(devices: Readonly<BoothDevices>): DemoDevices | null {
  const { camera, payment, photoPrinter, receiptPrinter, hopper } = devices;
  if (
    !(camera instanceof SimulatedCamera) ||
    !(payment instanceof SimulatedPaymentDevice) ||
    !(photoPrinter instanceof SimulatedPhotoPrinter)
  )
    return null;
  return {
    camera,
    payment,
    photoPrinter,
    receiptPrinter: receiptPrinter instanceof SimulatedReceiptPrinter ? receiptPrinter : null,
    hopper: hopper instanceof SimulatedHopper ? hopper : null,
  };
}

/** All four devices as simulators (the autoplay demo's scripted customers drive them), else null. */
export function simulatorsOf(devices: Readonly<BoothDevices>): SimulatedDevices | null {
  const demo = demoDevices(devices);
  if (!demo?.receiptPrinter) return null;
  const { hopper, ...four } = demo;
  return { ...four, receiptPrinter: demo.receiptPrinter, ...(hopper ? { hopper } : {}) };
}
