import { createActor, type Actor, type Subscription } from 'xstate';
import { SystemClock, type Clock } from '../../core/clock.ts';
import { offeredProducts, type BoothConfig } from '../../config/schema.ts';
import type { FlowSettings } from '../../flows/session/context.ts';
import type { CustomerEvent } from '../../flows/session/events.ts';
import type { OperatorEvent } from '../../flows/operator/events.ts';
import type { OperatorServices } from '../../flows/operator/services.ts';
import { OperatorError } from '../operator/operator-error.ts';
import { provideBoothServices } from '../../flows/booth/provide.ts';
import { boothView, type BoothSnapshot, type BoothView } from '../../flows/booth/view.ts';
import type { CreditJournal } from '../money/credit-journal.ts';
import type { Logger } from '../logging/logger.ts';
import type { BoothDevices } from './booth-devices.ts';
import { createBoothServices, type CustomerOutbox, type SessionSummary } from './booth-services.ts';
import { CashDesk } from './cash-desk.ts';
import { runPaymentTest, type PaymentTestResult } from './payment-test.ts';
import { MoneyBack, type MoneyHandedBack } from './money-back.ts';
import { PaymentFaultWatch } from './payment-fault-watch.ts';
import type { StorageWatch } from './storage-watch.ts';
import type { OpeningHours } from './opening-hours.ts';
import type { EndOfServiceWatch } from './end-of-service-watch.ts';
import { deviceHealth } from './device-health.ts';
import { OwedPrintQueue, type OwedRun } from './owed-print-queue.ts';
import { watchPrinterWarnings } from './printer-warnings.ts';
import { MemoryPhotoStore } from '../services/photo-store/memory-photo-store.ts';
import type { PhotoStore } from '../services/photo-store/photo-store.ts';
import type { EnvironmentMonitor } from '../services/vision/environment/environment-monitor.ts';
import type { PolicyNotice } from '../services/vault/privacy-policy.ts';
import type { PoseCoach, StillChecker } from '../services/vision/pose-coach.ts';
import { SteadyPoseCoach } from '../services/vision/steady-pose-coach.ts';
import { BasicStillChecker } from '../services/vision/basic-still-checker.ts';
import type { PhotoProducer } from '../services/production/photo-producer.ts';
import type { LiveFrame } from '../../hardware/camera/camera-port.ts';
import type { CoachUpdate } from '../../flows/session/services.ts';
import { SimulatedPhotoProducer } from '../services/production/simulated-photo-producer.ts';

export interface BoothParts {
  config: BoothConfig;
  devices: BoothDevices;
  journal: CreditJournal;
  logger: Logger;
  clock?: Clock;
  photos?: PhotoStore;
  consents?: { record(sessionId: string, language: string): void };
  /** Pose coaching and the still check; without it, the basic exposure-and-steadiness pair. */
  vision?: {
    newCoach: (documentId: string, camera: { stillWidth?: number }) => PoseCoach;
    stillChecker: StillChecker;
  };
  /**
   * Makes the document's photos. `kiosk start` always gives the real one; without it (simulated
   * sessions, flow tests) a stand-in that checks no rule.
   */
  producer?: PhotoProducer;
  /** The booth watching its backdrop and lamps; its status counts in device health. */
  environment?: EnvironmentMonitor;
  /** Free space in the data directory; its status counts in device health. */
  storage?: StorageWatch;
  /** The operator's opening hours; without them the booth is always open. */
  hours?: OpeningHours;
  /** The end of service, once one is under way: the notice on screen, then closed for good. */
  endOfService?: EndOfServiceWatch;
  /** The privacy policy texts the consent screen shows. */
  policy?: { notice(language: string): PolicyNotice };
  /**
   * Operator mode's services (PIN, takings, paper, maintenance): the host builds them on the
   * unit's data directory. Without them (flow tests, simulations) the PIN pad opens and refuses.
   */
  operator?: OperatorServices;
  /** The digital file and contact requests the customer asks for (the unit's outbox); absent: none. */
  outbox?: CustomerOutbox;
  /** The operator left the booth in maintenance (kept across a restart): it starts closed. */
  maintenance?: boolean;
  onSessionEnd?: (summary: SessionSummary) => void;
}

/** A live-view frame the pose coach analysed, with what it found (for the screen's live view). */
export type LiveFrameListener = (frame: LiveFrame, update: CoachUpdate) => void;

