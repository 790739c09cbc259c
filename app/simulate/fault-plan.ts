import type { SimulatedDevices } from '../booth/create-devices.ts';
import type { CcTalkEmulators } from '../../hardware/payment/cctalk/emulators/cctalk-emulators.ts';

/** The ccTalk side of a `kiosk simulate --payment cctalk` run, where its line faults are injected. */
export interface CcTalkFaultTargets {
  readonly emulators: CcTalkEmulators;
  /**
   * Runs `fn` as soon as the host has read the device's event buffer (right after the next
   * buffered credit or bill event reply). A reset or lost events injected then take no unread
   * money with them: what a coin drop is, the booth has already heard of.
   */
  afterNextPoll(device: 'coin' | 'bill', fn: () => void): void;
}

/** What faults strike: the simulated devices, and the ccTalk emulators when payment runs over ccTalk. */
export type FaultTargets = SimulatedDevices & { readonly cctalk?: CcTalkFaultTargets };

/** Each emulated device on the line, with its name. */
function ccTalkDevices(d: FaultTargets) {
  const e = d.cctalk?.emulators;
  return [
    ['coin', e?.coin],
    ['bill', e?.bill],
  ].filter(([, device]) => device) as [
    'coin' | 'bill',
    NonNullable<CcTalkEmulators['coin'] | CcTalkEmulators['bill']>,
  ][];
}

const nothingToMend = () => {};

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
    // Over ccTalk: the devices stop answering for three commands each (every retry included).
    inject: (d: FaultTargets) =>
      d.cctalk
        ? ccTalkDevices(d).forEach(([, device]) => device.faultNextReplies('ignore', 9))
        : d.payment.injectFault('timeout'),
    mend: (d: FaultTargets) => (d.cctalk ? undefined : d.payment.clearFault('timeout')),
  },
  'receipt-out-of-paper': {
    delayMs: 0,
    strikesIn: 'thankYou',
    inject: (d: SimulatedDevices) => d.receiptPrinter.injectFault('out-of-paper'),
    mend: (d: SimulatedDevices) => d.receiptPrinter.clearFault('out-of-paper'),
  },
  // Faults on the ccTalk line and devices (`--payment cctalk`), striking mid-payment.
  'cctalk-garbage': {
    delayMs: 2500,
    strikesIn: 'customer.payment.waiting',
    needsCcTalk: true,
    inject: (d: FaultTargets) =>
      ccTalkDevices(d).forEach(([, device]) => {
        device.sendGarbage();
        device.faultNextReplies('garbage', 2);
      }),
    mend: nothingToMend,
  },
  'cctalk-bad-checksum': {
    delayMs: 2500,
    strikesIn: 'customer.payment.waiting',
    needsCcTalk: true,
    inject: (d: FaultTargets) =>
      ccTalkDevices(d).forEach(([, device]) => device.faultNextReplies('bad-checksum', 2)),
    mend: nothingToMend,
  },
  'cctalk-dropped-reply': {
    delayMs: 2500,
    strikesIn: 'customer.payment.waiting',
    needsCcTalk: true,
    inject: (d: FaultTargets) => ccTalkDevices(d).forEach(([, device]) => device.faultNextReplies('drop', 2)),
    mend: nothingToMend,
  },
  'cctalk-device-reset': {
    delayMs: 2500,
    strikesIn: 'customer.payment.waiting',
    needsCcTalk: true,
    inject: (d: FaultTargets) =>
      ccTalkDevices(d).forEach(([name, device]) => d.cctalk?.afterNextPoll(name, () => device.powerCycle())),
    mend: nothingToMend,
  },
  'cctalk-lost-events': {
    delayMs: 2500,
    strikesIn: 'customer.payment.waiting',
    needsCcTalk: true,
    inject: (d: FaultTargets) =>
      ccTalkDevices(d).forEach(([name, device]) => d.cctalk?.afterNextPoll(name, () => device.loseEvents(7))),
    mend: nothingToMend,
  },
  'note-jam': {
    delayMs: 1000,
    strikesIn: 'customer.payment.waiting',
    needsCcTalk: true,
    inject: (d: FaultTargets) => d.cctalk?.emulators.bill?.jamNote('transport-unsafe'),
    mend: (d: FaultTargets) => d.cctalk?.emulators.bill?.clearJam(),
  },
} as const;

/** Faults that act on the ccTalk emulators, so need `--payment cctalk`. */
export function needsCcTalk(fault: SimulationFault): boolean {
  const plan = simulationFaults[fault];
  return 'needsCcTalk' in plan && plan.needsCcTalk;
}

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
