import { createActor, type Actor } from 'xstate';
import { SimClock } from '../../core/sim-clock.ts';
import { initialContext, type FlowSettings, type SessionContext } from '../../flows/session/context.ts';
import type { SessionEvent } from '../../flows/session/events.ts';
import type { OperatorEvent } from '../../flows/operator/events.ts';
import { provideBoothServices } from '../../flows/booth/provide.ts';
import { boothView } from '../../flows/booth/view.ts';
import type { CoachUpdate, SessionServices } from '../../flows/session/services.ts';
import type { OperatorServices } from '../../flows/operator/services.ts';

export const testSettings: FlowSettings = {
  currency: 'EUR',
  products: [
    { id: 'photos-4', price: 800, prints: 1 },
    { id: 'photos-8', price: 1200, prints: 2 },
  ],
  documents: ['eu-passport', 'us-passport'],
  languages: { default: 'en', enabled: ['en', 'de', 'ar'] },
  retakes: 1,
  timeouts: {
    inactivityMs: 30_000,
    stillThereMs: 10_000,
    poseMs: 20_000,
    countdownMs: 3_000,
    thankYouMs: 10_000,
    healthRecheckMs: 5_000,
    errorNoticeMs: 8_000,
  },
};

type PromiseServiceName = Exclude<
  keyof SessionServices,
  'coachLiveView' | 'setAcceptance' | 'stackEscrow' | 'returnEscrow'
>;

interface Pending {
  input: unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Runs the real booth machine (and the session machine under it) on simulated time with services whose every call waits until
 * the test answers it. Tests drive it like the booth would: customer events, device events,
 * and answers from services.
 */
export class SessionHarness {
  readonly clock = new SimClock();
  readonly pending = new Map<PromiseServiceName, Pending[]>();
  readonly calls: { service: string; input: unknown }[] = [];
  readonly acceptance: boolean[] = [];
  readonly escrow: { action: 'stack' | 'return'; ref: string }[] = [];
  coach: { update: (u: CoachUpdate) => void; fault: (code: string) => void } | null = null;
  coachStopped = 0;
  acceptanceFails: string | null = null;
  readonly actor: Actor<ReturnType<typeof provideBoothServices>>;
  readonly #settings: FlowSettings;

  constructor(
    settings: FlowSettings = testSettings,
    options: { operator?: OperatorServices; maintenance?: boolean; operatorIdleMs?: number } = {},
  ) {
    const wait =
      (service: PromiseServiceName) =>
      (input: unknown): Promise<never> => {
        this.calls.push({ service, input });
        return new Promise((resolve, reject) => {
          const list = this.pending.get(service) ?? [];
          list.push({ input, resolve: resolve as (v: unknown) => void, reject });
          this.pending.set(service, list);
        });
      };
    const services: SessionServices = {
      checkDevices: wait('checkDevices'),
      openSession: wait('openSession'),
      placeOrder: wait('placeOrder'),
      captureStill: wait('captureStill'),
      checkStill: wait('checkStill'),
      producePhotos: wait('producePhotos'),
      printSheets: wait('printSheets'),
      deliverOrder: wait('deliverOrder'),
      printReceipt: wait('printReceipt'),
      endSession: wait('endSession'),
      redeemVoucher: wait('redeemVoucher'),
      requestDigitalCopy: wait('requestDigitalCopy'),
      requestContact: wait('requestContact'),
      setAcceptance: async (enabled) => {
        this.acceptance.push(enabled);
        if (enabled && this.acceptanceFails)
          throw Object.assign(new Error('no answer'), { code: this.acceptanceFails });
      },
      stackEscrow: async (ref) => void this.escrow.push({ action: 'stack', ref }),
      returnEscrow: async (ref) => void this.escrow.push({ action: 'return', ref }),
      coachLiveView: (_input, report) => {
        this.calls.push({ service: 'coachLiveView', input: _input });
        this.coach = report;
        return () => {
          this.coach = null;
          this.coachStopped++;
        };
      },
    };
    this.#settings = settings;
    // Session flow tests never enter operator mode unless given its services (operator-mode.test.ts).
    const noOperator = () => Promise.reject(new Error('operator mode is not part of session tests'));
    const operator = {
      checkPin: noOperator,
      changePin: noOperator,
      takings: noOperator,
      emptyCashBox: noOperator,
      paper: noOperator,
      mediaLoaded: noOperator,
      setMaintenance: noOperator,
      findReceipt: noOperator,
      reprint: noOperator,
      deletePhotos: noOperator,
      counters: noOperator,
      resetCounter: noOperator,
      runTest: noOperator,
      prices: noOperator,
      setPrice: noOperator,
      owedPrints: noOperator,
      retryOwed: noOperator,
      giveUpOwed: noOperator,
      documents: noOperator,
      setDocument: noOperator,
      setProductOffered: noOperator,
      restart: noOperator,
      serviceInfo: noOperator,
      owedMail: noOperator,
      resendMail: noOperator,
      decommission: noOperator,
      left: noOperator,
    };
    this.actor = createActor(provideBoothServices(services, options.operator ?? operator), {
      input: {
        settings,
        operator: { idleMs: options.operatorIdleMs ?? 120_000, maintenance: options.maintenance ?? false },
      },
      clock: this.clock,
    });
  }

