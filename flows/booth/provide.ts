import { fromPromise } from 'xstate';
import { provideSessionServices } from '../session/provide.ts';
import type { SessionServices } from '../session/services.ts';
import { provideOperatorServices } from '../operator/provide.ts';
import type { OperatorServices } from '../operator/services.ts';
import { boothMachine } from './machine.ts';

/** The booth machine with the booth's services plugged into it, its sessions and operator mode. */
export function provideBoothServices(services: SessionServices, operator: OperatorServices) {
  return boothMachine.provide({
    actors: {
      session: provideSessionServices(services),
      operator: provideOperatorServices(operator),
      checkDevices: fromPromise(({ input }) => services.checkDevices(input)),
    },
  });
}
