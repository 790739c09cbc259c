import { assign, fromCallback, fromPromise, sendParent, setup } from 'xstate';
import type { ErrorCode } from '../../core/errors.ts';
import { initialContext, type FlowSettings, type SessionContext } from './context.ts';
import type { SessionEvent } from './events.ts';
import { faultCode, type CoachUpdate, type SessionServices } from './services.ts';
import { busy, screen, tags } from './screens.ts';

/**
 * The customer journey, one session at a time:
 * attract → language → consent → choose → (device check) → payment → pose → countdown →
 * capture → review → produce → print → thank-you → attract (or print → print owed → attract
 * when the printer fails after payment). It ends (final `outOfService`, with the reason) when the
 * booth cannot serve: the booth machine above it (flows/booth) holds the booth out of service
 * and starts a fresh session once the devices are back.
 *
 * Money rules kept here: acceptance is on only in `payment` (the `acceptance` actor lives and dies
 * with that state); devices are checked before payment, so nobody pays for a photo that cannot be
 * printed; every way out of a session passes through `ending`, which closes the books (an order
 * not delivered goes back into credit, unused credit is carried or refunded per config).
 *
 * Side effects are actors with placeholder logic; the booth supplies real ones through
 * `machine.provide()` (see provideSessionServices). Each state's screen is in its `meta`
 * (screens.ts); `tags` say what the host needs to know (waiting for a customer).
 */

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
const errorScreen = {
  ...screen('error'),
  entry: { type: 'setOutcome', params: { outcome: 'failed' } },
  after: { errorNotice: 'ending' },
  on: { TOUCH: 'ending' },
} as const;

/**
 * Prints the receipt (code, product, amount) on the way out. A missing receipt is not worth a
 * customer's wait: the code is on screen too, so a failure is ignored.
 */
const receiptInvoke = (id: string) =>
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
const cancelNow = {
  target: '#session.ending',
  actions: { type: 'setOutcome', params: { outcome: 'cancelled' } },
} as const;

/** Cancel: with money in, the customer first hears what happens to it and confirms. */
const cancel = [{ guard: 'moneyIn', target: '#session.confirmCancel' }, cancelNow] as const;

/** Cancel after the order is placed: there is always money in (the order's), so always ask. */
const cancelPaid = { target: '#session.confirmCancel' } as const;

/** A language change on a screen that offers it: the same screen, in the new language. */
const changeLanguage = (target: string) =>
  ({ guard: 'languageEnabled', target, actions: 'setLanguage' }) as const;

/** Output of a failed promise actor, as a fault record for the named error state. */
const faultFrom =
  (state: string) =>
  ({ event }: { event: { error: unknown } }): Fault => ({ state, code: faultCode(event.error) });

