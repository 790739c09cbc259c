import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Clock } from '../../core/clock.ts';
import type { KioskConfig } from '../../config/schema.ts';
import { SimulatedCamera } from '../../hardware/camera/simulated-camera.ts';
import { SimulatedPaymentDevice } from '../../hardware/payment/simulated-payment-device.ts';
import { SimulatedPhotoPrinter } from '../../hardware/printer/simulated-photo-printer.ts';
import { SimulatedReceiptPrinter } from '../../hardware/receipt/simulated-receipt-printer.ts';
import type { EventCounterStore } from '../../hardware/payment/cctalk/adapter/cctalk-payment.ts';
import type { PaymentDevice } from '../../hardware/payment/payment-port.ts';
import type { BoothDevices } from './booth-devices.ts';
import type { PhotoPrinter } from '../../hardware/printer/photo-printer-port.ts';
import type { ReceiptPrinter } from '../../hardware/receipt/receipt-printer-port.ts';
import { IppPhotoPrinter } from '../../hardware/printer/ipp-photo-printer.ts';
import { FolderPhotoPrinter } from '../../hardware/printer/folder-photo-printer.ts';
import { EscPosReceiptPrinter } from '../../hardware/receipt/escpos-receipt-printer.ts';
import { createCcTalkPayment } from '../../hardware/payment/cctalk/adapter/cctalk-payment-device.ts';

export const demoPortraitDir = fileURLToPath(new URL('../../demo-assets/portraits/', import.meta.url));

export function demoPortraits(): string[] {
  return readdirSync(demoPortraitDir)
    .filter((f) => f.endsWith('.jpg'))
    .sort()
    .map((f) => demoPortraitDir + f);
}

/** The simulators behind a booth, kept typed so the simulator and tests can inject faults. */
export interface SimulatedDevices {
  camera: SimulatedCamera;
  payment: SimulatedPaymentDevice;
  photoPrinter: SimulatedPhotoPrinter;
  receiptPrinter: SimulatedReceiptPrinter;
}

export function createSimulatedDevices(
  config: KioskConfig,
  clock: Clock,
  seed: number,
  options: { portrait?: number } = {},
): SimulatedDevices {
  const hw = config.hardware;
  const portrait = hw.camera.adapter === 'simulated' ? hw.camera.portrait : undefined;
  return {
    camera: new SimulatedCamera({
      clock,
      seed: hw.camera.adapter === 'simulated' ? (hw.camera.seed ?? seed) : seed,
      portraits: demoPortraits(),
      portrait: portrait !== undefined ? portrait - 1 : options.portrait,
    }),
    payment: new SimulatedPaymentDevice({
      clock,
      seed,
      currency: config.currency,
      coins: config.money.coins,
      bills: config.money.bills,
    }),
    photoPrinter: new SimulatedPhotoPrinter({
      clock,
      seed,
      capacity: hw.photoPrinter.adapter === 'simulated' ? hw.photoPrinter.capacity : 400,
    }),
    receiptPrinter: new SimulatedReceiptPrinter({ clock, seed }),
  };
}

export interface DeviceDeps {
  seed?: number;
  /**
   * Where payment devices keep their last event counter per device (the credit journal). Needed
   * by the ccTalk adapter, so a restart neither loses nor doubles credit.
   */
  counters?: EventCounterStore;
}

/**
 * The devices a config names. Adapters for real hardware arrive with their own parts; until a
 * build has one, choosing it is refused here with a message naming the device and adapter.
 * No device is opened here: a ccTalk line is opened by the device's own `open()`.
 */
export function createDevices(config: KioskConfig, clock: Clock, deps: DeviceDeps = {}): BoothDevices {
  // The demo booth (`kiosk start` on simulated hardware) shows portrait-1 unless config names
  // another: of the demo snapshots it is the one that meets every check of the demo documents,
  // so a person trying the demo can get through review. Scripted customers change it per visit.
  const sims = createSimulatedDevices(config, clock, deps.seed ?? 1, { portrait: 0 });
  const hw = config.hardware;
  const unsupported = ([['camera', hw.camera.adapter]] as const).filter(
    ([, adapter]) => adapter !== 'simulated',
  );
  if (unsupported.length > 0) {
    const list = unsupported.map(([device, adapter]) => `hardware.${device}.adapter "${adapter}"`).join(', ');
    throw new Error(`${list}: not available in this build; use "simulated"`);
  }
  return {
    camera: sims.camera,
    payment: createPayment(config, clock, sims.payment, deps.counters),
    photoPrinter: photoPrinterFor(config, sims.photoPrinter),
    receiptPrinter: receiptPrinterFor(config, sims.receiptPrinter),
  };
}

function photoPrinterFor(config: KioskConfig, simulated: SimulatedPhotoPrinter): PhotoPrinter {
  const printer = config.hardware.photoPrinter;
  switch (printer.adapter) {
    case 'simulated':
      return simulated;
    case 'ipp':
      return new IppPhotoPrinter({
        url: printer.url,
        loadedPrints: printer.loadedPrints,
        pollMs: printer.pollMs,
      });
    case 'folder':
      return new FolderPhotoPrinter({
        folder: printer.path,
        media: config.production.media,
        loadedSheets: printer.loadedSheets,
      });
  }
}

function receiptPrinterFor(config: KioskConfig, simulated: SimulatedReceiptPrinter): ReceiptPrinter | null {
  const printer = config.hardware.receiptPrinter;
  switch (printer.adapter) {
    case 'simulated':
      return simulated;
    case 'none':
      return null;
    case 'escpos':
      return new EscPosReceiptPrinter({ uri: printer.address });
  }
}

/** The configured photo printer alone (reprints need no other device). */
export function createPhotoPrinter(config: KioskConfig, clock: Clock): BoothDevices['photoPrinter'] {
  return createDevices(
    { ...config, hardware: { ...config.hardware, payment: { adapter: 'simulated' } } },
    clock,
  ).photoPrinter;
}

function createPayment(
  config: KioskConfig,
  clock: Clock,
  simulated: SimulatedPaymentDevice,
  counters: EventCounterStore | undefined,
): PaymentDevice {
  const payment = config.hardware.payment;
  if (payment.adapter === 'simulated') return simulated;
  if (!counters) {
    throw new Error('hardware.payment "cctalk" needs the credit journal to keep its event counters');
  }
  return createCcTalkPayment(payment, { clock, currency: config.currency, counters });
}
