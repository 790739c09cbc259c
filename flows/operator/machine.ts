import { assign, cancel } from 'xstate';
import { busy, screen } from '../session/screens.ts';
import { failure, operatorSetup } from './setup.ts';
import { owedPage, takingsPage } from './pages/money-pages.ts';
import { documentsPage, paperPage, pricesPage } from './pages/stock-pages.ts';
import { countersPage, receiptsPage, servicePage, testsPage } from './pages/care-pages.ts';

/**
 * Operator mode, entered between customers only (the booth machine's `operator` state):
 * pin → menu → takings (→ cash box emptied → Z-report) | owed | paper | prices | documents |
 * service | receipts | counters | tests, each page in pages/*.ts. Side effects are the
 * booth's `OperatorServices`, plugged in with provide(). Every touch keeps it awake; after
 * `idleMs` without one it leaves by itself, so a booth left in operator mode goes back to its
 * customers (or stays closed, when the operator switched it to maintenance).
 */

export const operatorMachine = operatorSetup.createMachine({
  id: 'operator',
  context: ({ input }) => ({
    role: null,
    maintenance: input.maintenance,
    refusal: null,
    takings: null,
    zReport: null,
    paper: null,
    receipt: null,
    counters: null,
    tests: {},
    prices: null,
    documents: null,
    owed: null,
    service: null,
    owedMail: null,
    error: null,
    idleMs: input.idleMs,
  }),
  initial: 'pin',
  entry: 'keepAwake',
  output: ({ context }) => ({ maintenance: context.maintenance }),
  on: {
    OPERATOR_IDLE: '.leavingIdle',
    OPERATOR_EXIT: { target: '.leaving', actions: 'keepAwake' },
  },
  states: {
    pin: {
      ...screen('operatorPin'),
      on: { OPERATOR_PIN: { target: 'checkingPin', actions: 'keepAwake' } },
    },
    checkingPin: {
      ...busy('operator'),
      invoke: {
        src: 'checkPin',
        // The PIN goes from the event straight to the check: it is never in the context.
        input: ({ event }) => ({ pin: event.type === 'OPERATOR_PIN' ? event.pin : '' }),
        onDone: [
          {
            guard: ({ event }) => event.output.ok && event.output.mustChangePin,
            target: 'newPin',
            actions: assign({
              role: ({ event }) => (event.output.ok ? event.output.role : null),
              refusal: null,
            }),
          },
          {
            guard: ({ event }) => event.output.ok,
            target: 'menu',
            actions: assign({
              role: ({ event }) => (event.output.ok ? event.output.role : null),
              refusal: null,
            }),
          },
          {
            target: 'pin',
            actions: assign({
              refusal: ({ event }) =>
                event.output.ok
                  ? null
                  : { attemptsLeft: event.output.attemptsLeft, lockedUntil: event.output.lockedUntil },
            }),
          },
        ],
        onError: { target: 'pin', actions: assign({ error: failure }) },
      },
    },
    /** The demo PIN opened the pad on real hardware: a PIN of the operator's own first. */
    newPin: {
      ...screen('operatorNewPin'),
      on: { OPERATOR_NEW_PIN: { target: 'savingPin', actions: ['keepAwake', 'clearError'] } },
    },
    savingPin: {
      ...busy('operator'),
      invoke: {
        src: 'changePin',
        input: ({ context, event }) => ({
          role: context.role ?? 'operator',
          pin: event.type === 'OPERATOR_NEW_PIN' ? event.pin : '',
        }),
        onDone: 'menu',
        onError: { target: 'newPin', actions: assign({ error: failure }) },
      },
    },
    menu: {
      ...screen('operatorMenu'),
      entry: 'clearError',
      on: {
        OPERATOR_OPEN: [
          { guard: ({ event }) => event.page === 'takings', target: 'takings', actions: 'keepAwake' },
          { guard: ({ event }) => event.page === 'paper', target: 'paper', actions: 'keepAwake' },
          { guard: ({ event }) => event.page === 'service', target: 'service', actions: 'keepAwake' },
          { guard: ({ event }) => event.page === 'receipts', target: 'receipts', actions: 'keepAwake' },
          { guard: ({ event }) => event.page === 'counters', target: 'counters', actions: 'keepAwake' },
          { guard: ({ event }) => event.page === 'tests', target: 'tests', actions: 'keepAwake' },
          { guard: ({ event }) => event.page === 'prices', target: 'prices', actions: 'keepAwake' },
          { guard: ({ event }) => event.page === 'owed', target: 'owed', actions: 'keepAwake' },
          { guard: ({ event }) => event.page === 'documents', target: 'documents', actions: 'keepAwake' },
        ],
      },
    },
    takings: takingsPage,
    paper: paperPage,
    service: servicePage,
    receipts: receiptsPage,
    counters: countersPage,
    tests: testsPage,
    prices: pricesPage,
    documents: documentsPage,
    owed: owedPage,
    leaving: {
      ...busy('operator'),
      entry: cancel('operator-idle'),
      on: { OPERATOR_EXIT: {}, OPERATOR_IDLE: {} },
      invoke: {
        src: 'left',
        input: ({ context }) => ({ role: context.role, why: 'exit' as const }),
        onDone: 'done',
        onError: 'done',
      },
    },
    leavingIdle: {
      ...busy('operator'),
      on: { OPERATOR_EXIT: {}, OPERATOR_IDLE: {} },
      invoke: {
        src: 'left',
        input: ({ context }) => ({ role: context.role, why: 'inactivity' as const }),
        onDone: 'done',
        onError: 'done',
      },
    },
    done: { type: 'final' },
  },
});

export type OperatorMachine = typeof operatorMachine;
