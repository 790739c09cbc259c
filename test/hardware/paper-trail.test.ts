import { describe, expect, it } from 'vitest';
import { addToPaperTrail, paperTrailLength } from '../../hardware/sim/paper-trail.ts';

describe('a simulated printer’s paper trail', () => {
  it('keeps the most recent items in order and lets the oldest go, so a soak does not grow', () => {
    const trail: number[] = [];
    for (let i = 1; i <= paperTrailLength + 120; i++) addToPaperTrail(trail, i);
    expect(trail).toHaveLength(paperTrailLength);
    expect(trail[0]).toBe(121);
    expect(trail.at(-1)).toBe(paperTrailLength + 120);
    const short: string[] = [];
    addToPaperTrail(short, 'a', 2);
    addToPaperTrail(short, 'b', 2);
    addToPaperTrail(short, 'c', 2);
    expect(short).toEqual(['b', 'c']);
  });
});