type BoothActor = Actor<ReturnType<typeof provideBoothServices>>;
export type { SessionSnapshot } from '../../flows/booth/view.ts';

/**
 * One booth's flow over its devices, journal, store and engines: the booth machine with its
 * services, the cash desk, prints owed and device health. It logs every state change as a JSON
 * line. It neither opens nor closes the devices: the host owns them (and keeps them across a
 * config change when their config did not change).
 */
export class Booth {
  readonly clock: Clock;
  readonly actor: BoothActor;
  readonly #parts: BoothParts;
  readonly #cashDesk: CashDesk;
  readonly #owed: OwedPrintQueue;
  readonly #paymentFaults: PaymentFaultWatch;
  readonly #moneyBack: MoneyBack;
  readonly #photos: PhotoStore;
  readonly #frameListeners = new Set<LiveFrameListener>();
  #unsubscribe: (() => void)[] = [];

  constructor(parts: BoothParts) {
    this.#parts = parts;
    const clock = (this.clock = parts.clock ?? new SystemClock());
    const { config, devices, journal, logger } = parts;
    const photos = (this.#photos = parts.photos ?? new MemoryPhotoStore());
    this.#paymentFaults = new PaymentFaultWatch({
      device: devices.payment,
      clock,
      logger,
      faults: config.money.faultsBeforeOutOfService,
      windowMs: config.money.faultWindowMinutes * 60_000,
    });
    this.#moneyBack = new MoneyBack({
      journal,
      hopper: devices.hopper ?? null,
      receiptPrinter: devices.receiptPrinter,
      clock,
      logger,
      settings: {
        policy: config.money.unusedCredit,
        voucherDays: config.money.voucherDays,
        currency: config.currency,
        boothName: config.unit.name,
      },
    });
    const services = createBoothServices({
      config,
      devices,
      journal,
      moneyBack: this.#moneyBack,
      photos,
      consents: parts.consents,
      environment: parts.environment,
      paymentFaults: this.#paymentFaults,
      storage: parts.storage,
      hours: parts.hours,
      endOfService: parts.endOfService,
      newCoach: parts.vision?.newCoach ?? (() => new SteadyPoseCoach()),
      // Without vision parts the stills are simulated: the same portraits, checked once by content.
      stillChecker: parts.vision?.stillChecker ?? new BasicStillChecker(400, { rememberByContent: true }),
      producer: parts.producer ?? new SimulatedPhotoProducer(),
      clock,
      logger,
      onSessionEnd: parts.onSessionEnd,
      outbox: parts.outbox,
      // The screen's live view: each frame the coach analysed goes to onLiveFrame's listeners.
      onLiveFrame: (frame, update) => this.#frame(frame, update),
    });
    this.actor = createActor(provideBoothServices(services, parts.operator ?? noOperatorDesk), {
      input: {
        settings: flowSettings(config),
        operator: { idleMs: config.operator.inactivityMs, maintenance: parts.maintenance ?? false },
      },
      clock,
    });
    this.#cashDesk = new CashDesk({
      device: devices.payment,
      journal,
      clock,
      logger,
      currentSession: services.currentSession,
      tell: (event) => this.actor.send(event),
    });
    this.#owed = new OwedPrintQueue({
      journal,
      photos,
      printer: devices.photoPrinter,
      logger,
      // Nobody being served: waiting for a customer, or the operator at the booth (retry now).
      isIdle: () => this.#noCustomer(),
    });
  }

  /**
   * Once per process, before the first customer, on open devices: what a crash left of a payout
   * is counted, and credit it left is settled per the unit's policy.
   */
  settleAfterRestart(): Promise<MoneyHandedBack | null> {
    return this.#moneyBack.settleAfterRestart();
  }

  /** Starts the flow on devices the caller has opened. */
  async start(): Promise<void> {
    const { devices, logger, config } = this.#parts;
    this.#paymentFaults.start();
    this.#cashDesk.start();
    let last = '';
    this.#unsubscribe.push(
      this.onChange((view) => {
        if (view.state === last) return;
        last = view.state;
        if (view.waitingForCustomer) this.#deliverOwedPrints();
        const context = view.session?.context;
        logger.info(
          {
            state: view.state,
            sessionId: context?.sessionId ?? undefined,
            fault: context?.fault ?? undefined,
            reason: view.session ? undefined : (view.outOfServiceReason ?? undefined),
          },
          'state',
        );
      }),
    );
    // Device health feeds the flow: attract goes out of service when a device goes down, and
    // out-of-service rechecks as soon as one comes back.
    const fewestPrints = Math.min(...offeredProducts(config).map((p) => p.prints));
    let healthy: boolean | undefined;
    const onStatus = () => {
      const health = deviceHealth(devices, fewestPrints, {
        environment: this.#parts.environment,
        paymentFaults: this.#paymentFaults,
        storage: this.#parts.storage,
        hours: this.#parts.hours,
        endOfService: this.#parts.endOfService,
      });
      if (health.ok === healthy) return;
      healthy = health.ok;
      logger.info({ ok: health.ok, reason: health.reason }, 'device health');
      this.actor.send({ type: 'HEALTH', ...health });
    };
    for (const device of [
      devices.camera,
      devices.payment,
      devices.photoPrinter,
      this.#parts.environment,
      this.#paymentFaults,
      this.#parts.storage,
      this.#parts.hours,
      this.#parts.endOfService,
    ]) {
      if (device) this.#unsubscribe.push(device.onStatus(onStatus));
    }
    this.#unsubscribe.push(watchPrinterWarnings(devices.photoPrinter, logger));
    // Paper loaded, jam cleared: prints owed to earlier customers go out first.
    this.#unsubscribe.push(
      devices.photoPrinter.onStatus((status) => {
        if (status.ready) this.#deliverOwedPrints();
      }),
    );
    this.actor.start();
    this.#parts.environment?.start();
    this.#parts.storage?.start();
    this.#parts.hours?.start();
  }

  /** Prints owed to earlier customers, when the booth is between customers and the printer ready. */
  #deliverOwedPrints(): void {
    if (!this.view().waitingForCustomer || !this.#parts.devices.photoPrinter.status().ready) return;
    if (this.#parts.journal.owedPrints().length === 0) return;
    void this.#owed.deliverDue().catch((error: unknown) => {
      this.#parts.logger.error({ err: error }, 'owed prints: run failed');
    });
  }

  /**
   * Staff ask for the owed prints now (`kiosk owed retry`): the booth's own queue, so a sheet is
   * never printed twice. Null when it cannot print now (a customer at the booth, printer not ready).
   */
  deliverOwedPrintsNow(): Promise<OwedRun> | null {
    if (!this.#noCustomer() || !this.#parts.devices.photoPrinter.status().ready) return null;
    return this.#owed.deliverDue();
  }

  #noCustomer(): boolean {
    const view = this.view();
    return view.waitingForCustomer || view.operator !== null;
  }

  /** Hands credit back outside a session (staff giving up an owed print): see MoneyBack.handBack. */
  handBack(input: Parameters<MoneyBack['handBack']>[0]): ReturnType<MoneyBack['handBack']> {
    return this.#moneyBack.handBack(input);
  }

  /** Operator mode's services when the host built them (the unit's booth), else null. */
  get operator(): OperatorServices | null {
    return this.#parts.operator ?? null;
  }

  /** Staff put right a payment device that kept faulting (payment:repeated-…): it may take money again. */
  clearPaymentFaults(): void {
    this.#parts.logger.info(
      { recentFaults: this.#paymentFaults.recentFaults },
      'payment faults cleared by staff',
    );
    this.#paymentFaults.clear();
  }

  /** The end of service under way, for the screen's notice (null: none). */
  endOfService(): { phase: 'closing' | 'closed' | 'decommissioned'; closesAt: number | null } | null {
    const view = this.#parts.endOfService?.view();
    return view && view.phase !== 'in-service' ? { phase: view.phase, closesAt: view.closesAt } : null;
  }

  /** The operator's payment test (operator mode only: no session is taking money then). */
  testPayment(waitMs = 30_000): Promise<PaymentTestResult> {
    const payment = this.#parts.devices.payment;
    return runPaymentTest({ cashDesk: this.#cashDesk, payment, clock: this.clock, waitMs, graceMs: 1_500 });
  }

  /** A customer's action on the screen. */
  send(event: CustomerEvent): void {
    this.actor.send(event);
  }

  /** An operator's action on the screen (or the service key's OPERATOR_ENTER). */
  sendOperator(event: OperatorEvent): void {
    this.actor.send(event);
  }

  /**
   * What the consent screen shows in a language: the policy text, its version, whether it
   * changed recently, and the guardian notice for minors. Null when no policy is configured.
   */
  policyNotice(language: string): PolicyNotice | null {
    return this.#parts.policy?.notice(language) ?? null;
  }

  /** Each live frame the pose coach analysed, while the customer is being coached. */
  onLiveFrame(listener: LiveFrameListener): () => void {
    this.#frameListeners.add(listener);
    return () => void this.#frameListeners.delete(listener);
  }

  #frame(frame: LiveFrame, update: CoachUpdate): void {
    for (const listener of this.#frameListeners) {
      try {
        listener(frame, update);
      } catch (error) {
        this.#parts.logger.warn({ err: error }, 'live frame listener failed');
      }
    }
  }

  /** Read-only views for the screen bridge (snapshot building, demo staff panel). */
  get config(): BoothConfig {
    return this.#parts.config;
  }

  get devices(): Readonly<BoothDevices> {
    return this.#parts.devices;
  }

  get photos(): PhotoStore {
    return this.#photos;
  }

  snapshot(): BoothSnapshot {
    return this.actor.getSnapshot();
  }

  /** What the booth is doing, read from the flow's tags and meta. */
  view(): BoothView {
    return boothView(this.actor.getSnapshot());
  }

  /** The active state's dotted name, for logs and tests. */
  get state(): string {
    return this.view().state;
  }

  /**
   * Every change of the booth or of its current session (a parent's subscribers are not told of
   * its child's changes, so this follows both). The listener gets the booth's view.
   */
  onChange(listener: (view: BoothView) => void): () => void {
    // The booth's one child at a time: the session, or operator mode.
    let child: { ref: unknown; sub: Subscription } | null = null;
    const notify = (): void => {
      try {
        listener(this.view());
      } catch (error) {
        this.#parts.logger.warn({ err: error }, 'booth listener failed');
      }
    };
    const follow = (snapshot: BoothSnapshot): void => {
      const ref = snapshot.children.session ?? snapshot.children.operator;
      if (child?.ref === ref) return;
      child?.sub.unsubscribe();
      child = ref
        ? { ref, sub: (ref as SubscribableChild).subscribe({ next: notify, error: () => {} }) }
        : null;
    };
    const root = this.actor.subscribe({
      next: (snapshot) => {
        follow(snapshot);
        notify();
      },
      error: (error) => this.#parts.logger.fatal({ err: error }, 'booth flow stopped'),
    });
    follow(this.actor.getSnapshot());
    return () => {
      root.unsubscribe();
      child?.sub.unsubscribe();
    };
  }

  async stop(): Promise<void> {
    for (const off of this.#unsubscribe.splice(0)) off();
    this.#parts.environment?.stop();
    this.#parts.storage?.stop();
    this.#parts.hours?.stop();
    this.#cashDesk.stop();
    this.#paymentFaults.stop();
    this.actor.stop();
  }
}

type SubscribableChild = {
  subscribe(observer: { next: () => void; error: () => void }): Subscription;
};

/** Operator services for a booth built without them: the pad refuses, saying why. */
const unavailable = (): Promise<never> =>
  Promise.reject(
    new OperatorError('operator-unavailable', 'operator mode needs the unit data directory (kiosk start)'),
  );
const noOperatorDesk: OperatorServices = {
  checkPin: unavailable,
  changePin: unavailable,
  takings: unavailable,
  emptyCashBox: unavailable,
  paper: unavailable,
  mediaLoaded: unavailable,
  setMaintenance: unavailable,
  findReceipt: unavailable,
  reprint: unavailable,
  deletePhotos: unavailable,
  counters: unavailable,
  resetCounter: unavailable,
  runTest: unavailable,
  prices: unavailable,
  setPrice: unavailable,
  setProductOffered: unavailable,
  restart: unavailable,
  serviceInfo: unavailable,
  owedMail: async () => [],
  resendMail: unavailable,
  decommission: unavailable,
  owedPrints: unavailable,
  retryOwed: unavailable,
  giveUpOwed: unavailable,
  documents: unavailable,
  setDocument: unavailable,
  left: async () => {},
};

export function flowSettings(config: BoothConfig): FlowSettings {
  return {
    currency: config.currency,
    products: offeredProducts(config),
    digitalDelivery: config.mail !== null,
    documents: config.documents,
    languages: config.languages,
    retakes: config.retakes,
    timeouts: config.timeouts,
  };
}
