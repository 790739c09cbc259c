import { describe, expect, it } from 'vitest';
import { getAdjacencyMap, getShortestPaths, getStateNodes } from 'xstate/graph';
import type { AnyStateNode, TransitionDefinition } from 'xstate';
import { sessionMachine as runningMachine } from '../../flows/session/machine.ts';
import type { SessionEvent } from '../../flows/session/events.ts';
import { SessionHarness, testSettings } from './session-harness.ts';

/**
 * Model-based tests: xstate/graph walks the session machine itself, every state and every
 * transition, and each walk is replayed against a running session (real machine, simulated
 * time, services answered step by step) which must end up in the same state at every step.
 */

// Walked without a parent: the grant to the booth (a sendParent) is a no-op here; the replay
// below runs the real machine under the real booth machine.
const sessionMachine = runningMachine.provide({ actions: { grantOperator: () => {} } });

type Snapshot = ReturnType<typeof sessionMachine.getInitialSnapshot>;
type ModelEvent = SessionEvent | { type: string; output?: unknown; error?: unknown };
type Adjacency = Record<
  string,
  { state: Snapshot; transitions: Record<string, { event: ModelEvent; state: Snapshot }> }
>;

const customerAndDeviceEvents: SessionEvent[] = [
  { type: 'TOUCH' },
  { type: 'SELECT_LANGUAGE', language: 'de' },
  { type: 'SELECT_LANGUAGE', language: 'xx' },
  { type: 'ACCEPT_CONSENT' },
  { type: 'DECLINE_CONSENT' },
  { type: 'CHOOSE', documentId: 'eu-passport', productId: 'photos-4' },
  { type: 'CHOOSE', documentId: 'cn-visa', productId: 'photos-4' },
  // With the digital file: its prints, then the address it goes to.
  { type: 'CHOOSE', documentId: 'eu-passport', productId: 'photos-4-digital' },
  { type: 'CANCEL' },
  { type: 'KEEP_GOING' },
  { type: 'CAPTURE_NOW' },
  { type: 'ACCEPT_PHOTO' },
  { type: 'RETAKE' },
  { type: 'STILL_HERE' },
  { type: 'FINISH' },
  { type: 'REDEEM_VOUCHER', code: 'ABCDE-FGHJK' },
  { type: 'CREDIT', amount: 100, balance: 100 },
  { type: 'CREDIT', amount: 300, balance: 300 },
  { type: 'CREDIT', amount: 800, balance: 900 },
  { type: 'ESCROW', ref: 'note-1', amount: 500 },
  { type: 'ESCROW', ref: 'note-2', amount: 1000 },
  { type: 'ESCROW_RETURNED', ref: 'note-1' },
  { type: 'COACH_UPDATE', ready: false, hint: 'hint.moveCloser', checks: {} },
  { type: 'COACH_UPDATE', ready: true, hint: null, checks: {} },
  // A face in view: the pose's idle timer starts again instead of "still there?".
  { type: 'COACH_UPDATE', ready: false, hint: 'hint.chinDown', checks: {}, face: { box: [10, 10, 50, 60] } },
  { type: 'PAYMENT_FAULT', code: 'timeout' },
  { type: 'CAMERA_FAULT', code: 'disconnected' },
  { type: 'HEALTH', ok: false, reason: 'camera:disconnected' },
  { type: 'HEALTH', ok: true, reason: null },
  { type: 'OPERATOR_ENTER' },
  { type: 'EMAIL_SEND', address: 'ana@example.org' },
  { type: 'EMAIL_SKIP' },
  { type: 'CONTACT_US' },
  { type: 'CONTACT_SEND', address: 'ana@example.org', reason: 'money' },
  { type: 'CONTACT_CANCEL' },
];

/** The model's booth can email a digital file, and sells one: every state is reachable. */
const modelSettings = {
  ...testSettings,
  digitalDelivery: true,
  products: [...testSettings.products, { id: 'photos-4-digital', price: 800, prints: 1, digital: true }],
};

