import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../app/logging/logger.ts';
import { ClockTrust, type ClockSyncProbe } from '../../app/services/vault/clock-trust.ts';
import { PhotoVault } from '../../app/services/vault/photo-vault.ts';
import { RetentionScheduler } from '../../app/services/vault/retention-scheduler.ts';
import { SimClock } from '../../core/sim-clock.ts';
import { expectVaultError, fakeJpeg, tempDir } from './vault-test-kit.ts';

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;
const start = Date.UTC(2026, 2, 1, 8, 0, 0);

let root: string;
let cleanup: () => void;
let vaultDir: string;
const vaults: PhotoVault[] = [];
const schedulers: RetentionScheduler[] = [];

beforeEach(() => {
  ({ dir: root, cleanup } = tempDir('ret'));
  vaultDir = join(root, 'vault');
});

afterEach(() => {
  for (const s of schedulers.splice(0)) s.stop();
  for (const vault of vaults.splice(0)) vault.close();
  cleanup();
});

/** A clock-sync probe the test flips by hand. */
function probe(synced: boolean): ClockSyncProbe & { synced: () => boolean; set: (v: boolean) => void } {
  let state = synced;
  return { synced: () => state, set: (v) => (state = v) };
}

function openVault(clock: SimClock, retentionDays = 7): PhotoVault {
  const vault = PhotoVault.open({ dir: vaultDir, clock, retentionDays });
  vaults.push(vault);
  return vault;
}

function closeVault(vault: PhotoVault): void {
  vault.close();
  vaults.splice(vaults.indexOf(vault), 1);
}

function scheduler(vault: PhotoVault, clock: SimClock, sync: ClockSyncProbe, periodMs = hour) {
  const s = new RetentionScheduler({
    vault,
    trust: new ClockTrust(vault.index, sync),
    clock,
    logger: silentLogger(),
    periodMs,
  });
  schedulers.push(s);
  return s;
}

async function session(vault: PhotoVault, id: string, code: string): Promise<string> {
  await vault.beginSession(id, { receiptCode: code });
  const item = await vault.put(id, 'still', fakeJpeg(`PLAINTEXT-${id}`));
  await vault.endSession(id, 'retain');
  return item;
}

const deferredLines = (vault: PhotoVault) =>
  vault.index
    .audit(1000)
    .filter((a) => a.action === 'retention-deferred')
    .reverse();

describe('ClockTrust', () => {
  it('does not trust a clock that has not been synchronised, and says so', () => {
    const clock = new SimClock(start);
    const vault = openVault(clock);
    const verdict = new ClockTrust(vault.index, probe(false)).check(clock.now());
    expect(verdict.trusted).toBe(false);
    expect(verdict.reason).toMatch(/not been synchronised/);
    // An untrusted reading does not move the high-water mark.
    expect(vault.index.meta('clock.highWater')).toBeUndefined();
  });

  it('trusts a synced clock, remembers the latest time seen, and tolerates a small step back', () => {
    const clock = new SimClock(start);
    const vault = openVault(clock);
    const trust = new ClockTrust(vault.index, probe(true));
    expect(trust.check(start)).toEqual({ trusted: true, reason: null });
    expect(trust.check(start + day)).toEqual({ trusted: true, reason: null });
    expect(vault.index.meta('clock.highWater')).toBe(String(start + day));
    expect(trust.check(start + day - 5 * minute).trusted).toBe(true);
    expect(vault.index.meta('clock.highWater')).toBe(String(start + day));
    const back = trust.check(start + day - 5 * minute - 1);
    expect(back.trusted).toBe(false);
    expect(back.reason).toMatch(/went backwards/);
  });

  it('remembers the high-water mark across a restart', () => {
    let vault = openVault(new SimClock(start));
    new ClockTrust(vault.index, probe(true)).check(start + 10 * day);
    closeVault(vault);
    vault = openVault(new SimClock(start));
    const verdict = new ClockTrust(vault.index, probe(true)).check(start);
    expect(verdict.trusted).toBe(false);
    expect(verdict.reason).toMatch(/went backwards/);
  });
});

