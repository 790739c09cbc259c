import { assign } from 'xstate';
import { faultCode, type CoachUpdate } from '../services.ts';
import { busy, screen } from '../screens.ts';
import { cancel, cancelPaid, changeLanguage, faultFrom, sessionSetup } from '../setup.ts';

/**
 * The states a customer works through, from the language to the review of their photo; "are
 * you still there?" comes back here by history.
 */
export const customerState = sessionSetup.createStateConfig({
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
          // A re-armed idle timer (below) keeps what the person sees: the button and the coach.
          entry: assign(({ context }) =>
            context.poseRearmed
              ? { poseRearmed: false }
              : { manualCaptureOffered: false, coach: { ready: false, hint: null, checks: {} } },
          ),
          after: {
            // Coaching alone did not get there: offer the capture button, then ask if they are still there.
            pose: { actions: assign({ manualCaptureOffered: true }) },
            // Someone being coached is busy, not idle: ask only once the button went unused, and
            // never while a face is in view (they are there; the timer starts again instead).
            poseIdle: [
              {
                guard: ({ context }) => Boolean(context.coach.face),
                target: 'pose',
                reenter: true,
                actions: assign({ poseRearmed: true }),
              },
              { target: '#session.stillThere' },
            ],
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
});