/** Invocation id → the service the harness answers for it, and the outputs worth exploring. */
const invoked: Record<string, { service: Parameters<SessionHarness['answer']>[0]; outputs: unknown[] }> = {
  attractCheck: {
    service: 'checkDevices',
    outputs: [
      { ok: true, reason: null },
      { ok: false, reason: 'camera:disconnected' },
    ],
  },
  deviceCheck: {
    service: 'checkDevices',
    outputs: [
      { ok: true, reason: null },
      { ok: false, reason: 'photo-printer:media-empty' },
    ],
  },
  recheck: {
    service: 'checkDevices',
    outputs: [
      { ok: true, reason: null },
      { ok: false, reason: 'camera:disconnected' },
    ],
  },
  openSession: {
    service: 'openSession',
    outputs: [
      { sessionId: 's1', receiptCode: 'R1', credit: 0 },
      { sessionId: 's1', receiptCode: 'R1', credit: 900 },
    ],
  },
  placeOrder: { service: 'placeOrder', outputs: [{ orderId: 'o1', credit: 0 }] },
  captureStill: { service: 'captureStill', outputs: [{ stillId: 'still-1' }] },
  checkStill: {
    service: 'checkStill',
    outputs: [
      { verdict: 'pass', failed: [] },
      { verdict: 'fail', failed: ['gaze'] },
    ],
  },
  producePhotos: { service: 'producePhotos', outputs: [{ sheetIds: ['sheet-1'] }] },
  printSheets: { service: 'printSheets', outputs: [{ printed: 1 }] },
  deliverOrder: { service: 'deliverOrder', outputs: [undefined] },
  printReceipt: { service: 'printReceipt', outputs: [undefined] },
  printOwedReceipt: { service: 'printReceipt', outputs: [undefined] },
  endSession: {
    service: 'endSession',
    outputs: [
      { credit: 0, handedBack: null },
      {
        credit: 0,
        handedBack: { amount: 200, policy: 'voucher', paidOut: 0, voucher: null, carried: 200, kept: 0 },
      },
    ],
  },
  requestDigitalCopy: { service: 'requestDigitalCopy', outputs: [undefined] },
  requestContact: { service: 'requestContact', outputs: [undefined] },
  redeemVoucher: {
    service: 'redeemVoucher',
    outputs: [
      { amount: 100, credit: 100 },
      { amount: 900, credit: 900 },
    ],
  },
};

const delayMs: Record<string, number> = {
  inactivity: testSettings.timeouts.inactivityMs,
  stillThere: testSettings.timeouts.stillThereMs,
  pose: testSettings.timeouts.poseMs,
  poseIdle: testSettings.timeouts.poseMs + testSettings.timeouts.inactivityMs,
  countdown: testSettings.timeouts.countdownMs,
  thankYou: testSettings.timeouts.thankYouMs,
  healthRecheck: testSettings.timeouts.healthRecheckMs,
  errorNotice: testSettings.timeouts.errorNoticeMs,
};

function activeNodes(snapshot: Snapshot): AnyStateNode[] {
  return (snapshot as unknown as { _nodes: AnyStateNode[] })._nodes;
}

function eventsFor(snapshot: Snapshot): ModelEvent[] {
  const events: ModelEvent[] = [...customerAndDeviceEvents];
  for (const node of activeNodes(snapshot)) {
    for (const invocation of node.invoke) {
      const spec = invoked[invocation.id];
      if (!spec) continue; // callback actors (acceptance, live coach) speak through the events above
      for (const output of spec.outputs) events.push({ type: `xstate.done.actor.${invocation.id}`, output });
      for (const code of ['x', 'disk-full', 'prints-owed']) {
        events.push({
          type: `xstate.error.actor.${invocation.id}`,
          error: Object.assign(new Error(code), { code }),
        });
      }
    }
    for (const delayed of node.after) events.push({ type: delayed.eventType });
  }
  return events;
}

/** States differ where the machine's guards or history could make them behave differently. */
function serializeState(snapshot: Snapshot): string {
  const c = snapshot.context;
  const history =
    snapshot.matches('stillThere') || snapshot.matches('confirmCancel')
      ? Object.values((snapshot as unknown as { historyValue: Record<string, AnyStateNode[]> }).historyValue)
          .flat()
          .map((n) => n.id)
      : [];
  return JSON.stringify({
    value: snapshot.value,
    retakes: c.retakesLeft > 0,
    covered: c.price > 0 && c.credit >= c.price,
    moneyIn: c.credit > 0 || c.orderId !== null || c.heldNote !== null,
    held: c.heldNote !== null,
    verdict: c.review?.verdict ?? null,
    // Only the pose reads it; elsewhere it would double the states for nothing.
    faceInView: snapshot.matches({ customer: 'shooting' }) && Boolean(c.coach.face),
    // A digital file asks for an address after the prints; the rest goes to thank-you.
    digital: c.productId === 'photos-4-digital',
    handedBack: c.handedBack !== null,
    history,
  });
}

