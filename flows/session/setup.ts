import { assign, fromCallback, fromPromise, sendParent, setup } from 'xstate';
import type { ErrorCode } from '../../core/errors.ts';
import { initialContext, type FlowSettings, type SessionContext } from './context.ts';
import type { SessionEvent } from './events.ts';
import { faultCode, type SessionServices } from './services.ts';
import { screen } from './screens.ts';

// The session machine's setup: its types, services (SessionServices, plugged in with provide()),
// actions, guards and delays, and the pieces of state config its states share. machine.ts and
// states/*.ts are made on it, so every state is typed alike.

const notProvided = (name: string) => () => {
  throw new Error(`session flow: the "${name}" service was not provided`);
};

/** The services that answer once (a promise); the others run while their state lasts. */
export type PromiseServiceName = Exclude<
  keyof SessionServices,
  'coachLiveView' | 'setAcceptance' | 'stackEscrow' | 'returnEscrow'
>;
export type ServiceInput<K extends PromiseServiceName> = Parameters<SessionServices[K]>[0];
export type ServiceOutput<K extends PromiseServiceName> = Awaited<ReturnType<SessionServices[K]>>;

/** A promise actor typed from the one contract, SessionServices (provided by the booth). */
const service = <K extends PromiseServiceName>(name: K) =>
  fromPromise<ServiceOutput<K>, ServiceInput<K>>(notProvided(name));

type Fault = { state: string; code: string };

/** Every named error state: a message, then the books are closed in `ending` (a touch skips the wait). */
export const errorScreen = {
  ...screen('error'),
  entry: { type: 'setOutcome', params: { outcome: 'failed' } },
  after: { errorNotice: 'ending' },
  on: { TOUCH: 'ending', CONTACT_US: '#session.contact' },
} as const;

/**
 * Prints the receipt (code, product, amount) on the way out. A missing receipt is not worth a
 * customer's wait: the code is on screen too, so a failure is ignored.
 */
export const receiptInvoke = (id: string) =>
  ({
    id,
    src: 'printReceipt',
    input: ({ context }: { context: SessionContext }) => ({
      sessionId: context.sessionId!,
      receiptCode: context.receiptCode!,
      productId: context.productId!,
      price: context.price,
    }),
    onError: {},
  }) as const;

/** Leaving on the customer's word; `ending` says what happens to their money. */
/** Cancel at once (no money in, or the customer confirmed). */
export const cancelNow = {
  target: '#session.ending',
  actions: { type: 'setOutcome', params: { outcome: 'cancelled' } },
} as const;

/** Cancel: with money in, the customer first hears what happens to it and confirms. */
export const cancel = [{ guard: 'moneyIn', target: '#session.confirmCancel' }, cancelNow] as const;

/** Cancel after the order is placed: there is always money in (the order's), so always ask. */
export const cancelPaid = { target: '#session.confirmCancel' } as const;

/** A language change on a screen that offers it: the same screen, in the new language. */
export const changeLanguage = (target: string) =>
  ({ guard: 'languageEnabled', target, actions: 'setLanguage' }) as const;

/** Output of a failed promise actor, as a fault record for the named error state. */
export const faultFrom =
  (state: string) =>
  ({ event }: { event: { error: unknown } }): Fault => ({ state, code: faultCode(event.error) });

export const sessionSetup = setup({
  types: {
    context: {} as SessionContext,
    events: {} as SessionEvent,
    input: {} as { settings: FlowSettings },
    /** Why the session ended the booth's service (it reached `outOfService`). */
    output: {} as { outOfServiceReason: string | null },
  },
  actors: {
    checkDevices: service('checkDevices'),
    openSession: service('openSession'),
    acceptance: fromCallback<SessionEvent>(notProvided('acceptance')),
    placeOrder: service('placeOrder'),
    liveCoach: fromCallback<SessionEvent, Parameters<SessionServices['coachLiveView']>[0]>(
      notProvided('liveCoach'),
    ),
    captureStill: service('captureStill'),
    checkStill: service('checkStill'),
    producePhotos: service('producePhotos'),
    printSheets: service('printSheets'),
    deliverOrder: service('deliverOrder'),
    printReceipt: service('printReceipt'),
    endSession: service('endSession'),
    redeemVoucher: service('redeemVoucher'),
    requestDigitalCopy: service('requestDigitalCopy'),
    requestContact: service('requestContact'),
  },
  actions: {
    /** Tells the booth that operator mode may open: nobody's money is in and no customer is here. */
    grantOperator: sendParent({ type: 'OPERATOR_GRANTED' }),
    stackEscrow: notProvided('stackEscrow') as (args: unknown, params: { ref: string }) => void,
    returnEscrow: notProvided('returnEscrow') as (args: unknown, params: { ref: string }) => void,
    resetSession: assign(({ context }) => initialContext(context.settings)),
    setOutcome: assign((_, params: { outcome: NonNullable<SessionContext['outcome']> }) => ({
      outcome: params.outcome,
    })),
    setFault: assign((_, fault: Fault) => ({ fault })),
    // The held note (if any) to the cash box, or back to the customer; provided like the escrow actions.
    stackHeldNote: notProvided('stackHeldNote') as (args: { context: SessionContext }) => void,
    returnHeldNote: notProvided('returnHeldNote') as (args: { context: SessionContext }) => void,
    clearHeldNote: assign({ heldNote: null }),
    setLanguage: assign({
      language: ({ context, event }) =>
        event.type === 'SELECT_LANGUAGE' ? event.language : context.language,
    }),
  },
  guards: {
    diskFull: ({ event }) =>
      faultCode((event as { error?: unknown }).error) === ('disk-full' satisfies ErrorCode),
    printsOwed: ({ event }) =>
      faultCode((event as { error?: unknown }).error) === ('prints-owed' satisfies ErrorCode),
    creditCoversPrice: ({ context }) => context.price > 0 && context.credit >= context.price,
    // Credit, or a paid order that cancelling would turn back into credit.
    moneyIn: ({ context }) => context.credit > 0 || context.orderId !== null || context.heldNote !== null,
    retakesLeft: ({ context }) => context.retakesLeft > 0,
    /** `ending` closed the books and said what became of the money (the money-back screen). */
    moneyHandedBack: ({ context }) => context.handedBack !== null,
    /** The customer bought the digital file and the booth can email it. */
    digitalToSend: ({ context }) =>
      context.settings.digitalDelivery === true &&
      context.settings.products.some((p) => p.id === context.productId && p.digital === true),
    photoPassed: ({ context }) => context.review?.verdict === 'pass',
    languageEnabled: ({ context, event }) =>
      event.type === 'SELECT_LANGUAGE' && context.settings.languages.enabled.includes(event.language),
  },
  delays: {
    inactivity: ({ context }) => context.settings.timeouts.inactivityMs,
    stillThere: ({ context }) => context.settings.timeouts.stillThereMs,
    pose: ({ context }) => context.settings.timeouts.poseMs,
    poseIdle: ({ context }) => context.settings.timeouts.poseMs + context.settings.timeouts.inactivityMs,
    countdown: ({ context }) => context.settings.timeouts.countdownMs,
    thankYou: ({ context }) => context.settings.timeouts.thankYouMs,
    /** How long an error screen shows before the session's books are closed. */
    errorNotice: ({ context }) => context.settings.timeouts.errorNoticeMs,
  },
});
