import { assign } from 'xstate';
import { busy, screen } from '../../session/screens.ts';
import { failure, operatorSetup } from '../setup.ts';

// Looking after the booth: service (maintenance, restart), receipts, counters, device tests.

export const servicePage = operatorSetup.createStateConfig({
  initial: 'loading',
  on: { OPERATOR_BACK: { target: 'menu', actions: 'keepAwake' } },
  states: {
    loading: {
      ...busy('operator'),
      invoke: {
        src: 'serviceInfo',
        onDone: { target: 'showing', actions: assign({ service: ({ event }) => event.output }) },
        onError: { target: 'showing', actions: assign({ error: failure }) },
      },
    },
    showing: {
      ...screen('operatorService'),
      on: {
        OPERATOR_OUT_OF_SERVICE: { target: 'switching', actions: ['keepAwake', 'clearError'] },
        OPERATOR_IN_SERVICE: { target: 'switching', actions: ['keepAwake', 'clearError'] },
        OPERATOR_RESTART: { target: 'restarting', actions: ['keepAwake', 'clearError'] },
        // The technician's alone: the operator's role may not close the booth for good.
        OPERATOR_DECOMMISSION: {
          guard: ({ context }) => context.role === 'technician',
          target: 'decommissioning',
          actions: ['keepAwake', 'clearError'],
        },
      },
    },
    decommissioning: {
      ...busy('operator'),
      invoke: {
        src: 'decommission',
        input: ({ context }) => ({ role: context.role ?? 'operator' }),
        onDone: { target: 'showing', actions: assign({ service: ({ event }) => event.output }) },
        onError: { target: 'showing', actions: assign({ error: failure }) },
      },
    },
    /** The host stops this booth and starts a new one: this screen shows until it does. */
    restarting: {
      ...busy('restarting'),
      invoke: {
        src: 'restart',
        input: ({ context }) => ({ role: context.role ?? 'operator' }),
        onError: { target: 'showing', actions: assign({ error: failure }) },
      },
    },
    switching: {
      ...busy('operator'),
      invoke: {
        src: 'setMaintenance',
        input: ({ context, event }) => ({
          on: event.type === 'OPERATOR_OUT_OF_SERVICE',
          role: context.role ?? 'operator',
        }),
        onDone: {
          target: 'showing',
          actions: assign({ maintenance: ({ event }) => event.output.maintenance }),
        },
        onError: { target: 'showing', actions: assign({ error: failure }) },
      },
    },
  },
});

export const receiptsPage = operatorSetup.createStateConfig({
  initial: 'showing',
  on: { OPERATOR_BACK: { target: 'menu', actions: 'keepAwake' } },
  // The customer's code is held only while this page is open.
  exit: assign({ receipt: null }),
  states: {
    showing: {
      ...screen('operatorReceipts'),
      on: {
        OPERATOR_FIND_RECEIPT: { target: 'finding', actions: ['keepAwake', 'clearError'] },
        OPERATOR_REPRINT: {
          guard: ({ context }) => context.receipt?.lookup.found === true,
          target: 'reprinting',
          actions: ['keepAwake', 'clearError'],
        },
        OPERATOR_DELETE_PHOTOS: {
          guard: ({ context }) => context.receipt?.lookup.found === true,
          target: 'deleting',
          actions: ['keepAwake', 'clearError'],
        },
      },
    },
    finding: {
      ...busy('operator'),
      invoke: {
        src: 'findReceipt',
        input: ({ event }) => ({ code: event.type === 'OPERATOR_FIND_RECEIPT' ? event.code : '' }),
        onDone: {
          target: 'showing',
          actions: assign({
            receipt: ({ event }) => ({
              code: event.output.code,
              lookup: event.output.lookup,
              done: null,
            }),
          }),
        },
        onError: { target: 'showing', actions: assign({ error: failure }) },
      },
    },
    reprinting: {
      ...busy('operator'),
      invoke: {
        src: 'reprint',
        input: ({ context }) => ({ code: context.receipt?.code ?? '', role: context.role ?? 'operator' }),
        onDone: {
          target: 'showing',
          actions: assign({
            receipt: ({ context }) => context.receipt && { ...context.receipt, done: 'reprinted' },
          }),
        },
        onError: { target: 'showing', actions: assign({ error: failure }) },
      },
    },
    deleting: {
      ...busy('operator'),
      invoke: {
        src: 'deletePhotos',
        input: ({ context }) => ({ code: context.receipt?.code ?? '', role: context.role ?? 'operator' }),
        onDone: {
          target: 'showing',
          actions: assign({
            receipt: ({ context }) =>
              context.receipt && { ...context.receipt, lookup: { found: false }, done: 'deleted' },
          }),
        },
        onError: { target: 'showing', actions: assign({ error: failure }) },
      },
    },
  },
});

export const countersPage = operatorSetup.createStateConfig({
  initial: 'loading',
  on: { OPERATOR_BACK: { target: 'menu', actions: 'keepAwake' } },
  states: {
    loading: {
      ...busy('operator'),
      invoke: {
        src: 'counters',
        onDone: { target: 'showing', actions: assign({ counters: ({ event }) => event.output }) },
        onError: { target: 'showing', actions: assign({ error: failure }) },
      },
    },
    showing: {
      ...screen('operatorCounters'),
      on: { OPERATOR_RESET_COUNTER: { target: 'resetting', actions: ['keepAwake', 'clearError'] } },
    },
    resetting: {
      ...busy('operator'),
      invoke: {
        src: 'resetCounter',
        input: ({ context, event }) => ({
          name: event.type === 'OPERATOR_RESET_COUNTER' ? event.name : '',
          role: context.role ?? 'operator',
        }),
        onDone: { target: 'showing', actions: assign({ counters: ({ event }) => event.output }) },
        onError: { target: 'showing', actions: assign({ error: failure }) },
      },
    },
  },
});

export const testsPage = operatorSetup.createStateConfig({
  initial: 'showing',
  on: { OPERATOR_BACK: { target: 'menu', actions: 'keepAwake' } },
  states: {
    showing: {
      ...screen('operatorTests'),
      on: {
        OPERATOR_RUN_TEST: [
          // Its own screen: the operator has to put a coin in now.
          {
            guard: ({ event }) => event.test === 'payment',
            target: 'paymentTest',
            actions: ['keepAwake', 'clearError'],
          },
          { target: 'running', actions: ['keepAwake', 'clearError'] },
        ],
      },
    },
    paymentTest: {
      ...busy('payment-test'),
      invoke: {
        src: 'runTest',
        input: ({ context }) => ({ test: 'payment' as const, role: context.role ?? 'operator' }),
        onDone: {
          target: 'showing',
          actions: assign({
            tests: ({ context, event }) => ({ ...context.tests, payment: event.output.result }),
          }),
        },
        onError: { target: 'showing', actions: assign({ error: failure }) },
      },
    },
    running: {
      meta: { screen: 'busy', busy: 'operator-test' },
      invoke: {
        src: 'runTest',
        input: ({ context, event }) => ({
          test: event.type === 'OPERATOR_RUN_TEST' ? event.test : 'print',
          role: context.role ?? 'operator',
        }),
        onDone: {
          target: 'showing',
          actions: assign({
            tests: ({ context, event }) => ({
              ...context.tests,
              [event.output.test]: event.output.result,
            }),
          }),
        },
        onError: { target: 'showing', actions: assign({ error: failure }) },
      },
    },
  },
});
