import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { SimClock } from '../../core/sim-clock.ts';
import { SeededRandom } from '../../hardware/sim/seeded-random.ts';
import type { BoothConfig } from '../../config/schema.ts';
import type { CreditJournal } from '../money/credit-journal.ts';
import { silentLogger, type Logger } from '../logging/logger.ts';
import { createSimulatedDevices } from '../booth/create-devices.ts';
import type { SessionSummary } from '../booth/booth-services.ts';
import type { Booth } from '../booth/booth.ts';
import { BoothHost } from '../host/booth-host.ts';
import { simulatedDevices } from '../host/device-set.ts';
import { ScriptedCustomers } from './scripted-customers.ts';
import type { SimulationFault } from './fault-plan.ts';
import { openCcTalkRig, type CcTalkRig } from './cctalk-rig.ts';
import type { PhotoPrinter } from '../../hardware/printer/photo-printer-port.ts';
import { ClockTrackedPrinter } from './clock-tracked-printer.ts';
import type { LineCounters } from '../../hardware/payment/cctalk/driver/cctalk-host.ts';
import { SimulatedPhotoProducer } from '../services/production/simulated-photo-producer.ts';

export interface SimulationOptions {
  config: BoothConfig;
  dataDir: string;
  sessions: number;
  seed: number;
  faults?: readonly SimulationFault[];
  faultRate?: number;
  /**
   * `cctalk`: payment runs through the real ccTalk adapter and host over a pty pair to the coin
   * acceptor and bill validator emulators (needs socat); `simulated` (default): the in-process
   * simulated payment device.
   */
  payment?: 'simulated' | 'cctalk';
  /**
   * A real photo printer (e.g. an IppPhotoPrinter to a running ippeveprinter) instead of the
   * simulated one. Printer faults are then the printer's own, not injected.
   */
  photoPrinter?: PhotoPrinter;
  logger?: Logger;
  /** Told the kiosk before it starts, so a caller can watch the sessions (tests, diagnostics). */
  onBooth?: (booth: Booth) => void;
  /** Told after each session ends, with how many have ended so far (the soak samples memory). */
  onSessionEnd?: (ended: number) => void;
}

/** The line `kiosk simulate` prints. Money in minor units. */
export interface SimulationReport {
  sessions: number;
  completed: number;
  abandoned: number;
  prints: number;
  creditIn: number;
  creditPrinted: number;
  creditCarried: number;
  creditRefunded: number;
  creditKept: number;
  /** Credit handed out as vouchers not redeemed (still outstanding, or expired). */
  creditVouchers: number;
  /** Paid prints the printer has not delivered yet (owed, printed once it is back). */
  creditOwed: number;
  /** What the coin acceptor and note validator actually took, as the devices count it. */
  cashBoxIn: number;
  outcomes: Record<string, number>;
  errors: Record<string, number>;
  simulatedMinutes: number;
  /** `--payment cctalk` only: what the booth's ccTalk host saw on the line over the run. */
  ccTalkLine?: LineCounters;
}

/**
 * Runs scripted customers through the real session flow, headless, on simulated devices and
 * simulated time. The journal is a fresh one for the run (simulated money must never mix with a
 * unit's real books), kept under the data directory for inspection.
 */
