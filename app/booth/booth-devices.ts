import type { Camera } from '../../hardware/camera/camera-port.ts';
import type { PaymentDevice } from '../../hardware/payment/payment-port.ts';
import type { PhotoPrinter } from '../../hardware/printer/photo-printer-port.ts';
import type { ReceiptPrinter } from '../../hardware/receipt/receipt-printer-port.ts';
import type { CoinHopper } from '../../hardware/hopper/hopper-port.ts';

/** The devices one booth drives. A booth without a receipt printer shows the code on screen only. */
export interface BoothDevices {
  camera: Camera;
  payment: PaymentDevice;
  photoPrinter: PhotoPrinter;
  receiptPrinter: ReceiptPrinter | null;
  /** Pays unused credit back as coins; a booth without one hands vouchers instead. */
  hopper?: CoinHopper | null;
}

export async function openDevices(devices: BoothDevices): Promise<void> {
  await Promise.all(allDevices(devices).map((d) => d.open()));
}

export async function closeDevices(devices: BoothDevices): Promise<void> {
  await Promise.allSettled(allDevices(devices).map((d) => d.close()));
}

function allDevices(devices: BoothDevices) {
  return [
    devices.camera,
    devices.payment,
    devices.photoPrinter,
    ...(devices.receiptPrinter ? [devices.receiptPrinter] : []),
    ...(devices.hopper ? [devices.hopper] : []),
  ];
}
