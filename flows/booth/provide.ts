import { fromPromise } from 'xstate';
import { provideSessionServices } from '../session/provide.ts';
import type { SessionServices } from '../session/services.ts';
import { boothMachine } from './machine.ts';

/** The booth machine with the booth's services plugged into it and its sessions. */
export function provideBoothServices(services: SessionServices) {
  return boothMachine.provide({
    actors: {
      session: provideSessionServices(services),
      checkDevices: fromPromise(({ input }) => services.checkDevices(input)),
    },
  });
}
