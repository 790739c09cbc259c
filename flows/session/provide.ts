import { fromCallback, fromPromise } from 'xstate';
import { faultCode, type SessionServices } from './services.ts';
import { sessionMachine } from './machine.ts';
import type { SessionEvent } from './events.ts';

/** The session machine with the booth's services plugged in. */
export function provideSessionServices(services: SessionServices) {
  return sessionMachine.provide({
    actors: {
      checkDevices: fromPromise(({ input }) => services.checkDevices(input)),
      openSession: fromPromise(({ input }) => services.openSession(input)),
      // Acceptance is on exactly while this actor lives, i.e. while the flow is in `payment`.
      acceptance: fromCallback<SessionEvent>(({ sendBack }) => {
        services
          .setAcceptance(true)
          .catch((error: unknown) => sendBack({ type: 'PAYMENT_FAULT', code: faultCode(error) }));
        return () => {
          // A device that will not switch off is caught by the next device check.
          services.setAcceptance(false).catch(() => {});
        };
      }),
      placeOrder: fromPromise(({ input }) => services.placeOrder(input)),
      liveCoach: fromCallback<SessionEvent, { sessionId: string; documentId: string }>(
        ({ sendBack, input }) =>
          services.coachLiveView(input, {
            update: (u) => sendBack({ type: 'COACH_UPDATE', ...u }),
            fault: (code) => sendBack({ type: 'CAMERA_FAULT', code }),
          }),
      ),
      captureStill: fromPromise(({ input }) => services.captureStill(input)),
      checkStill: fromPromise(({ input }) => services.checkStill(input)),
      producePhotos: fromPromise(({ input }) => services.producePhotos(input)),
      printSheets: fromPromise(({ input }) => services.printSheets(input)),
      deliverOrder: fromPromise(({ input }) => services.deliverOrder(input)),
      printReceipt: fromPromise(({ input }) => services.printReceipt(input)),
      endSession: fromPromise(({ input }) => services.endSession(input)),
    },
    actions: {
      stackEscrow: (_, params: { ref: string }) => {
        void services.stackEscrow(params.ref).catch(() => {});
      },
      returnEscrow: (_, params: { ref: string }) => {
        void services.returnEscrow(params.ref).catch(() => {});
      },
    },
  });
}
