import { eventSlots } from '../driver/cctalk-event-buffer.ts';

/**
 * What the event counter of a ccTalk device says happened since the host last read it. The
 * counter counts 1 to 255 and wraps to 1; 0 only follows a power-up or reset.
 * - `none`: nothing new.
 * - `events`: `count` new events, of which the newest `min(count, 5)` are in the buffer.
 * - `reset`: the device was reset; `count` events have happened since (counted from 0).
 *   A counter at 0, or one lower than the host's with more than five steps to it by wrapping
 *   (more events than a poll can miss), is a reset: a power cycle, a watchdog, a reset command.
 */
export type CounterChange =
  { kind: 'none' } | { kind: 'events'; count: number } | { kind: 'reset'; count: number };

export function counterChange(last: number, current: number): CounterChange {
  if (current === last) return { kind: 'none' };
  if (current === 0) return { kind: 'reset', count: 0 };
  if (last === 0) return { kind: 'events', count: current };
  if (current > last) return { kind: 'events', count: current - last };
  const wrapped = current + 255 - last;
  return wrapped <= eventSlots ? { kind: 'events', count: wrapped } : { kind: 'reset', count: current };
}

/** The counter `back` events before `counter` (wrapping below 1 to 255). */
export function counterBefore(counter: number, back: number): number {
  const value = counter - back;
  return value >= 1 ? value : value + 255;
}
