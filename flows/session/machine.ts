import { assign, fromCallback, fromPromise, setup } from 'xstate';
import { initialContext, type FlowSettings, type ReviewReport, type SessionContext } from './context.ts';
import type { SessionEvent } from './events.ts';
import { faultCode, type CoachUpdate } from './services.ts';

/**
 * The customer journey, one session at a time:
 * attract → language → consent → choose → (device check) → payment → pose → countdown →
 * capture → review → produce → print → thank-you → attract (or print → print owed → attract
 * when the printer fails after payment).
 *
 * Money rules kept here: acceptance is on only in `payment` (the `acceptance` actor lives and dies
 * with that state); devices are checked before payment, so nobody pays for a photo that cannot be
 * printed; every way out of a session passes through `ending`, which closes the books (an order
 * not delivered goes back into credit, unused credit is carried or refunded per config).
 *
 * Side effects are actors with placeholder logic; the booth supplies real ones through
 * `machine.provide()` (see provideSessionServices).
 */

const notProvided = (name: string) => () => {
  throw new Error(`session flow: the "${name}" service was not provided`);
};

type Fault = { state: string; code: string };

/** Output of a failed promise actor, as a fault record for the named error state. */
/** Every named error state: a message, then the books are closed in `ending` (a touch skips the wait). */
const errorScreen = {
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

const faultFrom =
  (state: string) =>
  ({ event }: { event: { error: unknown } }): Fault => ({ state, code: faultCode(event.error) });

export const sessionMachine = setup({
  types: {
    context: {} as SessionContext,
    events: {} as SessionEvent,
    input: {} as { settings: FlowSettings },
  },
  actors: {
    checkDevices: fromPromise<{ ok: boolean; reason: string | null }, { productId: string | null }>(
      notProvided('checkDevices'),
    ),
    openSession: fromPromise<
      { sessionId: string; receiptCode: string; credit: number },
      { language: string }
    >(notProvided('openSession')),
    acceptance: fromCallback<SessionEvent>(notProvided('acceptance')),
    placeOrder: fromPromise<
      { orderId: string; credit: number },
      { sessionId: string; productId: string; price: number }
    >(notProvided('placeOrder')),
    liveCoach: fromCallback<SessionEvent, { sessionId: string; documentId: string }>(
      notProvided('liveCoach'),
    ),
    captureStill: fromPromise<{ stillId: string }, { sessionId: string }>(notProvided('captureStill')),
    checkStill: fromPromise<ReviewReport, { sessionId: string; stillId: string; documentId: string }>(
      notProvided('checkStill'),
    ),
    producePhotos: fromPromise<
      { sheetIds: string[] },
      { sessionId: string; stillId: string; documentId: string; productId: string }
    >(notProvided('producePhotos')),
    printSheets: fromPromise<{ printed: number }, { sessionId: string; orderId: string; sheetIds: string[] }>(
      notProvided('printSheets'),
    ),
    deliverOrder: fromPromise<void, { orderId: string }>(notProvided('deliverOrder')),
    printReceipt: fromPromise<
      void,
      { sessionId: string; receiptCode: string; productId: string; price: number }
    >(notProvided('printReceipt')),
    endSession: fromPromise<
      { credit: number },
      {
        sessionId: string | null;
        orderId: string | null;
        outcome: NonNullable<SessionContext['outcome']>;
        fault: Fault | null;
      }
    >(notProvided('endSession')),
  },
  actions: {
    stackEscrow: notProvided('stackEscrow') as (args: unknown, params: { ref: string }) => void,
    returnEscrow: notProvided('returnEscrow') as (args: unknown, params: { ref: string }) => void,
    resetSession: assign(({ context }) => initialContext(context.settings)),
    setOutcome: assign((_, params: { outcome: NonNullable<SessionContext['outcome']> }) => ({
      outcome: params.outcome,
    })),
    setFault: assign((_, fault: Fault) => ({ fault })),
  },
  guards: {
    diskFull: ({ event }) => faultCode((event as { error?: unknown }).error) === 'disk-full',
    printsOwed: ({ event }) => faultCode((event as { error?: unknown }).error) === 'prints-owed',
    creditCoversPrice: ({ context }) => context.price > 0 && context.credit >= context.price,
    retakesLeft: ({ context }) => context.retakesLeft > 0,
    photoPassed: ({ context }) => context.review?.verdict === 'pass',
  },
  delays: {
    inactivity: ({ context }) => context.settings.timeouts.inactivityMs,
    stillThere: ({ context }) => context.settings.timeouts.stillThereMs,
    pose: ({ context }) => context.settings.timeouts.poseMs,
    poseIdle: ({ context }) => context.settings.timeouts.poseMs + context.settings.timeouts.inactivityMs,
    countdown: ({ context }) => context.settings.timeouts.countdownMs,
    thankYou: ({ context }) => context.settings.timeouts.thankYouMs,
    healthRecheck: ({ context }) => context.settings.timeouts.healthRecheckMs,
    /** How long an error screen shows before the session's books are closed. */
    errorNotice: 8_000,
  },
}).createMachine({
  id: 'session',
  context: ({ input }) => initialContext(input.settings),
  initial: 'attract',
  on: {
    // A credit outside `payment` (a coin that dropped just after the screen moved on) is already in
    // the journal; the flow only mirrors the balance so it is carried or refunded with the rest.
    CREDIT: { actions: assign({ credit: ({ event }) => event.balance }) },
    // A note offered when this session cannot use it goes back to the customer.
    ESCROW: { actions: { type: 'returnEscrow', params: ({ event }) => ({ ref: event.ref }) } },
  },
  states: {
    attract: {
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
          on: {
            TOUCH: '#session.customer',
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
          after: { inactivity: '#session.stillThere' },
          on: {
            SELECT_LANGUAGE: {
              guard: ({ context, event }) => context.settings.languages.enabled.includes(event.language),
              target: 'consent',
              actions: assign({ language: ({ event }) => event.language }),
            },
          },
        },

        consent: {
          after: { inactivity: '#session.stillThere' },
          on: {
            SELECT_LANGUAGE: {
              guard: ({ context, event }) => context.settings.languages.enabled.includes(event.language),
              target: 'consent',
              actions: assign({ language: ({ event }) => event.language }),
            },
            // Nothing has been captured or stored yet: declining simply ends the visit.
            DECLINE_CONSENT: {
              target: '#session.ending',
              actions: { type: 'setOutcome', params: { outcome: 'declined' } },
            },
            ACCEPT_CONSENT: 'opening',
          },
        },

        opening: {
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
          after: { inactivity: '#session.stillThere' },
          on: {
            SELECT_LANGUAGE: {
              guard: ({ context, event }) => context.settings.languages.enabled.includes(event.language),
              target: 'choose',
              actions: assign({ language: ({ event }) => event.language }),
            },
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
            CANCEL: {
              target: '#session.ending',
              actions: { type: 'setOutcome', params: { outcome: 'cancelled' } },
            },
          },
        },

        /** Before any money: can the booth shoot, print and take payment for this product? */
        checkingDevices: {
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
          invoke: { id: 'acceptance', src: 'acceptance' },
          initial: 'waiting',
          states: {
            waiting: { after: { inactivity: '#session.stillThere' } },
          },
          on: {
            CREDIT: [
              {
                guard: ({ context, event }) => event.balance >= context.price,
                target: 'ordering',
                actions: assign({ credit: ({ event }) => event.balance }),
              },
              // Every coin restarts the inactivity timer.
              { target: '.waiting', actions: assign({ credit: ({ event }) => event.balance }) },
            ],
            ESCROW: [
              {
                guard: ({ context }) => context.credit < context.price,
                target: '.waiting',
                actions: { type: 'stackEscrow', params: ({ event }) => ({ ref: event.ref }) },
              },
              { actions: { type: 'returnEscrow', params: ({ event }) => ({ ref: event.ref }) } },
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
            CANCEL: {
              target: '#session.ending',
              actions: { type: 'setOutcome', params: { outcome: 'cancelled' } },
            },
          },
        },

        ordering: {
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
            CANCEL: {
              target: '#session.ending',
              actions: { type: 'setOutcome', params: { outcome: 'cancelled' } },
            },
          },
          states: {
            pose: {
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
              after: { countdown: '#session.customer.capturing' },
            },
          },
        },

        capturing: {
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
            CANCEL: {
              target: '#session.ending',
              actions: { type: 'setOutcome', params: { outcome: 'cancelled' } },
            },
          },
        },
      },
    },

    stillThere: {
      after: {
        stillThere: { target: 'ending', actions: { type: 'setOutcome', params: { outcome: 'walked-away' } } },
      },
      on: {
        STILL_HERE: 'customer.resume',
        CANCEL: { target: 'ending', actions: { type: 'setOutcome', params: { outcome: 'cancelled' } } },
      },
    },

    producing: {
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
      entry: [assign({ orderId: null }), { type: 'setOutcome', params: { outcome: 'owed' } }],
      invoke: receiptInvoke('printOwedReceipt'),
      after: { thankYou: 'ending' },
      on: { FINISH: 'ending', TOUCH: 'ending' },
    },

    delivering: {
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
      invoke: {
        id: 'endSession',
        src: 'endSession',
        input: ({ context }) => ({
          sessionId: context.sessionId,
          orderId: context.orderId,
          outcome: context.outcome ?? 'walked-away',
          fault: context.fault,
        }),
        onDone: 'attract',
        // The journal could not be written: stop selling until staff look at it.
        onError: {
          target: 'outOfService',
          actions: assign({ outOfServiceReason: ({ event }) => `journal:${faultCode(event.error)}` }),
        },
      },
    },

    outOfService: {
      initial: 'waiting',
      states: {
        waiting: { after: { healthRecheck: 'rechecking' } },
        rechecking: {
          invoke: {
            id: 'recheck',
            src: 'checkDevices',
            input: () => ({ productId: null }),
            onDone: [
              { guard: ({ event }) => event.output.ok, target: '#session.attract' },
              {
                target: 'waiting',
                actions: assign({ outOfServiceReason: ({ event }) => event.output.reason }),
              },
            ],
            onError: 'waiting',
          },
        },
      },
      on: {
        HEALTH: { guard: ({ event }) => event.ok, target: '.rechecking' },
      },
    },
  },
});

export type SessionMachine = typeof sessionMachine;