export async function runSimulation(options: SimulationOptions): Promise<SimulationReport> {
  const { config, sessions, seed } = options;
  const clock = new SimClock();
  const startedAt = clock.now();
  const random = new SeededRandom(seed);
  const runDir = join(options.dataDir, 'simulation');
  rmSync(runDir, { recursive: true, force: true });
  mkdirSync(runDir, { recursive: true, mode: 0o700 });
  const devices = createSimulatedDevices(config, clock, seed);
  let rig: CcTalkRig | undefined;
  // Counted, not kept: a soak of thousands of sessions must measure the booth, not this list.
  const ended = { sessions: 0, prints: 0, outcomes: {} as Record<string, number> };
  // The unit's own vault, with every session marked simulated: `kiosk vault` shows and wipes
  // them like customers' data, and they expire by retention (they are stamped in simulated time).
  // The journal is the run's own: simulated money never mixes with the unit's books.
  const host = await BoothHost.open(
    {
      dataDir: options.dataDir,
      logger: options.logger ?? silentLogger(),
      clock,
      holder: 'kiosk simulate',
      vision: 'none',
      journalPath: join(runDir, 'credit-journal.sqlite'),
      // Wiped at the next run's start: its commits need not outlive a power cut (kill -9 they do).
      journalDurability: 'simulation',
      // The camera shows the same portraits all run: each one's photos for every document are
      // started the first time it is seen, on the other core, while the flow goes on.
      producer: new SimulatedPhotoProducer({
        makeAhead: {
          documents: config.documents,
          copies: [...new Set(config.products.map((p) => p.photosPerSheet))],
        },
      }),
      simulated: true,
      screen: false,
      onSessionEnd: (s: SessionSummary) => {
        ended.sessions++;
        ended.prints += s.sheetsPrinted;
        ended.outcomes[s.outcome] = (ended.outcomes[s.outcome] ?? 0) + 1;
        options.onSessionEnd?.(ended.sessions);
      },
      devices: async ({ journal }) => {
        // Real serial I/O on simulated time: the adapter polls on the SimClock, and every exchange
        // on the line is tracked by it, so time waits for the pty instead of racing past it.
        if (options.payment === 'cctalk') rig = await openCcTalkRig(config, { clock, counters: journal });
        return simulatedDevices(clock, seed, {
          ...devices,
          ...(rig ? { payment: rig.payment } : {}),
          ...(options.photoPrinter
            ? { photoPrinter: new ClockTrackedPrinter(options.photoPrinter, clock) }
            : {}),
        });
      },
    },
    config,
  ).catch(async (error: unknown) => {
    await rig?.close();
    throw error;
  });
  let customers: ScriptedCustomers | undefined;
  host.onBooth((booth) => {
    options.onBooth?.(booth);
    customers = new ScriptedCustomers({
      booth,
      devices,
      money: rig?.emulators,
      cctalk: rig,
      clock,
      random: random.fork('customers'),
      config: rig?.customerConfig ?? config,
      customers: sessions,
      faults: options.faults ?? [],
      faultRate: options.faultRate,
    });
    customers.start();
  });

  let line: LineCounters | undefined;
  let totals: ReturnType<CreditJournal['totals']>;
  try {
    await host.start(config);
    // No customer needs an hour: a run that goes past that is stuck in a loop, and says so.
    const deadline = startedAt + (sessions + 1) * 60 * 60_000;
    const done = await clock.runUntil(
      () => ended.sessions >= sessions && host.booth.view().waitingForCustomer,
      deadline,
    );
    if (!done) {
      throw new Error(
        `simulation stalled after ${ended.sessions} of ${sessions} sessions in state ${host.booth.state}` +
          (host.booth.view().outOfServiceReason ? ` (${host.booth.view().outOfServiceReason})` : '') +
          `; orders left paid: ${host.journal.openOrders().length}`,
      );
    }
  } finally {
    line = rig?.lineCounters() ?? undefined;
    totals = host.journal.totals();
    try {
      await host.close();
    } finally {
      await rig?.close();
    }
  }

  const outcomes = ended.outcomes;
  const completed = outcomes['completed'] ?? 0;
  return {
    sessions: ended.sessions,
    completed,
    abandoned: ended.sessions - completed,
    prints: ended.prints,
    creditIn: totals.inserted,
    creditPrinted: totals.delivered,
    // Whatever credit is left at the end waits for the next customer.
    creditCarried: totals.balance,
    creditRefunded: totals.refunded,
    creditKept: totals.kept,
    creditVouchers: totals.vouchersOutstanding + totals.vouchersExpired,
    creditOwed: totals.owed,
    cashBoxIn: rig ? rig.cashBoxTotal() : devices.payment.acceptedTotal,
    outcomes,
    errors: customers?.errors ?? {},
    simulatedMinutes: Math.round((clock.now() - startedAt) / 60_000),
    ...(line ? { ccTalkLine: { ...line } } : {}),
  };
}
