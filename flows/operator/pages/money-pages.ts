import { assign } from 'xstate';
import { busy, screen } from '../../session/screens.ts';
import { failure, operatorSetup } from '../setup.ts';

// Takings (the cash box emptied into a Z-report) and prints owed to earlier customers.

export const takingsPage = operatorSetup.createStateConfig({
  initial: 'loading',
  on: { OPERATOR_BACK: { target: 'menu', actions: 'keepAwake' } },
  states: {
    loading: {
      ...busy('operator'),
      invoke: {
        src: 'takings',
        onDone: { target: 'showing', actions: assign({ takings: ({ event }) => event.output }) },
        onError: { target: 'showing', actions: assign({ error: failure }) },
      },
    },
    showing: {
      ...screen('operatorTakings'),
      on: {
        OPERATOR_EMPTY_CASH: { target: 'emptying', actions: ['keepAwake', 'clearError'] },
      },
    },
    emptying: {
      ...busy('operator'),
      invoke: {
        src: 'emptyCashBox',
        input: ({ context, event }) => ({
          counted: event.type === 'OPERATOR_EMPTY_CASH' ? event.counted : 0,
          role: context.role ?? 'operator',
        }),
        onDone: { target: 'zReport', actions: assign({ zReport: ({ event }) => event.output }) },
        onError: { target: 'showing', actions: assign({ error: failure }) },
      },
    },
    zReport: { ...screen('operatorZReport') },
  },
});

export const owedPage = operatorSetup.createStateConfig({
  initial: 'loading',
  on: { OPERATOR_BACK: { target: 'menu', actions: 'keepAwake' } },
  states: {
    loading: {
      ...busy('operator'),
      invoke: {
        src: 'owedPrints',
        onDone: {
          target: 'loadingMail',
          actions: assign({ owed: ({ event }) => ({ rows: event.output, outcome: null }) }),
        },
        onError: { target: 'loadingMail', actions: assign({ error: failure }) },
      },
    },
    loadingMail: {
      ...busy('operator'),
      invoke: {
        src: 'owedMail',
        onDone: { target: 'showing', actions: assign({ owedMail: ({ event }) => event.output }) },
        onError: { target: 'showing', actions: assign({ error: failure }) },
      },
    },
    resendingMail: {
      ...busy('operator'),
      invoke: {
        src: 'resendMail',
        input: ({ context, event }) => ({
          id: event.type === 'OPERATOR_RESEND_MAIL' ? event.id : '',
          role: context.role ?? 'operator',
        }),
        onDone: { target: 'showing', actions: assign({ owedMail: ({ event }) => event.output }) },
        onError: { target: 'showing', actions: assign({ error: failure }) },
      },
    },
    showing: {
      ...screen('operatorOwed'),
      on: {
        OPERATOR_RETRY_OWED: { target: 'retrying', actions: ['keepAwake', 'clearError'] },
        OPERATOR_GIVE_UP_OWED: { target: 'givingUp', actions: ['keepAwake', 'clearError'] },
        OPERATOR_RESEND_MAIL: { target: 'resendingMail', actions: ['keepAwake', 'clearError'] },
      },
    },
    retrying: {
      ...busy('delivering'),
      invoke: {
        src: 'retryOwed',
        input: ({ context, event }) => ({
          orderId: event.type === 'OPERATOR_RETRY_OWED' ? event.orderId : '',
          role: context.role ?? 'operator',
        }),
        onDone: { target: 'showing', actions: assign({ owed: ({ event }) => event.output }) },
        onError: { target: 'showing', actions: assign({ error: failure }) },
      },
    },
    givingUp: {
      ...busy('operator'),
      invoke: {
        src: 'giveUpOwed',
        input: ({ context, event }) => ({
          orderId: event.type === 'OPERATOR_GIVE_UP_OWED' ? event.orderId : '',
          as: event.type === 'OPERATOR_GIVE_UP_OWED' ? event.as : ('voucher' as const),
          role: context.role ?? 'operator',
        }),
        onDone: { target: 'showing', actions: assign({ owed: ({ event }) => event.output }) },
        onError: { target: 'showing', actions: assign({ error: failure }) },
      },
    },
  },
});
