import type { Clock } from '../../core/clock.ts';
import type { BoothConfig } from '../../config/schema.ts';
import { createCamera, createSimulatedCamera } from '../../hardware/camera/index.ts';
import { createPaymentDevice, createSimulatedPayment } from '../../hardware/payment/index.ts';
import {
  createPhotoPrinter,
  createSimulatedPhotoPrinter,
  photoPrinterIdentity,
  type MediaCounter,
} from '../../hardware/printer/index.ts';
import { createReceiptPrinter } from '../../hardware/receipt/index.ts';
import { createHopper, createSimulatedHopper } from '../../hardware/hopper/index.ts';
import { SimulatedReceiptPrinter } from '../../hardware/receipt/simulated-receipt-printer.ts';
import type { EventCounterStore } from '../../hardware/payment/payment-port.ts';
import type { BoothDevices } from '../booth/booth-devices.ts';
import { deviceDeps } from '../booth/create-devices.ts';

export type DeviceKind = keyof BoothDevices;
const kinds: readonly DeviceKind[] = ['camera', 'payment', 'photoPrinter', 'receiptPrinter', 'hopper'];

/** How one kind of device is made from a config, and what of the config makes it what it is. */
export interface DeviceRecipe<K extends DeviceKind> {
  /** Equal for two configs exactly when the same device serves both (then it is not reopened). */
  identity(config: BoothConfig): string;
  build(config: BoothConfig): BoothDevices[K];
  /** Tells a device that stays what the new config says of it (e.g. the media an operator loaded). */
  keep?(device: BoothDevices[K], config: BoothConfig): void;
}

export type DeviceRecipes = { [K in DeviceKind]: DeviceRecipe<K> };

/** What happened to a device when a config applied. */
export type DeviceChange = 'kept' | 'opened' | 'reopened';

/** The config's own adapters, each from its kind's factory (`kiosk start` on a unit). */
export function configuredDevices(
  clock: Clock,
  deps: {
    seed: number;
    counters?: EventCounterStore;
    hopperStateFile?: string;
    cameraScratchDir?: string;
    mediaCounter?: MediaCounter;
  },
): DeviceRecipes {
  const d = (config: BoothConfig) => deviceDeps(config, clock, deps);
  return {
    camera: {
      identity: (c) => JSON.stringify(c.hardware.camera),
      build: (c) => createCamera(c.hardware.camera, d(c).camera),
    },
    payment: {
      identity: (c) => JSON.stringify([c.hardware.payment, c.currency, c.money.coins, c.money.bills]),
      build: (c) => createPaymentDevice(c.hardware.payment, d(c).payment),
    },
    photoPrinter: {
      identity: (c) => photoPrinterIdentity(c.hardware.photoPrinter, c.production.media),
      build: (c) => createPhotoPrinter(c.hardware.photoPrinter, d(c).photoPrinter),
      // A printer that cannot count its media counts from `loadedPrints`: an operator who loaded
      // paper reloads the config, and the count starts again (as documented in the README).
      // With a media counter (PaperStock) the count is kept there and a reload leaves it alone:
      // it would otherwise put back a roll's full count under every price change.
      keep: (printer, c) => {
        if (deps.mediaCounter) return;
        const loaded =
          'loadedPrints' in c.hardware.photoPrinter ? c.hardware.photoPrinter.loadedPrints : null;
        if (loaded !== null && 'loadMedia' in printer && typeof printer.loadMedia === 'function')
          (printer as { loadMedia(prints: number): void }).loadMedia(loaded);
      },
    },
    receiptPrinter: {
      identity: (c) => JSON.stringify(c.hardware.receiptPrinter),
      build: (c) => createReceiptPrinter(c.hardware.receiptPrinter, d(c).receiptPrinter),
    },
    hopper: {
      // A ccTalk hopper rides on the payment device's line: a new line is a new hopper too.
      identity: (c) =>
        JSON.stringify([
          c.hardware.hopper,
          c.hardware.hopper.adapter === 'cctalk' ? c.hardware.payment : null,
        ]),
      build: (c) => createHopper(c.hardware.hopper, d(c).hopper) ?? null,
    },
  };
}

/**
 * Simulators whatever the config's adapters say (the autoplay demo, `kiosk simulate`); `replace`
 * puts a device of the caller's in a kind's place (the ccTalk rig's payment, a real IPP printer).
 */
