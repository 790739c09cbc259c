import { assign, fromPromise, sendTo, setup, type ActorRefFrom } from 'xstate';
import type { FlowSettings } from '../session/context.ts';
import type { SessionEvent } from '../session/events.ts';
import { sessionMachine } from '../session/machine.ts';
import { screen, tags } from '../session/screens.ts';
import type { SessionServices } from '../session/services.ts';
import { operatorMachine } from '../operator/machine.ts';
import { operatorEventTypes, type OperatorEvent } from '../operator/events.ts';

/**
 * The booth above its customers: `inService` runs one customer session at a time (the session
 * machine, as the child `session`); `outOfService` holds the booth closed, with the reason, and
 * starts a fresh session once the devices are back; `operator` is operator mode (the operator
 * machine, as the child `operator`), entered between customers only: from an out-of-service
 * booth, or when the session at attract says nobody's money is in (`OPERATOR_GRANTED`).
 *
 * Every event the booth receives while in service goes to the session; device health also
 * reaches `outOfService` here, so the booth reopens as soon as a device comes back (unless the
 * operator closed it for maintenance). In operator mode only operator events get through.
 */

export interface BoothContext {
  settings: FlowSettings;
  /** `<device>:<reason>` (or `journal:<code>`) while out of service; null otherwise. */
  outOfServiceReason: string | null;
  /** Closed by the operator until put back in service (kept across a restart by the services). */
  maintenance: boolean;
  operatorIdleMs: number;
}

export interface BoothInput {
  settings: FlowSettings;
  operator: { idleMs: number; maintenance: boolean };
}

/** Why the booth is closed while the operator has it in maintenance. */
export const maintenanceReason = 'operator:maintenance';

export type BoothEvent = SessionEvent | OperatorEvent | { type: 'OPERATOR_GRANTED' };

/** Operator events reach the operator machine, and nothing else does while it runs. */
const toOperator = Object.fromEntries(
  operatorEventTypes.map((type) => [type, { actions: sendTo('operator', ({ event }) => event) }]),
);

type Health = Awaited<ReturnType<SessionServices['checkDevices']>>;

export const boothMachine = setup({
  types: {
    context: {} as BoothContext,
    events: {} as BoothEvent,
    input: {} as BoothInput,
  },
  actors: {
    session: sessionMachine,
    operator: operatorMachine,
    checkDevices: fromPromise<Health, { productId: null }>(() => {
      throw new Error('booth flow: the "checkDevices" service was not provided');
    }),
  },
  delays: {
    healthRecheck: ({ context }) => context.settings.timeouts.healthRecheckMs,
  },
}).createMachine({
  id: 'booth',
  context: ({ input }) => ({
    settings: input.settings,
    outOfServiceReason: null,
    maintenance: input.operator.maintenance,
    operatorIdleMs: input.operator.idleMs,
  }),
  initial: 'starting',
  states: {
    /** A booth the operator left in maintenance stays closed after a restart. */
    starting: {
      always: [
        {
          guard: ({ context }) => context.maintenance,
          target: 'outOfService',
          actions: assign({ outOfServiceReason: maintenanceReason }),
        },
        { target: 'inService' },
      ],
    },

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
        // The session at attract with no money in answers the hidden entry with this.
        OPERATOR_GRANTED: 'operator',
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
              {
                guard: ({ context, event }) => event.output.ok && !context.maintenance,
                target: '#booth.inService',
              },
              {
                guard: ({ context }) => context.maintenance,
                target: 'waiting',
                actions: assign({ outOfServiceReason: maintenanceReason }),
              },
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
        // Nobody is being served: the operator may come in (to load paper, most often).
        OPERATOR_ENTER: 'operator',
      },
    },

    operator: {
      tags: [tags.operatorMode],
      invoke: {
        id: 'operator',
        src: 'operator',
        input: ({ context }) => ({ idleMs: context.operatorIdleMs, maintenance: context.maintenance }),
        onDone: [
          {
            guard: ({ event }) => event.output.maintenance,
            target: 'outOfService',
            actions: assign({ maintenance: true, outOfServiceReason: maintenanceReason }),
          },
          { target: 'inService', actions: assign({ maintenance: false }) },
        ],
      },
      on: toOperator,
    },
  },
});

export type BoothMachine = typeof boothMachine;
export type SessionRef = ActorRefFrom<typeof sessionMachine>;
