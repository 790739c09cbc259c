import { describe, expect, it } from 'vitest';
import { oneAtATime } from '../../app/host/one-at-a-time.ts';

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('oneAtATime (the config reload of `kiosk start`)', () => {
  it('never runs the rebuild twice at once, and runs once more for calls made meanwhile', async () => {
    let running = 0;
    let most = 0;
    let runs = 0;
    const run = oneAtATime(
      async () => {
        runs++;
        most = Math.max(most, ++running);
        await tick();
        running--;
      },
      (error) => {
        throw error;
      },
    );
    run();
    run(); // a second SIGHUP while the first rebuild stops the old kiosk
    run();
    await tick();
    await tick();
    await tick();
    expect(most).toBe(1);
    expect(runs).toBe(2);
  });

  it('hands a failed rebuild to onError instead of an unhandled rejection', async () => {
    const errors: unknown[] = [];
    const run = oneAtATime(
      () => Promise.reject(new Error('serial port gone')),
      (error) => errors.push(error),
    );
    run();
    await tick();
    expect(errors).toEqual([new Error('serial port gone')]);
  });
});