describe('RetentionScheduler', () => {
  it('on an unsynchronised clock deletes nothing, says why, and writes one audit line, not one per period', async () => {
    const clock = new SimClock(start);
    const vault = openVault(clock, 1);
    const item = await session(vault, 'old', 'ABCDE-12345');
    await clock.advance(3 * day);
    const s = scheduler(vault, clock, probe(false));
    const first = s.start();
    expect(first).toEqual({
      ran: false,
      at: start + 3 * day,
      reason: expect.stringMatching(/not been synchronised/),
    });
    await clock.advance(5 * hour);
    expect(s.lastRun).toEqual({
      ran: false,
      at: start + 3 * day + 5 * hour,
      reason: (first as { reason: string }).reason,
    });
    expect(vault.index.session('old')).toBeDefined();
    expect((await vault.get(item)).length).toBeGreaterThan(0);
    const lines = deferredLines(vault);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ at: start + 3 * day, sessions: 0, items: 0, bytes: 0 });
    expect(lines[0]!.reason).toMatch(/not been synchronised/);
  });

  it('writes a new audit line when the reason changes, and wipes once the clock is trusted', async () => {
    const clock = new SimClock(start);
    const vault = openVault(clock, 1);
    await session(vault, 'old', 'ABCDE-12345');
    // The vault saw a later time once (the high-water mark), then the clock was set back.
    new ClockTrust(vault.index, probe(true)).check(start + 3 * day);
    await clock.advance(2 * day);
    const sync = probe(false);
    const s = scheduler(vault, clock, sync);
    s.start();
    await clock.advance(2 * hour);
    sync.set(true); // synchronised now, but still a day behind what the vault has seen
    await clock.advance(3 * hour);
    expect(s.lastRun).toMatchObject({ ran: false, reason: expect.stringMatching(/went backwards/) });
    expect(deferredLines(vault).map((l) => l.reason)).toEqual([
      expect.stringMatching(/not been synchronised/),
      expect.stringMatching(/went backwards/),
    ]);
    expect(vault.index.session('old')).toBeDefined();
    // Time catches up with the high-water mark: the overdue session goes at the next period.
    // (Runs are hourly from start + 2 days; the first within 5 min of start + 3 days is at start + 3 days.)
    await clock.advance(day);
    expect(s.lastRun).toMatchObject({ ran: true, at: start + 3 * day + 5 * hour, sessions: 0 });
    expect(vault.index.session('old')).toBeUndefined();
    expect(vault.index.audit(10).filter((a) => a.action === 'retention')).toEqual([
      {
        at: start + 3 * day,
        action: 'retention',
        sessions: 1,
        items: 1,
        bytes: expect.any(Number),
        reason: 'retention period over',
      },
    ]);
    expect(deferredLines(vault)).toHaveLength(2);
  });

  it('a clock set back by more than 5 minutes (a fresh SimClock at the old time) defers with a "went backwards" reason, once', async () => {
    const clock = new SimClock(start);
    const vault = openVault(clock, 1);
    const item = await session(vault, 'old', 'ABCDE-12345');
    await clock.advance(2 * day);
    const sync = probe(true);
    const before = scheduler(vault, clock, sync);
    expect(before.runOnce()).toMatchObject({ ran: true, sessions: 1 }); // the high-water mark is now start + 2 days
    before.stop();
    await session(vault, 'young', 'FGHJK-67890');

    // The RTC battery died: the unit restarts at `start` again, two days behind.
    const reset = new SimClock(start);
    const s = scheduler(vault, reset, sync);
    const run = s.start();
    expect(run.ran).toBe(false);
    expect(run).toMatchObject({ reason: expect.stringMatching(/went backwards/) });
    // Hours pass on the wrong clock: still deferred, one audit line in all.
    await reset.advance(6 * hour);
    expect(s.lastRun).toMatchObject({ ran: false, at: start + 6 * hour });
    expect(deferredLines(vault)).toHaveLength(1);
    expect(vault.index.session('young')).toBeDefined();
    await expectVaultError(() => vault.get(item), 'not-found');
  });

  it('on a trusted clock wipes sessions past retention and keeps younger ones', async () => {
    const clock = new SimClock(start);
    const vault = openVault(clock, 7);
    const oldItem = await session(vault, 'old', 'ABCDE-12345');
    await clock.advance(3 * day);
    const youngItem = await session(vault, 'young', 'FGHJK-67890');
    // An open session past retention goes too: retention is a promise, ended or not.
    await vault.beginSession('abandoned-open', { receiptCode: 'MNPQR-11111' });
    await clock.advance(4 * day); // old: exactly 7 days; young: 4 days

    const s = scheduler(vault, clock, probe(true));
    const run = s.runOnce();
    expect(run).toMatchObject({ ran: true, at: start + 7 * day, sessions: 1, items: 1 });
    expect(vault.index.session('old')).toBeUndefined();
    await expectVaultError(() => vault.get(oldItem), 'not-found');
    expect((await vault.get(youngItem)).length).toBeGreaterThan(0);
    expect(vault.index.audit(1)[0]).toMatchObject({
      action: 'retention',
      sessions: 1,
      reason: 'retention period over',
    });

    await clock.advance(3 * day);
    expect(s.runOnce()).toMatchObject({ ran: true, sessions: 2 });
    expect(vault.index.stats().sessions).toBe(0);
    expect(s.runOnce()).toMatchObject({ ran: true, sessions: 0, items: 0, bytes: 0 });
  });

  it('start() catches up at once after the unit was off, then runs every period until stopped', async () => {
    const off = new SimClock(start);
    let vault = openVault(off, 1);
    await session(vault, 'before-off', 'ABCDE-12345');
    closeVault(vault);

    // Three days later the unit is switched on again.
    const clock = new SimClock(start + 3 * day);
    vault = openVault(clock, 1);
    const s = scheduler(vault, clock, probe(true), 30 * minute);
    expect(s.start()).toMatchObject({ ran: true, at: start + 3 * day, sessions: 1 });
    expect(vault.index.session('before-off')).toBeUndefined();
    expect(clock.pendingTimers).toBe(1);

    await session(vault, 'next', 'FGHJK-67890'); // expires at start + 4 days
    await clock.advance(30 * minute - 1);
    expect(s.lastRun!.at).toBe(start + 3 * day);
    await clock.advance(1);
    expect(s.lastRun!.at).toBe(start + 3 * day + 30 * minute);
    const runs: number[] = [];
    for (let i = 0; i < 48; i++) {
      await clock.advance(30 * minute);
      runs.push(s.lastRun!.at);
    }
    expect(runs).toEqual(Array.from({ length: 48 }, (_, i) => start + 3 * day + (i + 2) * 30 * minute));
    expect(vault.index.session('next')).toBeUndefined();
    expect(vault.index.audit(10).filter((a) => a.action === 'retention')).toHaveLength(2);

    s.stop();
    expect(clock.pendingTimers).toBe(0);
    const last = s.lastRun;
    await clock.advance(5 * hour);
    expect(s.lastRun).toBe(last);
  });
});