export const sessionMachine = setup({
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
}).createMachine({
  id: 'session',
  context: ({ input }) => initialContext(input.settings),
  initial: 'attract',
  output: ({ context }) => ({ outOfServiceReason: context.outOfServiceReason }),
  on: {
    // A credit outside `payment` (a coin that dropped just after the screen moved on) is already in
    // the journal; the flow only mirrors the balance so it is carried or refunded with the rest.
    CREDIT: { actions: assign({ credit: ({ event }) => event.balance }) },
    // A note offered when this session cannot use it goes back to the customer.
    ESCROW: { actions: { type: 'returnEscrow', params: ({ event }) => ({ ref: event.ref }) } },
    // The validator gave the held note back by itself (its escrow timed out, a reset).
    ESCROW_RETURNED: {
      guard: ({ context, event }) => context.heldNote?.ref === event.ref,
      actions: assign({ heldNote: null }),
    },
  },
  states: {
    attract: {
      ...screen('attract'),
      entry: 'resetSession',
      initial: 'checking',
      states: {
        checking: {
          invoke: {
            id: 'attractCheck',
            src: 'checkDevices',
            input: () => ({ productId: null }),
            onDone: [
              { guard: ({ event }) => event.output.ok, target: 'idle' },
              {
                target: '#session.outOfService',
                actions: assign({ outOfServiceReason: ({ event }) => event.output.reason }),
              },
            ],
            onError: {
              target: '#session.outOfService',
              actions: assign({
                outOfServiceReason: ({ event }) => `check-failed:${faultCode(event.error)}`,
              }),
            },
          },
        },
        idle: {
          tags: [tags.waitingForCustomer],
          on: {
            TOUCH: '#session.customer',
            // Operator mode only between customers, never with money in (carried credit, a held note).
            OPERATOR_ENTER: {
              guard: ({ context }) => context.credit === 0 && context.heldNote === null,
              actions: 'grantOperator',
            },
            HEALTH: {
              guard: ({ event }) => !event.ok,
              target: '#session.outOfService',
              actions: assign({ outOfServiceReason: ({ event }) => event.reason }),
            },
          },
        },
      },
    },

    /** The states a customer works through; "are you still there?" comes back here by history. */
    customer: {
      initial: 'language',
      states: {
        resume: { type: 'history', history: 'deep' },

        language: {
          ...screen('language'),
          after: { inactivity: '#session.stillThere' },
          on: { SELECT_LANGUAGE: changeLanguage('consent') },
        },

        consent: {
          ...screen('consent'),
          after: { inactivity: '#session.stillThere' },
          on: {
            SELECT_LANGUAGE: changeLanguage('consent'),
            // Nothing has been captured or stored yet: declining simply ends the visit.
            DECLINE_CONSENT: {
              target: '#session.ending',
              actions: { type: 'setOutcome', params: { outcome: 'declined' } },
            },
            ACCEPT_CONSENT: 'opening',
          },
        },

        opening: {
          ...busy('opening'),
          invoke: {
            id: 'openSession',
            src: 'openSession',
            input: ({ context }) => ({ language: context.language }),
            onDone: {
              target: 'choose',
              actions: assign({
                sessionId: ({ event }) => event.output.sessionId,
                receiptCode: ({ event }) => event.output.receiptCode,
                credit: ({ event }) => event.output.credit,
                // Credit already in the booth when this customer arrived: an earlier customer's.
                carriedCredit: ({ event }) => event.output.credit,
              }),
            },
            onError: [
              {
                guard: 'diskFull',
                target: '#session.storageFailed',
                actions: { type: 'setFault', params: faultFrom('opening') },
              },
              { target: '#session.failed', actions: { type: 'setFault', params: faultFrom('opening') } },
            ],
          },
        },

        choose: {
          ...screen('choose'),
          after: { inactivity: '#session.stillThere' },
          on: {
            SELECT_LANGUAGE: changeLanguage('choose'),
            CHOOSE: {
              guard: ({ context, event }) =>
                context.settings.documents.includes(event.documentId) &&
                context.settings.products.some((p) => p.id === event.productId),
              target: 'checkingDevices',
              actions: assign(({ context, event }) => ({
                documentId: event.documentId,
                productId: event.productId,
                price: context.settings.products.find((p) => p.id === event.productId)?.price ?? 0,
              })),
            },
            CANCEL: cancel,
          },
        },

        /** Before any money: can the booth shoot, print and take payment for this product? */
        checkingDevices: {
          ...busy('checking-devices'),
          invoke: {
            id: 'deviceCheck',
            src: 'checkDevices',
            input: ({ context }) => ({ productId: context.productId }),
            onDone: [
              {
                guard: ({ event }) => !event.output.ok,
                target: '#session.unavailable',
                actions: assign({ outOfServiceReason: ({ event }) => event.output.reason }),
              },
              { guard: 'creditCoversPrice', target: 'ordering' },
              { target: 'payment' },
            ],
            onError: {
              target: '#session.unavailable',
              actions: assign({
                outOfServiceReason: ({ event }) => `check-failed:${faultCode(event.error)}`,
              }),
            },
          },
        },

        payment: {
          ...screen('payment'),
          invoke: { id: 'acceptance', src: 'acceptance' },
          initial: 'waiting',
          states: {
            waiting: {
              after: { inactivity: '#session.stillThere' },
              on: { REDEEM_VOUCHER: 'redeeming' },
            },
            /** A voucher code is checked against the journal; its amount becomes credit, once. */
            redeeming: {
              invoke: {
                id: 'redeemVoucher',
                src: 'redeemVoucher',
                input: ({ context, event }) => ({
                  sessionId: context.sessionId!,
                  code: event.type === 'REDEEM_VOUCHER' ? event.code : '',
                }),
                onDone: [
                  {
                    guard: ({ context, event }) => event.output.credit >= context.price,
                    target: '#session.customer.ordering',
                    actions: assign({
                      credit: ({ event }) => event.output.credit,
                      voucherRedeemed: ({ event }) => event.output.amount,
                      voucherError: null,
                    }),
                  },
                  {
                    target: 'waiting',
                    actions: assign({
                      credit: ({ event }) => event.output.credit,
                      voucherRedeemed: ({ event }) => event.output.amount,
                      voucherError: null,
                    }),
                  },
                ],
                onError: {
                  target: 'waiting',
                  actions: assign({ voucherError: ({ event }) => faultCode(event.error) }),
                },
              },
            },
          },
          on: {
            CREDIT: [
              {
                guard: ({ context, event }) => event.balance >= context.price,
                target: 'ordering',
                actions: assign({ credit: ({ event }) => event.balance }),
              },
              // Coins and the held note meet the price: the note goes in, its credit orders.
              {
                guard: ({ context, event }) =>
                  context.heldNote !== null && event.balance + context.heldNote.amount >= context.price,
                target: '.waiting',
                actions: [assign({ credit: ({ event }) => event.balance }), 'stackHeldNote', 'clearHeldNote'],
              },
              // Every coin restarts the inactivity timer.
              { target: '.waiting', actions: assign({ credit: ({ event }) => event.balance }) },
            ],
            // A note stays in escrow until the price is met, so Cancel gives the note itself back.
            // The validator holds one note: an earlier held note goes to the cash box when the
            // next comes. The note that meets the price is taken at once; its credit orders.
            ESCROW: [
              {
                guard: ({ context, event }) => context.credit + event.amount >= context.price,
                target: '.waiting',
                actions: [
                  'stackHeldNote',
                  'clearHeldNote',
                  { type: 'stackEscrow', params: ({ event }) => ({ ref: event.ref }) },
                ],
              },
              {
                target: '.waiting',
                actions: [
                  'stackHeldNote',
                  assign({ heldNote: ({ event }) => ({ ref: event.ref, amount: event.amount }) }),
                ],
              },
            ],
            // A device the product needs went down while the customer pays: stop taking money.
            HEALTH: {
              guard: ({ event }) => !event.ok,
              target: '#session.unavailable',
              actions: assign({ outOfServiceReason: ({ event }) => event.reason }),
            },
            PAYMENT_FAULT: {
              target: '#session.paymentFailed',
              actions: { type: 'setFault', params: ({ event }) => ({ state: 'payment', code: event.code }) },
            },
            CANCEL: cancel,
          },
        },

        ordering: {
          ...busy('ordering'),
          // Coins alone met the price while a note was held: the note is not needed, it goes back.
          entry: ['returnHeldNote', 'clearHeldNote'],
          invoke: {
            id: 'placeOrder',
            src: 'placeOrder',
            input: ({ context }) => ({
              sessionId: context.sessionId!,
              productId: context.productId!,
              price: context.price,
            }),
            onDone: {
              target: 'shooting',
              actions: assign({
                orderId: ({ event }) => event.output.orderId,
                credit: ({ event }) => event.output.credit,
              }),
            },
            // The journal refused (e.g. credit changed under us): back to payment, nothing lost.
            onError: 'payment',
          },
        },

        /** Live view runs for the whole of pose and countdown, so the person sees themselves. */
        shooting: {
          invoke: {
            id: 'liveCoach',
            src: 'liveCoach',
            input: ({ context }) => ({ sessionId: context.sessionId!, documentId: context.documentId! }),
          },
          initial: 'pose',
          on: {
            COACH_UPDATE: {
              actions: assign({
                coach: ({ event }): CoachUpdate => ({
                  ready: event.ready,
                  hint: event.hint,
                  checks: event.checks,
                  face: event.face ?? null,
                }),
              }),
            },
            CAMERA_FAULT: {
              target: '#session.cameraFailed',
              actions: { type: 'setFault', params: ({ event }) => ({ state: 'shooting', code: event.code }) },
            },
            // Leaving during the pose with a paid order: `ending` puts the price back into credit.
            CANCEL: cancelPaid,
          },
          states: {
            pose: {
              ...screen('pose'),
              entry: assign({ manualCaptureOffered: false, coach: { ready: false, hint: null, checks: {} } }),
              after: {
                // Coaching alone did not get there: offer the capture button, then ask if they are still there.
                pose: { actions: assign({ manualCaptureOffered: true }) },
                // Someone being coached is busy, not idle: ask only once the button went unused.
                poseIdle: '#session.stillThere',
              },
              on: {
                COACH_UPDATE: {
                  guard: ({ event }) => event.ready,
                  target: 'countdown',
                  actions: assign({
                    coach: ({ event }) => ({
                      ready: event.ready,
                      hint: event.hint,
                      checks: event.checks,
                      face: event.face ?? null,
                    }),
                  }),
                },
                CAPTURE_NOW: 'countdown',
              },
            },
            countdown: {
              ...screen('countdown'),
              after: { countdown: '#session.customer.capturing' },
            },
          },
        },

        capturing: {
          ...busy('capturing'),
          invoke: {
            id: 'captureStill',
            src: 'captureStill',
            input: ({ context }) => ({ sessionId: context.sessionId! }),
            onDone: { target: 'checking', actions: assign({ stillId: ({ event }) => event.output.stillId }) },
            onError: [
              {
                guard: 'diskFull',
                target: '#session.storageFailed',
                actions: { type: 'setFault', params: faultFrom('capturing') },
              },
              {
                target: '#session.cameraFailed',
                actions: { type: 'setFault', params: faultFrom('capturing') },
              },
            ],
          },
        },

        checking: {
          ...busy('checking'),
          invoke: {
            id: 'checkStill',
            src: 'checkStill',
            input: ({ context }) => ({
              sessionId: context.sessionId!,
              stillId: context.stillId!,
              documentId: context.documentId!,
            }),
            onDone: { target: 'review', actions: assign({ review: ({ event }) => event.output }) },
            onError: {
              target: '#session.productionFailed',
              actions: { type: 'setFault', params: faultFrom('checking') },
            },
          },
        },

        review: {
          ...screen('review'),
          after: { inactivity: '#session.stillThere' },
          on: {
            ACCEPT_PHOTO: { guard: 'photoPassed', target: '#session.producing' },
            RETAKE: {
              guard: 'retakesLeft',
              target: 'shooting',
              actions: assign({
                retakesLeft: ({ context }) => context.retakesLeft - 1,
                stillId: null,
                review: null,
              }),
            },
            // Leaving with a paid order: `ending` puts the price back into credit.
            CANCEL: cancelPaid,
          },
        },
      },
    },

    /**
     * Cancel with money in: the screen says how much and what happens to it (the unit's policy)
     * before anything is given up. Keep going returns to where the customer was.
     */
    confirmCancel: {
      ...screen('confirmCancel'),
      after: {
        stillThere: { target: 'ending', actions: { type: 'setOutcome', params: { outcome: 'walked-away' } } },
      },
      on: {
        KEEP_GOING: 'customer.resume',
        CANCEL: cancelNow,
      },
    },

    stillThere: {
      ...screen('stillThere'),
      after: {
        stillThere: { target: 'ending', actions: { type: 'setOutcome', params: { outcome: 'walked-away' } } },
      },
      on: {
        STILL_HERE: 'customer.resume',
        CANCEL: cancel,
      },
    },

    producing: {
      ...screen('producing'),
      invoke: {
        id: 'producePhotos',
        src: 'producePhotos',
        input: ({ context }) => ({
          sessionId: context.sessionId!,
          stillId: context.stillId!,
          documentId: context.documentId!,
          productId: context.productId!,
        }),
        onDone: { target: 'printing', actions: assign({ sheetIds: ({ event }) => event.output.sheetIds }) },
        onError: [
          {
            guard: 'diskFull',
            target: 'storageFailed',
            actions: { type: 'setFault', params: faultFrom('producing') },
          },
          { target: 'productionFailed', actions: { type: 'setFault', params: faultFrom('producing') } },
        ],
      },
    },

    printing: {
      ...screen('printing'),
      invoke: {
        id: 'printSheets',
        src: 'printSheets',
        input: ({ context }) => ({
          sessionId: context.sessionId!,
          orderId: context.orderId!,
          sheetIds: context.sheetIds,
        }),
        onDone: {
          target: 'delivering',
          actions: assign({ printedSheets: ({ event }) => event.output.printed }),
        },
        onError: [
          {
            guard: 'printsOwed',
            target: 'printOwed',
            actions: { type: 'setFault', params: faultFrom('printing') },
          },
          { target: 'printFailed', actions: { type: 'setFault', params: faultFrom('printing') } },
        ],
      },
    },

    /**
     * The printer failed after payment and the booth recorded the prints as owed: they come out
     * as soon as the printer is back. The order is no longer this session's to reverse; the
     * customer keeps the receipt code (on screen, and on the receipt if that printer works).
     */
    printOwed: {
      ...screen('printOwed'),
      entry: [assign({ orderId: null }), { type: 'setOutcome', params: { outcome: 'owed' } }],
      invoke: receiptInvoke('printOwedReceipt'),
      after: { thankYou: 'ending' },
      on: { FINISH: 'ending', TOUCH: 'ending' },
    },

    delivering: {
      ...busy('delivering'),
      invoke: {
        id: 'deliverOrder',
        src: 'deliverOrder',
        input: ({ context }) => ({ orderId: context.orderId! }),
        onDone: {
          target: 'thankYou',
          actions: [assign({ orderId: null }), { type: 'setOutcome', params: { outcome: 'completed' } }],
        },
        onError: { target: 'failed', actions: { type: 'setFault', params: faultFrom('delivering') } },
      },
    },

    thankYou: {
      ...screen('thankYou'),
      invoke: receiptInvoke('printReceipt'),
      after: { thankYou: 'ending' },
      on: { FINISH: 'ending', TOUCH: 'ending' },
    },

    // Named error states. Each shows a message, then closes the books in `ending`; the device
    // check on the way back to attract decides whether the booth goes out of service.
    paymentFailed: errorScreen,
    cameraFailed: errorScreen,
    productionFailed: errorScreen,
    printFailed: errorScreen,
    /**
     * The vault could not store the customer's photo (disk full). Nothing is printed from a photo
     * that is not safely stored; a paid order goes back to credit on the way out.
     */
    storageFailed: errorScreen,
    failed: errorScreen,
    /** The chosen product cannot be delivered now; no money was taken for it. */
    unavailable: {
      ...screen('unavailable'),
      entry: [
        { type: 'setOutcome', params: { outcome: 'failed' } },
        {
          type: 'setFault',
          params: ({ context }) => ({ state: 'unavailable', code: context.outOfServiceReason ?? 'unknown' }),
        },
      ],
      after: { errorNotice: 'ending' },
      on: { TOUCH: 'ending' },
    },

    ending: {
      ...busy('ending'),
      // A note still held in escrow was never taken: it comes back out of the slot.
      entry: ['returnHeldNote', 'clearHeldNote'],
      invoke: {
        id: 'endSession',
        src: 'endSession',
        input: ({ context }) => ({
          sessionId: context.sessionId,
          orderId: context.orderId,
          outcome: context.outcome ?? 'walked-away',
          fault: context.fault,
        }),
        onDone: [
          {
            guard: ({ event }) => Boolean(event.output.handedBack),
            target: 'moneyBack',
            actions: assign({ handedBack: ({ event }) => event.output.handedBack }),
          },
          { target: 'attract' },
        ],
        // The journal could not be written: stop selling until staff look at it.
        onError: {
          target: 'outOfService',
          actions: assign({ outOfServiceReason: ({ event }) => `journal:${faultCode(event.error)}` }),
        },
      },
    },

    /**
     * The customer's money, settled: coins paid back, a voucher's code and amount, or the credit
     * left for the next customer, said in so many words before the booth moves on.
     */
    moneyBack: {
      ...screen('moneyBack'),
      after: { errorNotice: 'attract' },
      on: { FINISH: 'attract', TOUCH: 'attract' },
    },

    /** The booth cannot serve (a device down, the journal unwritable): the booth machine takes over. */
    outOfService: { type: 'final', ...screen('outOfService') },
  },
});

export type SessionMachine = typeof sessionMachine;
