import { describe, expect, it } from 'vitest';
import { SimClock } from '../../core/sim-clock.ts';

/** Work that takes a few real event-loop turns, as a file write's callback would. */
const turns = (n: number): Promise<void> =>
  n === 0 ? Promise.resolve() : new Promise((resolve) => setImmediate(() => void turns(n - 1).then(resolve)));

describe('SimClock', () => {
  it('settles after each timer: work a timer starts is done before the next one fires', async () => {
    const clock = new SimClock();
    const seen: string[] = [];
    clock.setTimeout(() => void turns(2).then(() => seen.push('work of a')), 10);
    clock.setTimeout(() => seen.push('b'), 20);
    await clock.advance(30);
    expect(seen).toEqual(['work of a', 'b']);
  });

  it('fires the next timer at once after a callback that said it did nothing, in the same order', async () => {
    const clock = new SimClock();
    const seen: string[] = [];
    let polls = 0;
    const poll = () => {
      clock.setTimeout(poll, 200);
      polls++;
      seen.push(`poll ${clock.now() - start}`);
      clock.timerDidNothing();
    };
    const start = clock.now();
    clock.setTimeout(poll, 200);
    clock.setTimeout(() => seen.push('coin 400'), 400);
    clock.setTimeout(() => void turns(2).then(() => seen.push('work of 500')), 500);
    await clock.advance(1000);
    expect(polls).toBe(5);
    expect(seen).toEqual([
      'poll 200',
      // Same time: the timer set first fires first (the coin was set before this poll was).
      'coin 400',
      'poll 400',
      'work of 500',
      'poll 600',
      'poll 800',
      'poll 1000',
    ]);
  });

  it('forgets the word once the timer is done: the next callback is settled after again', async () => {
    const clock = new SimClock();
    const seen: string[] = [];
    clock.setTimeout(() => clock.timerDidNothing(), 10);
    clock.setTimeout(() => void turns(2).then(() => seen.push('work of b')), 20);
    clock.setTimeout(() => seen.push('c'), 30);
    await clock.advance(40);
    expect(seen).toEqual(['work of b', 'c']);
  });

  it('takes the word as given: work a callback started after all is not waited for (why only the sure may say it)', async () => {
    const clock = new SimClock();
    const seen: string[] = [];
    clock.setTimeout(() => {
      void turns(2).then(() => seen.push('work of a'));
      clock.timerDidNothing();
    }, 10);
    clock.setTimeout(() => seen.push('b'), 20);
    await clock.advance(30);
    expect(seen).toEqual(['b', 'work of a']);
  });

  it('steps the wall clock under its timers: now() jumps, a timer still fires after its own delay', async () => {
    const clock = new SimClock(1_000_000);
    const fired: number[] = [];
    clock.setTimeout(() => fired.push(clock.now()), 5_000);
    await clock.advance(1_000);
    clock.jumpWallClock(-3_600_000);
    expect(clock.now()).toBe(1_001_000 - 3_600_000);
    // Back by an hour: the timer does not wait an hour more, and a deadline in wall time holds.
    expect(await clock.runUntil(() => fired.length > 0, clock.now() + 4_000)).toBe(true);
    expect(fired).toEqual([1_005_000 - 3_600_000]);
    clock.jumpWallClock(86_400_000);
    clock.setTimeout(() => fired.push(clock.now()), 10);
    await clock.advance(10);
    expect(fired.at(-1)).toBe(1_005_010 - 3_600_000 + 86_400_000);
    // A deadline given before a jump stays where it was in monotonic time.
    clock.setTimeout(() => clock.jumpWallClock(86_400_000), 100);
    clock.setTimeout(() => fired.push(-1), 200);
    expect(await clock.runUntil(() => fired.at(-1) === -1, clock.now() + 300)).toBe(true);
  });
});
