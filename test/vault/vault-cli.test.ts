import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { cliOn } from '../support/cli-in-process.ts';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PhotoVault } from '../../app/services/vault/photo-vault.ts';
import { SimClock } from '../../core/sim-clock.ts';
import { fakeJpeg, tempDir } from './vault-test-kit.ts';

const day = 24 * 60 * 60 * 1000;

let dataDir: string;
let cleanup: () => void;
let savedPin: string | undefined;

beforeEach(() => {
  ({ dir: dataDir, cleanup } = tempDir('cli'));
  savedPin = process.env.KIOSK_OPERATOR_PIN;
  delete process.env.KIOSK_OPERATOR_PIN;
});

afterEach(() => {
  if (savedPin === undefined) delete process.env.KIOSK_OPERATOR_PIN;
  else process.env.KIOSK_OPERATOR_PIN = savedPin;
  cleanup();
});

const cli = (...args: string[]) => cliOn(dataDir, args);

/** The unit's config: deleting by age needs no OS clock sync here, so the tests do not depend on the host. */
function writeConfig(retention: Record<string, unknown> = {}): void {
  writeFileSync(
    join(dataDir, 'config.json'),
    JSON.stringify({ retention: { days: 7, requireClockSync: false, ...retention } }),
  );
}

/** Sessions put in the unit's vault the way the booth does, `daysAgo` days back, each with a still and a sheet. */
async function fill(
  sessions: { id: string; code: string; daysAgo: number; end?: 'retain' | null; simulated?: boolean }[],
): Promise<void> {
  for (const s of sessions) {
    const vault = PhotoVault.open({
      dir: join(dataDir, 'vault'),
      clock: new SimClock(Date.now() - s.daysAgo * day),
      retentionDays: 7,
      simulated: s.simulated,
    });
    try {
      await vault.beginSession(s.id, { receiptCode: s.code });
      await vault.put(s.id, 'still', fakeJpeg(`PLAINTEXT-${s.id}`));
      await vault.put(s.id, 'print-sheet', fakeJpeg(`SHEET-${s.id}`));
      if (s.end !== null) await vault.endSession(s.id, s.end ?? 'retain');
    } finally {
      vault.close();
    }
  }
}

/** The vault as it is on disk now (opened like the kiosk would, then closed). */
function inspect<T>(look: (vault: PhotoVault) => T): T {
  const vault = PhotoVault.open({ dir: join(dataDir, 'vault'), clock: new SimClock(), retentionDays: 7 });
  try {
    return look(vault);
  } finally {
    vault.close();
  }
}

const sessionIds = () => inspect((v) => v.index.sessionIdsWhere('1 = 1'));
const blobCount = () => readdirSync(join(dataDir, 'vault', 'blobs')).length;

