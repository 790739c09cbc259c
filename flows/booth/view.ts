import type { SnapshotFrom } from 'xstate';
import type { SessionContext } from '../session/context.ts';
import { screenOf, tags, type ScreenMeta } from '../session/screens.ts';
import { stateName } from '../session/state-name.ts';
import type { sessionMachine } from '../session/machine.ts';
import type { operatorMachine } from '../operator/machine.ts';
import type { boothMachine } from './machine.ts';

export type BoothSnapshot = SnapshotFrom<typeof boothMachine>;
export type SessionSnapshot = SnapshotFrom<typeof sessionMachine>;
export type OperatorSnapshot = SnapshotFrom<typeof operatorMachine>;

/** What the host and the screens read of the booth: from tags and meta, never from state names. */
export interface BoothView {
  /** The dotted name of the active state, for logs and tests only. */
  state: string;
  screen: ScreenMeta;
  /** Nobody at the booth: waiting for a customer, or out of service. */
  betweenCustomers: boolean;
  waitingForCustomer: boolean;
  outOfServiceReason: string | null;
  /** The running session's snapshot; null while the booth is out of service or in operator mode. */
  session: SessionSnapshot | null;
  /** Operator mode's snapshot while the operator is in; null otherwise. */
  operator: OperatorSnapshot | null;
}

export function boothView(snapshot: BoothSnapshot): BoothView {
  const operatorChild = snapshot.children.operator;
  if (snapshot.hasTag(tags.operatorMode) && operatorChild) {
    const operator = operatorChild.getSnapshot() as OperatorSnapshot;
    // Neither waiting nor between customers: no config reload, no owed print, no customer.
    return {
      state: `operator.${stateName(operator.value)}`,
      screen: screenOf(operator.getMeta()),
      betweenCustomers: false,
      waitingForCustomer: false,
      outOfServiceReason: null,
      session: null,
      operator,
    };
  }
  const child = snapshot.children.session;
  const session = child ? (child.getSnapshot() as SessionSnapshot) : null;
  if (snapshot.hasTag(tags.outOfService) || !session) {
    return {
      state: stateName(snapshot.value),
      screen: screenOf(snapshot.getMeta()),
      betweenCustomers: true,
      waitingForCustomer: false,
      outOfServiceReason: snapshot.context.outOfServiceReason,
      session: null,
      operator: null,
    };
  }
  const waiting = session.hasTag(tags.waitingForCustomer);
  return {
    state: stateName(session.value),
    screen: screenOf(session.getMeta()),
    betweenCustomers: waiting,
    waitingForCustomer: waiting,
    outOfServiceReason: session.context.outOfServiceReason,
    session,
    operator: null,
  };
}

/** The session's context, or a fresh one while the booth is out of service. */
export function sessionContextOf(view: BoothView, fresh: () => SessionContext): SessionContext {
  return view.session?.context ?? fresh();
}
