import { fromCallback, fromPromise } from 'xstate';
import { faultCode, type SessionServices } from './services.ts';
import { sessionMachine } from './machine.ts';
import type { PromiseServiceName, ServiceInput, ServiceOutput } from './setup.ts';
import type { SessionEvent } from './events.ts';

/** The session machine with the booth's services plugged in. */
export function provideSessionServices(services: SessionServices) {
  // Each promise actor calls the service of the same name; the types come from SessionServices.
  const call = <K extends PromiseServiceName>(name: K) =>
    fromPromise<ServiceOutput<K>, ServiceInput<K>>(({ input }) =>
      (services[name] as (input: ServiceInput<K>) => Promise<ServiceOutput<K>>)(input),
    );
  return sessionMachine.provide({
    actors: {
      checkDevices: call('checkDevices'),
      openSession: call('openSession'),
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
      placeOrder: call('placeOrder'),
      liveCoach: fromCallback<SessionEvent, { sessionId: string; documentId: string }>(
        ({ sendBack, input }) =>
          services.coachLiveView(input, {
            update: (u) => sendBack({ type: 'COACH_UPDATE', ...u }),
            fault: (code) => sendBack({ type: 'CAMERA_FAULT', code }),
          }),
      ),
      captureStill: call('captureStill'),
      checkStill: call('checkStill'),
      producePhotos: call('producePhotos'),
      printSheets: call('printSheets'),
      deliverOrder: call('deliverOrder'),
      printReceipt: call('printReceipt'),
      endSession: call('endSession'),
      redeemVoucher: call('redeemVoucher'),
      requestDigitalCopy: call('requestDigitalCopy'),
      requestContact: call('requestContact'),
    },
    actions: {
      stackEscrow: (_, params: { ref: string }) => {
        // A stack or return that fails is the device's to report (a fault, then health).
        services.stackEscrow(params.ref).catch(() => {});
      },
      returnEscrow: (_, params: { ref: string }) => {
        services.returnEscrow(params.ref).catch(() => {});
      },
      stackHeldNote: ({ context }) => {
        if (context.heldNote) services.stackEscrow(context.heldNote.ref).catch(() => {});
      },
      returnHeldNote: ({ context }) => {
        if (context.heldNote) services.returnEscrow(context.heldNote.ref).catch(() => {});
      },
    },
  });
}