describe('kiosk vault status', () => {
  it('--json: counts, bytes, oldest, next wipe, retention, clock trust and the last audit line', async () => {
    writeConfig();
    const empty = JSON.parse((await cli('vault', 'status', '--json')).out);
    expect(empty).toEqual({
      sessions: 0,
      simulatedSessions: 0,
      items: 0,
      bytes: 0,
      oldest: null,
      nextWipe: null,
      retentionDays: 7,
      clock: { trusted: true, reason: null },
      lastAudit: null,
    });

    const now = Date.now();
    await fill([
      { id: 'a', code: 'ABCDE-12345', daysAgo: 3 },
      { id: 'b', code: 'FGHJK-67890', daysAgo: 1, simulated: true },
    ]);
    const created = inspect((v) => ({ a: v.index.session('a')!.created, bytes: v.index.stats().bytes }));
    expect(created.a).toBeGreaterThanOrEqual(now - 3 * day);
    const result = await cli('vault', 'status', '--json');
    expect(result.code).toBe(0);
    const status = JSON.parse(result.out);
    expect(status).toEqual({
      sessions: 2,
      simulatedSessions: 1,
      items: 4,
      bytes: created.bytes,
      oldest: new Date(created.a).toISOString(),
      nextWipe: new Date(created.a + 7 * day).toISOString(),
      retentionDays: 7,
      clock: { trusted: true, reason: null },
      lastAudit: null,
    });
    expect(created.bytes).toBeGreaterThan(4 * 2_000);
    expect(result.out).not.toContain('ABCDE');
  });

  it('prints a readable summary without --json, and reports an untrusted clock with its reason', async () => {
    writeConfig();
    await fill([{ id: 'a', code: 'ABCDE-12345', daysAgo: 1 }]);
    // The vault once saw a time a day ahead of the host's clock.
    inspect((v) => v.index.setMeta('clock.highWater', String(Date.now() + day)));
    const text = await cli('vault', 'status');
    expect(text.code).toBe(0);
    expect(text.out).toContain('vault: 1 sessions (0 simulated), 2 items');
    expect(text.out).toContain('retention: 7 days');
    expect(text.out).toMatch(/clock: not trusted \(the wall clock went backwards/);
  });
});

describe('kiosk vault wipe', () => {
  it('--older-than 0 shreds every ended session and leaves one still in progress', async () => {
    writeConfig();
    await fill([
      { id: 'a', code: 'ABCDE-12345', daysAgo: 2 },
      { id: 'b', code: 'FGHJK-67890', daysAgo: 1 },
      { id: 'open', code: 'MNPQR-11111', daysAgo: 0, end: null },
    ]);
    const result = await cli('vault', 'wipe', '--older-than', '0');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.out)).toEqual({ wiped: { sessions: 2, items: 4, bytes: expect.any(Number) } });
    expect(sessionIds()).toEqual(['open']);
    expect(blobCount()).toBe(2);
    const status = JSON.parse((await cli('vault', 'status', '--json')).out);
    expect(status.lastAudit).toMatchObject({ action: 'operator-wipe', sessions: 1 });
    expect(status.lastAudit.reason).toMatch(/older than 0 days/);
  });

  it('--older-than 0 empties the vault once every session has ended', async () => {
    writeConfig();
    await fill([
      { id: 'a', code: 'ABCDE-12345', daysAgo: 2 },
      { id: 'b', code: 'FGHJK-67890', daysAgo: 0 },
    ]);
    expect((await cli('vault', 'wipe', '--older-than', '0')).code).toBe(0);
    expect(sessionIds()).toEqual([]);
    expect(blobCount()).toBe(0);
    expect(JSON.parse((await cli('vault', 'status', '--json')).out)).toMatchObject({
      sessions: 0,
      items: 0,
      bytes: 0,
    });
  });

  it('--older-than DAYS takes only ended sessions created that long ago', async () => {
    writeConfig();
    await fill([
      { id: 'old', code: 'ABCDE-12345', daysAgo: 5 },
      { id: 'new', code: 'FGHJK-67890', daysAgo: 1 },
    ]);
    const result = await cli('vault', 'wipe', '--older-than', '3');
    expect(JSON.parse(result.out)).toMatchObject({ wiped: { sessions: 1, items: 2 } });
    expect(sessionIds()).toEqual(['new']);
  });

  it('without --older-than takes what is past retention', async () => {
    writeConfig();
    await fill([
      { id: 'expired', code: 'ABCDE-12345', daysAgo: 8 },
      { id: 'young', code: 'FGHJK-67890', daysAgo: 6, end: null },
    ]);
    const result = await cli('vault', 'wipe');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.out)).toMatchObject({ wiped: { sessions: 1, items: 2 } });
    expect(sessionIds()).toEqual(['young']);
  });

  it('--dry-run counts and deletes nothing', async () => {
    writeConfig();
    await fill([
      { id: 'a', code: 'ABCDE-12345', daysAgo: 9 },
      { id: 'b', code: 'FGHJK-67890', daysAgo: 1 },
    ]);
    const all = await cli('vault', 'wipe', '--older-than', '0', '--dry-run');
    expect(all.code).toBe(0);
    expect(JSON.parse(all.out)).toEqual({ dryRun: true, sessions: 2 });
    expect(JSON.parse((await cli('vault', 'wipe', '--dry-run')).out)).toEqual({ dryRun: true, sessions: 1 });
    expect(sessionIds()).toEqual(['a', 'b']);
    expect(blobCount()).toBe(4);
    expect(JSON.parse((await cli('vault', 'status', '--json')).out).lastAudit).toBeNull();
  });

  it('refuses to delete by age on a clock that went backwards, but still wipes everything with 0', async () => {
    writeConfig();
    await fill([{ id: 'a', code: 'ABCDE-12345', daysAgo: 9 }]);
    inspect((v) => v.index.setMeta('clock.highWater', String(Date.now() + 2 * day)));
    for (const args of [['--older-than', '1'], []]) {
      const refused = await cli('vault', 'wipe', ...args);
      expect(refused.code).toBe(1);
      expect(refused.err).toMatch(/not deleting by age: the wall clock went backwards/);
      expect(sessionIds()).toEqual(['a']);
    }
    expect((await cli('vault', 'wipe', '--older-than', '0')).code).toBe(0);
    expect(sessionIds()).toEqual([]);
  });

  it('refuses a --older-than that is not a number of days (exit 2)', async () => {
    writeConfig();
    await fill([{ id: 'a', code: 'ABCDE-12345', daysAgo: 9 }]);
    for (const bad of ['-1', 'ten', '1d', '']) {
      const result = await cli('vault', 'wipe', '--older-than', bad);
      expect(result.code, bad).toBe(2);
    }
    expect(sessionIds()).toEqual(['a']);
  });
});

