import { assign, cancel, enqueueActions, fromPromise, setup } from 'xstate';
import { busy, screen } from '../session/screens.ts';
import type { OperatorContext, OperatorInput, OperatorOutput } from './context.ts';
import type { DeviceTest, OperatorEvent } from './events.ts';
import type {
  CounterReading,
  DeviceTestResult,
  DocumentChoice,
  OperatorRole,
  ProductPrice,
  OperatorServices,
  OwedPrintView,
  PaperReport,
  PinVerdict,
  TakingsReport,
  ZReport,
} from './services.ts';

/**
 * Operator mode, entered between customers only (the booth machine's `operator` state):
 * pin → menu → takings (→ cash box emptied → Z-report) | paper | service. Side effects are the
 * booth's `OperatorServices`, plugged in with provide(). Every touch keeps it awake; after
 * `idleMs` without one it leaves by itself, so a booth left in operator mode goes back to its
 * customers (or stays closed, when the operator switched it to maintenance).
 */

type Internal = { type: 'OPERATOR_IDLE' };
type Service<K extends keyof OperatorServices> = Awaited<ReturnType<OperatorServices[K]>>;

const notProvided = (name: string) => () => {
  throw new Error(`operator flow: the "${name}" service was not provided`);
};

/** A code for why an action failed, for the page to show (never the error's text: it may be long). */
const failure = ({ event }: { event: { error: unknown } }): string =>
  (event.error as { code?: string } | null)?.code ?? 'failed';

export const operatorMachine = setup({
  types: {
    context: {} as OperatorContext,
    events: {} as OperatorEvent | Internal,
    input: {} as OperatorInput,
    output: {} as OperatorOutput,
  },
  actors: {
    checkPin: fromPromise<PinVerdict, { pin: string }>(notProvided('checkPin')),
    changePin: fromPromise<Service<'changePin'>, { role: OperatorRole; pin: string }>(
      notProvided('changePin'),
    ),
    takings: fromPromise<TakingsReport, void>(notProvided('takings')),
    emptyCashBox: fromPromise<ZReport, { counted: number; role: OperatorRole }>(notProvided('emptyCashBox')),
    paper: fromPromise<PaperReport, void>(notProvided('paper')),
    mediaLoaded: fromPromise<PaperReport, { prints: number; role: OperatorRole }>(notProvided('mediaLoaded')),
    setMaintenance: fromPromise<Service<'setMaintenance'>, { on: boolean; role: OperatorRole }>(
      notProvided('setMaintenance'),
    ),
    findReceipt: fromPromise<Service<'findReceipt'>, { code: string }>(notProvided('findReceipt')),
    reprint: fromPromise<Service<'reprint'>, { code: string; role: OperatorRole }>(notProvided('reprint')),
    deletePhotos: fromPromise<Service<'deletePhotos'>, { code: string; role: OperatorRole }>(
      notProvided('deletePhotos'),
    ),
    counters: fromPromise<CounterReading[], void>(notProvided('counters')),
    resetCounter: fromPromise<CounterReading[], { name: string; role: OperatorRole }>(
      notProvided('resetCounter'),
    ),
    runTest: fromPromise<
      { test: DeviceTest; result: DeviceTestResult },
      { test: DeviceTest; role: OperatorRole }
    >(notProvided('runTest')),
    prices: fromPromise<ProductPrice[], void>(notProvided('prices')),
    setPrice: fromPromise<ProductPrice[], { productId: string; price: number; role: OperatorRole }>(
      notProvided('setPrice'),
    ),
    restart: fromPromise<void, { role: OperatorRole }>(notProvided('restart')),
    setProductOffered: fromPromise<
      ProductPrice[],
      { productId: string; enabled: boolean; role: OperatorRole }
    >(notProvided('setProductOffered')),
    owedPrints: fromPromise<OwedPrintView[], void>(notProvided('owedPrints')),
    retryOwed: fromPromise<Service<'retryOwed'>, { orderId: string; role: OperatorRole }>(
      notProvided('retryOwed'),
    ),
    giveUpOwed: fromPromise<
      Service<'giveUpOwed'>,
      { orderId: string; as: 'refund' | 'voucher'; role: OperatorRole }
    >(notProvided('giveUpOwed')),
    documents: fromPromise<DocumentChoice[], void>(notProvided('documents')),
    setDocument: fromPromise<DocumentChoice[], { documentId: string; enabled: boolean; role: OperatorRole }>(
      notProvided('setDocument'),
    ),
    left: fromPromise<Service<'left'>, { role: OperatorRole | null; why: 'exit' | 'inactivity' }>(
      notProvided('left'),
    ),
  },
  actions: {
    /** A touch: the inactivity timeout starts again. */
    keepAwake: enqueueActions(({ context, enqueue }) => {
      enqueue.cancel('operator-idle');
      enqueue.raise({ type: 'OPERATOR_IDLE' }, { id: 'operator-idle', delay: context.idleMs });
    }),
    clearError: assign({ error: null }),
  },
}).createMachine({
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
    takings: {
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
    },
    paper: {
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
    },
    service: {
      initial: 'showing',
      on: { OPERATOR_BACK: { target: 'menu', actions: 'keepAwake' } },
      states: {
        showing: {
          ...screen('operatorService'),
          on: {
            OPERATOR_OUT_OF_SERVICE: { target: 'switching', actions: ['keepAwake', 'clearError'] },
            OPERATOR_IN_SERVICE: { target: 'switching', actions: ['keepAwake', 'clearError'] },
            OPERATOR_RESTART: { target: 'restarting', actions: ['keepAwake', 'clearError'] },
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
    },
    receipts: {
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
    },
    counters: {
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
    },
    tests: {
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
    },
    prices: {
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
    },
    documents: {
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
    },
    owed: {
      initial: 'loading',
      on: { OPERATOR_BACK: { target: 'menu', actions: 'keepAwake' } },
      states: {
        loading: {
          ...busy('operator'),
          invoke: {
            src: 'owedPrints',
            onDone: {
              target: 'showing',
              actions: assign({ owed: ({ event }) => ({ rows: event.output, outcome: null }) }),
            },
            onError: { target: 'showing', actions: assign({ error: failure }) },
          },
        },
        showing: {
          ...screen('operatorOwed'),
          on: {
            OPERATOR_RETRY_OWED: { target: 'retrying', actions: ['keepAwake', 'clearError'] },
            OPERATOR_GIVE_UP_OWED: { target: 'givingUp', actions: ['keepAwake', 'clearError'] },
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
    },
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
