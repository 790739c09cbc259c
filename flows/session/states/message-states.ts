import { assign } from 'xstate';
import { faultCode } from '../services.ts';
import { busy, screen } from '../screens.ts';
import { sessionSetup } from '../setup.ts';

/** Out of the contact form: to attract after the money-back screen (the books are closed), else through `ending`. */
const leaveContact = [
  { guard: 'moneyHandedBack', target: '#session.attract' },
  { target: '#session.ending' },
] as const;

/**
 * What the customer asked the booth to email: the digital file they paid for, and a "contact
 * us" request to the operator. The address goes from the screen's event straight to the
 * outbox's service, which seals it; it is never in the context, a snapshot or a log.
 */

/** After the prints: the address the digital file goes to, typed and confirmed on screen. */
export const digitalCopyState = sessionSetup.createStateConfig({
  initial: 'entering',
  states: {
    entering: {
      ...screen('emailEntry'),
      // Nobody typing: the prints are out, the receipt's code lets staff send the file later.
      after: {
        inactivity: { target: '#session.thankYou', actions: assign({ digitalCopy: 'skipped' }) },
      },
      on: {
        EMAIL_SEND: { target: 'sending', actions: assign({ emailError: null }) },
        EMAIL_SKIP: { target: '#session.thankYou', actions: assign({ digitalCopy: 'skipped' }) },
      },
    },
    sending: {
      ...busy('sending-email'),
      invoke: {
        id: 'requestDigitalCopy',
        src: 'requestDigitalCopy',
        input: ({ context, event }) => ({
          sessionId: context.sessionId!,
          address: event.type === 'EMAIL_SEND' ? event.address : '',
          language: context.language,
          productId: context.productId!,
          documentId: context.documentId!,
        }),
        onDone: { target: '#session.thankYou', actions: assign({ digitalCopy: 'queued' }) },
        onError: {
          target: 'entering',
          actions: assign({ emailError: ({ event }) => faultCode(event.error) }),
        },
      },
    },
  },
});

/**
 * "Contact us": the form (an address, a reason), then a line saying the request is sent and
 * when the operator answers. It leaves the way the screen it came from would have: through
 * `ending` for a session still open, to attract after the money-back screen.
 */
export const contactState = sessionSetup.createStateConfig({
  initial: 'form',
  states: {
    form: {
      ...screen('contact'),
      after: { inactivity: leaveContact },
      on: {
        CONTACT_SEND: { target: 'sending', actions: assign({ contactError: null }) },
        CONTACT_CANCEL: leaveContact,
      },
    },
    sending: {
      ...busy('sending-email'),
      invoke: {
        id: 'requestContact',
        src: 'requestContact',
        input: ({ context, event }) => ({
          address: event.type === 'CONTACT_SEND' ? event.address : '',
          reason: event.type === 'CONTACT_SEND' ? event.reason : 'other',
          receiptCode: context.receiptCode,
          language: context.language,
        }),
        onDone: 'sent',
        onError: {
          target: 'form',
          actions: assign({ contactError: ({ event }) => faultCode(event.error) }),
        },
      },
    },
    sent: {
      ...screen('contactSent'),
      after: { thankYou: leaveContact },
      on: { FINISH: leaveContact, TOUCH: leaveContact },
    },
  },
});
