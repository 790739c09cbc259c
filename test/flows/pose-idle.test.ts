// The pose step's "are you still there?": never while the live view sees a face, and what the
// person sees (the capture button, the coach's last word) stays while the timer starts again.
import { describe, expect, it } from 'vitest';
import { SessionHarness, testSettings } from './session-harness.ts';

const { timeouts } = testSettings;
const idleMs = timeouts.poseMs + timeouts.inactivityMs;
const coach = (face: boolean) => ({
  type: 'COACH_UPDATE' as const,
  ready: false,
  hint: 'hint.chinDown',
  checks: { 'head.pitch': false },
  face: face ? { box: [100, 80, 200, 260] as [number, number, number, number] } : null,
});

describe('session flow: idle in the pose step', () => {
  it('a face in view: no "still there?", the capture button and the hint stay', async () => {
    const h = await new SessionHarness().start();
    await h.toPose();
    await h.send(coach(true));
    await h.advance(idleMs + 1);
    expect(h.state).toBe('customer.shooting.pose');
    expect(h.context.manualCaptureOffered).toBe(true);
    expect(h.context.coach.hint).toBe('hint.chinDown');
    // Still there after another full round.
    await h.advance(idleMs + 1);
    expect(h.state).toBe('customer.shooting.pose');
    await h.send({ type: 'CAPTURE_NOW' });
    expect(h.state).toBe('customer.shooting.countdown');
  });

  it('the face leaves: "still there?" once the re-armed timer runs out', async () => {
    const h = await new SessionHarness().start();
    await h.toPose();
    await h.send(coach(true));
    await h.advance(idleMs + 1);
    expect(h.state).toBe('customer.shooting.pose');
    await h.send(coach(false));
    await h.advance(idleMs - 2);
    expect(h.state).toBe('customer.shooting.pose');
    await h.advance(2);
    expect(h.state).toBe('stillThere');
  });

  it('nobody in view from the start: "still there?" after the capture button went unused', async () => {
    const h = await new SessionHarness().start();
    await h.toPose();
    await h.send(coach(false));
    await h.advance(idleMs);
    expect(h.state).toBe('stillThere');
  });
});
