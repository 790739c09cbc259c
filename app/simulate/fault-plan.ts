import type { SimulatedDevices } from '../booth/create-devices.ts';

/** Faults `kiosk simulate --faults` can inject, where in a session they strike, and how they are mended. */
export const simulationFaults = {
  'printer-jam': {
    delayMs: 2000,
    strikesIn: 'printing',
    inject: (d: SimulatedDevices) => d.photoPrinter.injectFault('jam'),
    mend: (d: SimulatedDevices) => d.photoPrinter.clearFault('jam'),
  },
  'printer-out-of-paper': {
    delayMs: 0,
    strikesIn: 'customer.choose',
    inject: (d: SimulatedDevices) => d.photoPrinter.injectFault('out-of-paper'),
    mend: (d: SimulatedDevices) => d.photoPrinter.refill(400),
  },
  'camera-disconnect': {
    delayMs: 1500,
    strikesIn: 'customer.shooting.pose',
    inject: (d: SimulatedDevices) => d.camera.injectFault('disconnect'),
    mend: (d: SimulatedDevices) => d.camera.clearFault('disconnect'),
  },
  'camera-timeout': {
    delayMs: 0,
    strikesIn: 'customer.capturing',
    inject: (d: SimulatedDevices) => d.camera.injectFault('timeout'),
    mend: (d: SimulatedDevices) => d.camera.clearFault('timeout'),
  },
  'payment-timeout': {
    delayMs: 5000,
    strikesIn: 'customer.payment.waiting',
    inject: (d: SimulatedDevices) => d.payment.injectFault('timeout'),
    mend: (d: SimulatedDevices) => d.payment.clearFault('timeout'),
  },
  'receipt-out-of-paper': {
    delayMs: 0,
    strikesIn: 'thankYou',
    inject: (d: SimulatedDevices) => d.receiptPrinter.injectFault('out-of-paper'),
    mend: (d: SimulatedDevices) => d.receiptPrinter.clearFault('out-of-paper'),
  },
} as const;

export type SimulationFault = keyof typeof simulationFaults;

export function parseFaults(list: string | undefined): SimulationFault[] {
  if (!list) return [];
  const names = list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => !(n in simulationFaults));
  if (unknown.length > 0) {
    throw new Error(
      `unknown fault "${unknown.join('", "')}"; known faults: ${Object.keys(simulationFaults).join(', ')}`,
    );
  }
  return names as SimulationFault[];
}