// createTestModel refuses machines that invoke actors, so the traversal is used directly.
const traversal = {
  input: { settings: modelSettings },
  events: eventsFor as never,
  serializeState: serializeState as never,
};

/** Replays one model step on the running session. */
async function replay(h: SessionHarness, event: ModelEvent): Promise<void> {
  const done = /^xstate\.done\.actor\.(\w+)$/.exec(event.type);
  const error = /^xstate\.error\.actor\.(\w+)$/.exec(event.type);
  const after = /^xstate\.after\.(\w+)\./.exec(event.type);
  if (done) return void (await h.answer(invoked[done[1]!]!.service, (event as { output: unknown }).output));
  if (error) return h.fail(invoked[error[1]!]!.service, (event as { error: { code: string } }).error.code);
  if (after) return h.advance(delayMs[after[1]!]!);
  return h.send(event as SessionEvent);
}

describe('session flow: model-based', () => {
  const adjacency = getAdjacencyMap(sessionMachine, traversal) as unknown as Adjacency;

  it('reaches every state of the machine', () => {
    const all = getStateNodes(sessionMachine.root).filter((n) => n.type !== 'history');
    const reached = new Set<string>();
    for (const { state } of Object.values(adjacency))
      for (const n of activeNodes(state as Snapshot)) reached.add(n.id);
    expect(all.map((n) => n.id).filter((id) => !reached.has(id))).toEqual([]);
  });

  it('takes every transition of the machine', () => {
    const defined = new Set<TransitionDefinition<never, never>>();
    for (const node of getStateNodes(sessionMachine.root)) {
      for (const list of node.transitions.values()) for (const t of list) defined.add(t as never);
    }
    const taken = new Set<unknown>();
    for (const { state, transitions } of Object.values(adjacency)) {
      for (const { event } of Object.values(transitions)) {
        for (const t of sessionMachine.getTransitionData(state as Snapshot, event as SessionEvent))
          taken.add(t);
      }
    }
    const missing = [...defined].filter((t) => !taken.has(t)).map((t) => `${t.source.id} on ${t.eventType}`);
    expect(missing).toEqual([]);
    expect(defined.size).toBeGreaterThan(60);
  });

  // Every edge of the graph, replayed for real: the path to its source, then its event.
  const edges = Object.values(adjacency).flatMap(({ state, transitions }) =>
    Object.values(transitions)
      .filter(
        ({ event }) => sessionMachine.getTransitionData(state as Snapshot, event as SessionEvent).length > 0,
      )
      .map(({ event, state: next }) => ({
        source: state as Snapshot,
        event: event as ModelEvent,
        next: next as Snapshot,
      })),
  );
  const pathTo = new Map(
    getShortestPaths(sessionMachine, traversal).map((p) => [serializeState(p.state), p.steps]),
  );

  it('replays every edge on a running session', async () => {
    expect(edges.length).toBeGreaterThan(100);
    for (const edge of edges) {
      const steps = pathTo.get(serializeState(edge.source));
      expect(steps, `a path to ${serializeState(edge.source)}`).toBeDefined();
      const h = await new SessionHarness(modelSettings).start();
      for (const step of steps!) {
        await replay(h, step.event as ModelEvent);
        expect(h.sessionValue, `after ${step.event.type}`).toEqual(step.state.value);
      }
      await replay(h, edge.event);
      // The session grants the hidden entry to its parent: the booth leaves it for operator mode.
      if (edge.event.type === 'OPERATOR_ENTER') expect(h.state).toBe('operator.pin');
      else
        expect(h.sessionValue, `${serializeState(edge.source)} on ${edge.event.type}`).toEqual(
          edge.next.value,
        );
      h.actor.stop();
    }
  });
});
