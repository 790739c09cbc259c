import { assign, fromPromise, sendTo, setup, type ActorRefFrom } from 'xstate';
import type { FlowSettings } from '../session/context.ts';
import type { SessionEvent } from '../session/events.ts';
import { sessionMachine } from '../session/machine.ts';
import { screen, tags } from '../session/screens.ts';
import type { SessionServices } from '../session/services.ts';

/**
 * The booth above its customers: `inService` runs one customer session at a time (the session
 * machine, as the child `session`); `outOfService` holds the booth closed, with the reason, and
 * starts a fresh session once the devices are back. Operator mode (a later piece of work) is a
 * third region of this machine, entered between customers only.
 *
 * Every event the booth receives while in service goes to the session; device health also
 * reaches `outOfService` here, so the booth reopens as soon as a device comes back.
 */

export interface BoothContext {
  settings: FlowSettings;
  /** `<device>:<reason>` (or `journal:<code>`) while out of service; null otherwise. */
  outOfServiceReason: string | null;
}

type Health = Awaited<ReturnType<SessionServices['checkDevices']>>;

export const boothMachine = setup({
  types: {
    context: {} as BoothContext,
    events: {} as SessionEvent,
    input: {} as { settings: FlowSettings },
  },
  actors: {
    session: sessionMachine,
    checkDevices: fromPromise<Health, { productId: null }>(() => {
      throw new Error('booth flow: the "checkDevices" service was not provided');
    }),
  },
  delays: {
    healthRecheck: ({ context }) => context.settings.timeouts.healthRecheckMs,
  },
}).createMachine({
  id: 'booth',
  context: ({ input }) => ({ settings: input.settings, outOfServiceReason: null }),
  initial: 'inService',
  states: {
    inService: {
      entry: assign({ outOfServiceReason: null }),
      invoke: {
        id: 'session',
        src: 'session',
        input: ({ context }) => ({ settings: context.settings }),
        onDone: {
          target: 'outOfService',
          actions: assign({ outOfServiceReason: ({ event }) => event.output.outOfServiceReason }),
        },
      },
      on: {
        '*': { actions: sendTo('session', ({ event }) => event) },
      },
    },

    outOfService: {
      ...screen('outOfService'),
      tags: [tags.outOfService],
      initial: 'waiting',
      states: {
        waiting: { after: { healthRecheck: 'rechecking' } },
        rechecking: {
          invoke: {
            id: 'recheck',
            src: 'checkDevices',
            input: () => ({ productId: null }),
            onDone: [
              { guard: ({ event }) => event.output.ok, target: '#booth.inService' },
              {
                target: 'waiting',
                actions: assign({ outOfServiceReason: ({ event }) => event.output.reason }),
              },
            ],
            onError: 'waiting',
          },
        },
      },
      on: {
        HEALTH: { guard: ({ event }) => event.ok, target: '.rechecking' },
      },
    },
  },
});

export type BoothMachine = typeof boothMachine;
export type SessionRef = ActorRefFrom<typeof sessionMachine>;
