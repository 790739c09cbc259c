import { describe, expect, it } from 'vitest';
import { RestartBackoff, restartDelaysMs } from '../../../hardware/camera/gphoto2/adapter/restart-backoff.ts';

describe('RestartBackoff', () => {
  it('waits 0.5, 1, 2, then 5 s for every try after that', () => {
    const backoff = new RestartBackoff();
    expect(restartDelaysMs).toEqual([500, 1000, 2000, 5000]);
    expect(Array.from({ length: 7 }, (_, i) => backoff.lost(i * 100))).toEqual([
      500, 1000, 2000, 5000, 5000, 5000, 5000,
    ]);
    expect(backoff.failures).toBe(7);
  });

  it('starts again from 0.5 s once a child stayed healthy for stableMs', () => {
    const backoff = new RestartBackoff(restartDelaysMs, 10_000);
    backoff.lost(0);
    backoff.lost(1);
    backoff.healthy(1_000);
    expect(backoff.lost(10_999)).toBe(2000); // healthy for 9.999 s: not stable yet
    backoff.healthy(20_000);
    backoff.healthy(25_000); // a second report does not move the start of the healthy spell
    expect(backoff.lost(30_000)).toBe(500);
    expect(backoff.lost(30_001)).toBe(1000);
  });

  it('a camera that keeps dropping right after it is found does not reset the count', () => {
    const backoff = new RestartBackoff(restartDelaysMs, 10_000);
    const waits: number[] = [];
    for (let t = 0; t < 5; t++) {
      backoff.healthy(t * 1000);
      waits.push(backoff.lost(t * 1000 + 500));
    }
    expect(waits).toEqual([500, 1000, 2000, 5000, 5000]);
  });

  it('reset() forgets the failures; a schedule needs a delay', () => {
    const backoff = new RestartBackoff([10, 20]);
    backoff.lost(0);
    backoff.lost(0);
    expect(backoff.lost(0)).toBe(20);
    backoff.reset();
    expect(backoff.lost(0)).toBe(10);
    expect(() => new RestartBackoff([])).toThrow();
  });
});
