import { assign } from 'xstate';
import { busy, screen } from '../../session/screens.ts';
import { failure, operatorSetup } from '../setup.ts';

// What the booth sells and prints on: paper, prices and products, documents.

export const paperPage = operatorSetup.createStateConfig({
  initial: 'loading',
  on: { OPERATOR_BACK: { target: 'menu', actions: 'keepAwake' } },
  states: {
    loading: {
      ...busy('operator'),
      invoke: {
        src: 'paper',
        onDone: { target: 'showing', actions: assign({ paper: ({ event }) => event.output }) },
        onError: { target: 'showing', actions: assign({ error: failure }) },
      },
    },
    showing: {
      ...screen('operatorPaper'),
      on: {
        OPERATOR_MEDIA_LOADED: { target: 'saving', actions: ['keepAwake', 'clearError'] },
      },
    },
    saving: {
      ...busy('operator'),
      invoke: {
        src: 'mediaLoaded',
        input: ({ context, event }) => ({
          prints: event.type === 'OPERATOR_MEDIA_LOADED' ? event.prints : 0,
          role: context.role ?? 'operator',
        }),
        onDone: { target: 'showing', actions: assign({ paper: ({ event }) => event.output }) },
        onError: { target: 'showing', actions: assign({ error: failure }) },
      },
    },
  },
});

export const pricesPage = operatorSetup.createStateConfig({
  initial: 'loading',
  on: { OPERATOR_BACK: { target: 'menu', actions: 'keepAwake' } },
  states: {
    loading: {
      ...busy('operator'),
      invoke: {
        src: 'prices',
        onDone: { target: 'showing', actions: assign({ prices: ({ event }) => event.output }) },
        onError: { target: 'showing', actions: assign({ error: failure }) },
      },
    },
    showing: {
      ...screen('operatorPrices'),
      on: {
        OPERATOR_SET_PRICE: { target: 'saving', actions: ['keepAwake', 'clearError'] },
        OPERATOR_SET_PRODUCT: { target: 'switching', actions: ['keepAwake', 'clearError'] },
      },
    },
    switching: {
      ...busy('operator'),
      invoke: {
        src: 'setProductOffered',
        input: ({ context, event }) => ({
          productId: event.type === 'OPERATOR_SET_PRODUCT' ? event.productId : '',
          enabled: event.type === 'OPERATOR_SET_PRODUCT' ? event.enabled : true,
          role: context.role ?? 'operator',
        }),
        onDone: { target: 'showing', actions: assign({ prices: ({ event }) => event.output }) },
        onError: { target: 'showing', actions: assign({ error: failure }) },
      },
    },
    saving: {
      ...busy('operator'),
      invoke: {
        src: 'setPrice',
        input: ({ context, event }) => ({
          productId: event.type === 'OPERATOR_SET_PRICE' ? event.productId : '',
          price: event.type === 'OPERATOR_SET_PRICE' ? event.price : -1,
          role: context.role ?? 'operator',
        }),
        onDone: { target: 'showing', actions: assign({ prices: ({ event }) => event.output }) },
        onError: { target: 'showing', actions: assign({ error: failure }) },
      },
    },
  },
});

export const documentsPage = operatorSetup.createStateConfig({
  initial: 'loading',
  on: { OPERATOR_BACK: { target: 'menu', actions: 'keepAwake' } },
  states: {
    loading: {
      ...busy('operator'),
      invoke: {
        src: 'documents',
        onDone: { target: 'showing', actions: assign({ documents: ({ event }) => event.output }) },
        onError: { target: 'showing', actions: assign({ error: failure }) },
      },
    },
    showing: {
      ...screen('operatorDocuments'),
      on: { OPERATOR_SET_DOCUMENT: { target: 'saving', actions: ['keepAwake', 'clearError'] } },
    },
    saving: {
      ...busy('operator'),
      invoke: {
        src: 'setDocument',
        input: ({ context, event }) => ({
          documentId: event.type === 'OPERATOR_SET_DOCUMENT' ? event.documentId : '',
          enabled: event.type === 'OPERATOR_SET_DOCUMENT' ? event.enabled : true,
          role: context.role ?? 'operator',
        }),
        onDone: { target: 'showing', actions: assign({ documents: ({ event }) => event.output }) },
        onError: { target: 'showing', actions: assign({ error: failure }) },
      },
    },
  },
});