export function simulatedDevices(
  clock: Clock,
  seed: number,
  replace: Partial<BoothDevices> = {},
  counters?: EventCounterStore,
  hopperStateFile?: string,
): DeviceRecipes {
  const d = (config: BoothConfig) => deviceDeps(config, clock, { seed, counters, hopperStateFile });
  const fixed = <K extends DeviceKind>(device: BoothDevices[K]): DeviceRecipe<K> => ({
    identity: () => 'given',
    build: () => device,
  });
  return {
    camera: replace.camera
      ? fixed<'camera'>(replace.camera)
      : {
          identity: (c) =>
            JSON.stringify(c.hardware.camera.adapter === 'simulated' ? c.hardware.camera : null),
          build: (c) => createSimulatedCamera(c.hardware.camera, { ...d(c).camera, portrait: undefined }),
        },
    payment: replace.payment
      ? fixed<'payment'>(replace.payment)
      : {
          identity: (c) => JSON.stringify([c.currency, c.money.coins, c.money.bills]),
          build: (c) => createSimulatedPayment(d(c).payment),
        },
    photoPrinter: replace.photoPrinter
      ? fixed<'photoPrinter'>(replace.photoPrinter)
      : {
          identity: (c) =>
            JSON.stringify(c.hardware.photoPrinter.adapter === 'simulated' ? c.hardware.photoPrinter : null),
          build: (c) => createSimulatedPhotoPrinter(c.hardware.photoPrinter, d(c).photoPrinter),
        },
    receiptPrinter: replace.receiptPrinter
      ? fixed<'receiptPrinter'>(replace.receiptPrinter)
      : { identity: () => 'simulated', build: () => new SimulatedReceiptPrinter({ clock, seed }) },
    hopper: replace.hopper
      ? fixed<'hopper'>(replace.hopper)
      : {
          identity: (c) => JSON.stringify(c.hardware.hopper),
          build: (c) =>
            c.hardware.hopper.adapter === 'none'
              ? null
              : createSimulatedHopper(c.hardware.hopper, d(c).hopper),
        },
  };
}

/**
 * The booth's devices across config changes: a device whose config did not change is kept open
 * (a camera mid-warm-up, a ccTalk line with its event counters); one whose config changed is
 * closed and its successor opened. Counts every open, per kind.
 */
export class DeviceSet {
  readonly #recipes: DeviceRecipes;
  readonly #slots = new Map<DeviceKind, { identity: string; device: BoothDevices[DeviceKind] }>();
  /** How many times each kind was opened (a reload that keeps a device does not count). */
  readonly opens: Record<DeviceKind, number> = {
    camera: 0,
    payment: 0,
    photoPrinter: 0,
    receiptPrinter: 0,
    hopper: 0,
  };

  constructor(recipes: DeviceRecipes) {
    this.#recipes = recipes;
  }

  /**
   * Makes the devices fit `config`. A device that cannot be built or opened rejects; the ones
   * already changed stay as they are now (open), so the caller can close the set.
   */
  async apply(config: BoothConfig): Promise<Record<DeviceKind, DeviceChange>> {
    const changes = {} as Record<DeviceKind, DeviceChange>;
    const opening: Promise<void>[] = [];
    for (const kind of kinds) {
      const recipe = this.#recipes[kind] as DeviceRecipe<DeviceKind>;
      const identity = recipe.identity(config);
      const slot = this.#slots.get(kind);
      if (slot?.identity === identity) {
        if (slot.device) recipe.keep?.(slot.device, config);
        changes[kind] = 'kept';
        continue;
      }
      if (slot) await slot.device?.close().catch(() => {});
      const device = recipe.build(config);
      this.#slots.set(kind, { identity, device });
      changes[kind] = slot ? 'reopened' : 'opened';
      if (device) {
        this.opens[kind]++;
        opening.push(device.open());
      }
    }
    await Promise.all(opening);
    return changes;
  }

  get devices(): BoothDevices {
    const get = <K extends DeviceKind>(kind: K) => {
      const slot = this.#slots.get(kind);
      if (!slot) throw new Error('the booth has no devices yet: apply a config first');
      return slot.device as BoothDevices[K];
    };
    return {
      camera: get('camera'),
      payment: get('payment'),
      photoPrinter: get('photoPrinter'),
      receiptPrinter: get('receiptPrinter'),
      hopper: get('hopper'),
    };
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.#slots.values()].map((slot) => slot.device?.close()));
    this.#slots.clear();
  }
}
