import { expect } from 'vitest';
import { DeviceError } from '../../hardware/device-status.ts';
import type { SimClock } from '../../core/sim-clock.ts';

/**
 * How a contract suite lets time pass for the device under test. A simulator runs on a SimClock,
 * so its time only moves when the suite moves it; a real adapter runs on real time. The suites
 * never wait or assert on durations themselves: they hand the device's work to `settle`, or wait
 * for something the port shows with `until`, and give a generous budget of device time.
 */
export interface DeviceTime {
  /** The device's clock, in ms (what `LiveFrame.at` and `Still.at` are measured on). */
  now(): number;
  /**
   * Resolves or rejects as `work` does, letting device time pass until it settles. Fails when
   * it has not settled within `budgetMs` of device time: the device hangs.
   */
  settle<T>(work: Promise<T>, budgetMs?: number): Promise<T>;
  /** Lets device time pass until `condition()` holds or `budgetMs` is spent; says whether it held. */
  until(condition: () => boolean, budgetMs: number): Promise<boolean>;
}

const defaultBudgetMs = 60_000;

/**
 * Time for a simulator on a SimClock: moves simulated time timer by timer. Work that waits on
 * real asynchronous work the simulator did not register with `clock.track` (the simulated camera
 * decoding its portraits in `open()`) gets real time, up to `realGraceMs`, once no timer within
 * the budget is left to fire.
 */
export function simulatedTime(clock: SimClock, realGraceMs = 10_000): DeviceTime {
  return {
    now: () => clock.now(),
    async settle<T>(work: Promise<T>, budgetMs = defaultBudgetMs): Promise<T> {
      let done = false;
      const watched = work.finally(() => {
        done = true;
      });
      watched.catch(() => {}); // the caller hears of a rejection through the returned promise
      const deadline = clock.now() + budgetMs;
      const giveUpAt = Date.now() + realGraceMs;
      while (!(await clock.runUntil(() => done, deadline))) {
        if (Date.now() > giveUpAt) {
          throw new Error(`device work did not settle within ${budgetMs} ms of simulated time`);
        }
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      return watched;
    },
    until: (condition, budgetMs) => clock.runUntil(condition, clock.now() + budgetMs),
  };
}

/** Time for a real adapter (or a simulator on the SystemClock): real time, polled every `pollMs`. */
export function realTime(pollMs = 2): DeviceTime {
  return {
    now: () => Date.now(),
    async settle<T>(work: Promise<T>, budgetMs = defaultBudgetMs): Promise<T> {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const hang = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`device work did not settle within ${budgetMs} ms`)),
          budgetMs,
        );
      });
      try {
        return await Promise.race([work, hang]);
      } finally {
        clearTimeout(timer);
      }
    },
    async until(condition, budgetMs) {
      const giveUpAt = Date.now() + budgetMs;
      while (!condition()) {
        if (Date.now() > giveUpAt) return false;
        await new Promise((resolve) => setTimeout(resolve, pollMs));
      }
      return true;
    },
  };
}

/** Asserts that `work` rejects with a DeviceError from `device` (and with `code`, when given). */
export async function expectDeviceError(
  work: Promise<unknown>,
  device: DeviceError['device'],
  code?: string,
): Promise<DeviceError> {
  const error: unknown = await work.then(
    (value) => {
      throw new Error(`expected a DeviceError from ${device}, but the call resolved with ${String(value)}`);
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DeviceError);
  const deviceError = error as DeviceError;
  expect(deviceError.device).toBe(device);
  if (code !== undefined) expect(deviceError.code).toBe(code);
  return deviceError;
}

/** Whether `data` starts like a JPEG file (SOI marker, then another marker). */
export function looksLikeJpeg(data: Buffer): boolean {
  return data.length > 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff;
}
