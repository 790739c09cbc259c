import { assign, enqueueActions, fromPromise, setup } from 'xstate';
import type { OperatorContext, OperatorInput, OperatorOutput } from './context.ts';
import type { DeviceTest, OperatorEvent } from './events.ts';
import type {
  CounterReading,
  DeviceTestResult,
  DocumentChoice,
  OperatorRole,
  ProductPrice,
  ServiceInfo,
  OperatorServices,
  OwedMailView,
  OwedPrintView,
  PaperReport,
  PinVerdict,
  TakingsReport,
  ZReport,
} from './services.ts';

// The operator machine's setup: its types, the services it invokes (each one of the booth's
// OperatorServices, plugged in with provide()) and its two actions. The pages (pages/*.ts) and
// the machine (machine.ts) are state configs made on it, so every one is typed alike.

type Internal = { type: 'OPERATOR_IDLE' };
type Service<K extends keyof OperatorServices> = Awaited<ReturnType<OperatorServices[K]>>;

const notProvided = (name: string) => () => {
  throw new Error(`operator flow: the "${name}" service was not provided`);
};

/** A code for why an action failed, for the page to show (never the error's text: it may be long). */
export const failure = ({ event }: { event: { error: unknown } }): string =>
  (event.error as { code?: string } | null)?.code ?? 'failed';

export const operatorSetup = setup({
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
    serviceInfo: fromPromise<ServiceInfo, void>(notProvided('serviceInfo')),
    owedMail: fromPromise<OwedMailView[], void>(notProvided('owedMail')),
    resendMail: fromPromise<OwedMailView[], { id: string; role: OperatorRole }>(notProvided('resendMail')),
    decommission: fromPromise<ServiceInfo, { role: OperatorRole }>(notProvided('decommission')),
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
});