  async start(): Promise<this> {
    this.actor.start();
    await this.clock.settle();
    return this;
  }

  get state(): string {
    return boothView(this.actor.getSnapshot()).state;
  }

  /** The session machine's state value; out of service, the session's final state `outOfService`. */
  get sessionValue(): unknown {
    return boothView(this.actor.getSnapshot()).session?.value ?? 'outOfService';
  }

  /** The session's context; out of service, a fresh one with the booth's reason. */
  get context(): SessionContext {
    const view = boothView(this.actor.getSnapshot());
    return (
      view.session?.context ?? {
        ...initialContext(this.#settings),
        outOfServiceReason: view.outOfServiceReason,
      }
    );
  }

  async send(event: SessionEvent | OperatorEvent): Promise<void> {
    this.actor.send(event);
    await this.clock.settle();
  }

  /** Answers the oldest waiting call of a service. */
  async answer(service: PromiseServiceName, output?: unknown): Promise<unknown> {
    const call = this.take(service);
    call.resolve(output);
    await this.clock.settle();
    return call.input;
  }

  async fail(service: PromiseServiceName, code: string): Promise<void> {
    this.take(service).reject(Object.assign(new Error(`${service} failed`), { code }));
    await this.clock.settle();
  }

  isWaitingOn(service: PromiseServiceName): boolean {
    return (this.pending.get(service)?.length ?? 0) > 0;
  }

  async advance(ms: number): Promise<void> {
    await this.clock.advance(ms);
  }

  private take(service: PromiseServiceName): Pending {
    const call = this.pending.get(service)?.shift();
    if (!call) throw new Error(`no call to ${service} is waiting (state ${this.state})`);
    return call;
  }

  // Common stretches of a session, so scenario tests read like the journey.

  async toChoose(credit = 0): Promise<void> {
    await this.answer('checkDevices', { ok: true, reason: null });
    await this.send({ type: 'TOUCH' });
    await this.send({ type: 'SELECT_LANGUAGE', language: 'en' });
    await this.send({ type: 'ACCEPT_CONSENT' });
    await this.answer('openSession', { sessionId: 's1', receiptCode: 'ABCD-EFGH', credit });
  }

  async toPayment(): Promise<void> {
    await this.toChoose();
    await this.send({ type: 'CHOOSE', documentId: 'eu-passport', productId: 'photos-4' });
    await this.answer('checkDevices', { ok: true, reason: null });
  }

  async toPose(): Promise<void> {
    await this.toPayment();
    await this.send({ type: 'CREDIT', amount: 800, balance: 800 });
    await this.answer('placeOrder', { orderId: 'o1', credit: 0 });
  }

  async toReview(verdict: 'pass' | 'fail' = 'pass'): Promise<void> {
    await this.toPose();
    await this.send({ type: 'CAPTURE_NOW' });
    await this.advance(testSettings.timeouts.countdownMs);
    await this.answer('captureStill', { stillId: 'still-1' });
    await this.answer('checkStill', { verdict, failed: verdict === 'pass' ? [] : ['eyes.open'] });
  }
}
