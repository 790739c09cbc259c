import type { Clock, TimerHandle } from '../../core/clock.ts';
import { StatusCell, type DeviceStatus, type Unsubscribe } from '../../hardware/device-status.ts';

/** `operator.openingHours`: per weekday, the times the booth serves (`"08:00-20:00"`, local time). */
export type OpeningHoursConfig = Partial<Record<Weekday, readonly string[]>>;
export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

const weekdays: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
/** How often the hours are looked at: a booth opens and closes within a minute of the time. */
const everyMs = 60_000;

/** Minutes since local midnight of a `"HH:MM"`. */
const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * The operator's opening hours as a health source: not ready (`closed`) outside them, so the
 * booth shows closed and takes no money, and back in service at opening time without anyone at
 * it. A range may run past midnight (`"18:00-02:00"`: the small hours belong to the day it
 * opened). Operator mode stays reachable while closed (from the out-of-service screen).
 */
export class OpeningHours {
  readonly #hours: OpeningHoursConfig;
  readonly #clock: Clock;
  readonly #cell = new StatusCell<DeviceStatus>({ online: true, ready: true, reasons: [] });
  #timer: TimerHandle | undefined;

  constructor(hours: OpeningHoursConfig, clock: Clock) {
    this.#hours = hours;
    this.#clock = clock;
  }

  start(): void {
    this.#read();
    const tick = () => {
      this.#timer = this.#clock.setTimeout(tick, everyMs);
      this.#read();
    };
    this.#timer ??= this.#clock.setTimeout(tick, everyMs);
  }

  stop(): void {
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  status(): DeviceStatus {
    return this.#read();
  }

  onStatus(listener: (status: DeviceStatus) => void): Unsubscribe {
    return this.#cell.subscribe(listener);
  }

  /** Whether the booth serves at `epochMs` (its local time). */
  isOpen(epochMs: number): boolean {
    const now = new Date(epochMs);
    const minute = now.getHours() * 60 + now.getMinutes();
    const today = weekdays[now.getDay()]!;
    const yesterday = weekdays[(now.getDay() + 6) % 7]!;
    const within = (day: Weekday, late: boolean) =>
      (this.#hours[day] ?? []).some((range) => {
        const open = minutesOf(range.slice(0, 5));
        const close = minutesOf(range.slice(6, 11));
        if (close > open) return !late && minute >= open && minute < close;
        // Past midnight: today from the opening on, or yesterday's range until its closing.
        return late ? minute < close : minute >= open;
      });
    return within(today, false) || within(yesterday, true);
  }

  #read(): DeviceStatus {
    const open = this.isOpen(this.#clock.now());
    const status: DeviceStatus = { online: true, ready: open, reasons: open ? [] : ['closed'] };
    this.#cell.set(status);
    return status;
  }
}
