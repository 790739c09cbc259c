import { fromPromise } from 'xstate';
import { operatorMachine } from './machine.ts';
import type { OperatorServices } from './services.ts';

/** The operator machine with the booth's operator services plugged in. */
export function provideOperatorServices(services: OperatorServices) {
  return operatorMachine.provide({
    actors: {
      checkPin: fromPromise(({ input }) => services.checkPin(input)),
      changePin: fromPromise(({ input }) => services.changePin(input)),
      takings: fromPromise(() => services.takings()),
      emptyCashBox: fromPromise(({ input }) => services.emptyCashBox(input)),
      paper: fromPromise(() => services.paper()),
      mediaLoaded: fromPromise(({ input }) => services.mediaLoaded(input)),
      setMaintenance: fromPromise(({ input }) => services.setMaintenance(input)),
      findReceipt: fromPromise(({ input }) => services.findReceipt(input)),
      reprint: fromPromise(({ input }) => services.reprint(input)),
      deletePhotos: fromPromise(({ input }) => services.deletePhotos(input)),
      counters: fromPromise(() => services.counters()),
      resetCounter: fromPromise(({ input }) => services.resetCounter(input)),
      runTest: fromPromise(async ({ input }) => ({
        test: input.test,
        result: await services.runTest(input),
      })),
      prices: fromPromise(() => services.prices()),
      setPrice: fromPromise(({ input }) => services.setPrice(input)),
      setProductOffered: fromPromise(({ input }) => services.setProductOffered(input)),
      restart: fromPromise(({ input }) => services.restart(input)),
      serviceInfo: fromPromise(() => services.serviceInfo()),
      owedMail: fromPromise(() => services.owedMail()),
      resendMail: fromPromise(({ input }) => services.resendMail(input)),
      decommission: fromPromise(({ input }) => services.decommission(input)),
      owedPrints: fromPromise(() => services.owedPrints()),
      retryOwed: fromPromise(({ input }) => services.retryOwed(input)),
      giveUpOwed: fromPromise(({ input }) => services.giveUpOwed(input)),
      documents: fromPromise(() => services.documents()),
      setDocument: fromPromise(({ input }) => services.setDocument(input)),
      left: fromPromise(({ input }) => services.left(input)),
    },
  });
}
