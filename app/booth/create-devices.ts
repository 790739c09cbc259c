import type { Clock } from '../../core/clock.ts';
import type { BoothConfig } from '../../config/schema.ts';
import { createCamera, createSimulatedCamera } from '../../hardware/camera/index.ts';
import {
  createPaymentDevice,
  createSimulatedPayment,
  type PaymentDeps,
} from '../../hardware/payment/index.ts';
import {
  createPhotoPrinter,
  createSimulatedPhotoPrinter,
  type MediaCounter,
} from '../../hardware/printer/index.ts';
import { createReceiptPrinter } from '../../hardware/receipt/index.ts';
import { createHopper, createSimulatedHopper, type HopperDeps } from '../../hardware/hopper/index.ts';
import type { SimulatedHopper } from '../../hardware/hopper/simulated-hopper.ts';
import type { SimulatedCamera } from '../../hardware/camera/simulated-camera.ts';
import type { SimulatedPaymentDevice } from '../../hardware/payment/simulated-payment-device.ts';
import type { SimulatedPhotoPrinter } from '../../hardware/printer/simulated-photo-printer.ts';
import { SimulatedReceiptPrinter } from '../../hardware/receipt/simulated-receipt-printer.ts';
import type { EventCounterStore } from '../../hardware/payment/payment-port.ts';
import type { BoothDevices } from './booth-devices.ts';

export { demoPortraits } from '../../hardware/camera/index.ts';

/** The simulators behind a booth, kept typed so the simulator and tests can inject faults. */
export interface SimulatedDevices {
  camera: SimulatedCamera;
  payment: SimulatedPaymentDevice;
  photoPrinter: SimulatedPhotoPrinter;
  receiptPrinter: SimulatedReceiptPrinter;
  /** There when the config names a hopper (of any adapter). */
  hopper?: SimulatedHopper;
}

export interface DeviceDeps {
  seed?: number;
  /**
   * Where payment devices keep their last event counter per device (the credit journal). Needed
   * by the ccTalk adapter, so a restart neither loses nor doubles credit.
   */
  counters?: EventCounterStore;
  /**
   * Where a simulated hopper (or the emulated one on `port: "simulator"`) keeps its lifetime
   * dispense count, under the data directory, so it survives a kill -9 as a hopper's NV memory.
   */
  hopperStateFile?: string;
  /** The gphoto2 camera's private folder for the files libgphoto2 hands frames over in. */
  cameraScratchDir?: string;
  /**
   * Where an IPP or folder printer counts its media (app/operator/paper-stock.ts), so "media
   * loaded" and the prints since survive a restart; without it `loadedPrints` counts in memory.
   */
  mediaCounter?: MediaCounter;
}

/** What each kind's factory needs from the booth's config besides its own `hardware.<kind>`. */
export function deviceDeps(config: BoothConfig, clock: Clock, deps: DeviceDeps = {}) {
  const seed = deps.seed ?? 1;
  const payment: PaymentDeps = {
    clock,
    seed,
    currency: config.currency,
    coins: config.money.coins,
    bills: config.money.bills,
    counters: deps.counters,
  };
  return {
    // The demo booth shows portrait-1 unless config names another (see CameraDeps.portrait).
    camera: { clock, seed, portrait: 0, scratchDir: deps.cameraScratchDir },
    payment,
    photoPrinter: { clock, seed, media: config.production.media, mediaCounter: deps.mediaCounter },
    receiptPrinter: { clock, seed },
    hopper: { clock, payment: config.hardware.payment, stateFile: deps.hopperStateFile } satisfies HopperDeps,
  };
}

/**
 * The devices a config names, each built by its own kind's factory (`hardware/<kind>/index.ts`);
 * only those configured are built, and none is opened here.
 */
export function createDevices(config: BoothConfig, clock: Clock, deps: DeviceDeps = {}): BoothDevices {
  const hw = config.hardware;
  const d = deviceDeps(config, clock, deps);
  return {
    camera: createCamera(hw.camera, d.camera),
    payment: createPaymentDevice(hw.payment, d.payment),
    photoPrinter: createPhotoPrinter(hw.photoPrinter, d.photoPrinter),
    receiptPrinter: createReceiptPrinter(hw.receiptPrinter, d.receiptPrinter),
    hopper: createHopper(hw.hopper, d.hopper) ?? null,
  };
}

/**
 * A booth on simulators only, whatever the config's adapters (`kiosk simulate`, the autoplay
 * demo, tests): the simulators' own settings (capacity, portrait) are taken where config has them.
 */
export function createSimulatedDevices(
  config: BoothConfig,
  clock: Clock,
  seed: number,
  options: { portrait?: number; hopperStateFile?: string } = {},
): SimulatedDevices {
  const d = deviceDeps(config, clock, { seed, hopperStateFile: options.hopperStateFile });
  const hopper = config.hardware.hopper;
  return {
    camera: createSimulatedCamera(config.hardware.camera, { ...d.camera, portrait: options.portrait }),
    payment: createSimulatedPayment(d.payment),
    photoPrinter: createSimulatedPhotoPrinter(config.hardware.photoPrinter, d.photoPrinter),
    receiptPrinter: new SimulatedReceiptPrinter({ clock, seed }),
    ...(hopper.adapter === 'none' ? {} : { hopper: createSimulatedHopper(hopper, d.hopper) }),
  };
}
