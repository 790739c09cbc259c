import { assign } from 'xstate';
import { initialContext } from './context.ts';
import { faultCode } from './services.ts';
import { busy, screen, tags } from './screens.ts';
import { cancel, cancelNow, errorScreen, sessionSetup } from './setup.ts';
import { customerState } from './states/customer-states.ts';
import { contactState, digitalCopyState } from './states/message-states.ts';
import {
  producingState,
  printingState,
  printOwedState,
  deliveringState,
  thankYouState,
} from './states/delivery-states.ts';

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
 * (screens.ts); `tags` say what the host needs to know (waiting for a customer). The
 * customer's own states are in states/customer-states.ts, those after the photo in
 * states/delivery-states.ts; the setup they share in setup.ts.
 */
export const sessionMachine = sessionSetup.createMachine({
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
    customer: customerState,

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

    producing: producingState,
    printing: printingState,
    printOwed: printOwedState,
    delivering: deliveringState,
    thankYou: thankYouState,
    digitalCopy: digitalCopyState,
    contact: contactState,

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
      on: { FINISH: 'attract', TOUCH: 'attract', CONTACT_US: 'contact' },
    },

    /** The booth cannot serve (a device down, the journal unwritable): the booth machine takes over. */
    outOfService: { type: 'final', ...screen('outOfService') },
  },
});

export type SessionMachine = typeof sessionMachine;
