import { assign } from 'xstate';
import { busy, screen } from '../screens.ts';
import { faultFrom, receiptInvoke, sessionSetup } from '../setup.ts';

/**
 * After the photo is accepted: produce it, print it, deliver the order (or owe the prints), and
 * thank the customer. Each state a typed config on the session's setup.
 */
export const producingState = sessionSetup.createStateConfig({
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
});

export const printingState = sessionSetup.createStateConfig({
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
});

export const printOwedState = sessionSetup.createStateConfig({
  ...screen('printOwed'),
  entry: [assign({ orderId: null }), { type: 'setOutcome', params: { outcome: 'owed' } }],
  invoke: receiptInvoke('printOwedReceipt'),
  after: { thankYou: 'ending' },
  on: { FINISH: 'ending', TOUCH: 'ending', CONTACT_US: 'contact' },
});

export const deliveringState = sessionSetup.createStateConfig({
  ...busy('delivering'),
  invoke: {
    id: 'deliverOrder',
    src: 'deliverOrder',
    input: ({ context }) => ({ orderId: context.orderId! }),
    // Delivered: the order is settled; a digital file still needs the address it goes to.
    onDone: [
      {
        guard: 'digitalToSend',
        target: 'digitalCopy',
        actions: [assign({ orderId: null }), { type: 'setOutcome', params: { outcome: 'completed' } }],
      },
      {
        target: 'thankYou',
        actions: [assign({ orderId: null }), { type: 'setOutcome', params: { outcome: 'completed' } }],
      },
    ],
    onError: { target: 'failed', actions: { type: 'setFault', params: faultFrom('delivering') } },
  },
});

export const thankYouState = sessionSetup.createStateConfig({
  ...screen('thankYou'),
  invoke: receiptInvoke('printReceipt'),
  after: { thankYou: 'ending' },
  on: { FINISH: 'ending', TOUCH: 'ending', CONTACT_US: 'contact' },
});