describe('kiosk vault delete', () => {
  it('deletes one customer’s session by receipt code, typed sloppily, when no PIN is set', async () => {
    writeConfig();
    await fill([
      { id: 'a', code: 'A0B1C-D2E3F', daysAgo: 1 },
      { id: 'b', code: 'FGHJK-67890', daysAgo: 1 },
    ]);
    const result = await cli('vault', 'delete', 'aob1c d2e3f');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.out)).toEqual({ deleted: { sessions: 1, items: 2, bytes: expect.any(Number) } });
    expect(sessionIds()).toEqual(['b']);
    expect(blobCount()).toBe(2);
    const audit = inspect((v) => v.index.audit(1)[0]);
    expect(audit).toMatchObject({ action: 'user-request-delete', sessions: 1, items: 2 });
    expect(JSON.stringify(audit)).not.toMatch(/A0B1C|D2E3F/i);

    const again = await cli('vault', 'delete', 'A0B1C-D2E3F');
    expect(again.code).toBe(1);
    expect(again.err).toContain('no session with that receipt code');
  });

  it('an unknown or malformed code is exit 1 and deletes nothing; no code at all is exit 2', async () => {
    writeConfig();
    await fill([{ id: 'a', code: 'ABCDE-12345', daysAgo: 1 }]);
    for (const code of ['ZZZZZ-99999', 'not-a-code']) {
      const result = await cli('vault', 'delete', code);
      expect(result.code, code).toBe(1);
      expect(result.err).toContain('no session with that receipt code');
    }
    expect((await cli('vault', 'delete')).code).toBe(2);
    expect(sessionIds()).toEqual(['a']);
  });

  it('needs the operator PIN once one is set with `config set-pin`', async () => {
    writeConfig();
    await fill([{ id: 'a', code: 'ABCDE-12345', daysAgo: 1 }]);
    expect((await cli('config', 'set-pin', '482913')).code).toBe(0);

    const noPin = await cli('vault', 'delete', 'ABCDE-12345');
    expect(noPin.code).toBe(1);
    expect(noPin.err).toContain('operator PIN required');
    const wrongPin = await cli('vault', 'delete', 'ABCDE-12345', '--pin', '000000');
    expect(wrongPin.code).toBe(1);
    expect(wrongPin.err).toContain('operator PIN required');
    expect(sessionIds()).toEqual(['a']);
    // The PIN is checked before the code is looked up: an unknown code does not reveal anything either.
    expect((await cli('vault', 'delete', 'ZZZZZ-99999')).err).toContain('operator PIN required');

    const ok = await cli('vault', 'delete', 'ABCDE-12345', '--pin', '482913');
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out)).toMatchObject({ deleted: { sessions: 1 } });
    expect(sessionIds()).toEqual([]);
  });

  it('takes the PIN from KIOSK_OPERATOR_PIN too', async () => {
    writeConfig();
    await fill([{ id: 'a', code: 'ABCDE-12345', daysAgo: 1 }]);
    expect((await cli('config', 'set-pin', '482913')).code).toBe(0);
    process.env.KIOSK_OPERATOR_PIN = '482913';
    expect((await cli('vault', 'delete', 'ABCDE-12345')).code).toBe(0);
    expect(sessionIds()).toEqual([]);
  });
});

describe('kiosk vault (any subcommand)', () => {
  it('an unknown subcommand is exit 2; the vault is created owner-only under the data dir', async () => {
    writeConfig();
    const result = await cli('vault', 'explode');
    expect(result.code).toBe(2);
    expect(result.err).toContain('unknown vault command "explode"');
    expect(existsSync(join(dataDir, 'vault', 'master.key'))).toBe(true);
  });
});
