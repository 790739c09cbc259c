import { existsSync } from 'node:fs';
import type { VaultIndex } from './vault-index.ts';

export interface ClockVerdict {
  trusted: boolean;
  /** Why deletion must wait, in words for the audit log and the technician. */
  reason: string | null;
}

/** Tells whether the system clock has been synchronised (NTP, GPS, RTC the OS trusts). */
export interface ClockSyncProbe {
  synced(): boolean;
}

/**
 * systemd-timesyncd (and chrony's systemd integration) creates this file once the clock has
 * been synchronised since boot; without it the clock may be a dead RTC's idea of the time.
 */
export const systemdClockSync: ClockSyncProbe = {
  synced: () => existsSync('/run/systemd/timesync/synchronized'),
};

/** A clock that is known good: for simulations, tests and units configured not to wait for sync. */
export const alwaysSynced: ClockSyncProbe = { synced: () => true };

const highWaterKey = 'clock.highWater';

/**
 * Decides whether the wall clock can be trusted to delete by age. Two things make it
 * untrustworthy: no clock sync yet, and a clock that went backwards (earlier than the latest time
 * the vault has already seen, beyond a small tolerance). Either way a wipe would be premature or
 * late by an unknown amount, so it waits and says why.
 */
export class ClockTrust {
  constructor(
    private readonly index: VaultIndex,
    private readonly probe: ClockSyncProbe,
    private readonly toleranceMs = 5 * 60_000,
  ) {}

  /** The trust a unit's config asks for: wait for clock sync, or not (demo units, tests). */
  static forConfig(index: VaultIndex, retention: { requireClockSync: boolean }): ClockTrust {
    return new ClockTrust(index, retention.requireClockSync ? systemdClockSync : alwaysSynced);
  }

  check(now: number): ClockVerdict {
    if (!this.probe.synced()) {
      return { trusted: false, reason: 'the system clock has not been synchronised since boot' };
    }
    const highWater = Number(this.index.meta(highWaterKey) ?? 0);
    if (now < highWater - this.toleranceMs) {
      // Names the high-water mark rather than how far behind: the reason must stay the same from
      // one period to the next, or the scheduler writes an audit line every period.
      return {
        trusted: false,
        reason: `the wall clock went backwards: it is before ${new Date(highWater).toISOString()}, the latest time this vault has seen`,
      };
    }
    if (now > highWater) this.index.setMeta(highWaterKey, String(now));
    return { trusted: true, reason: null };
  }
}
