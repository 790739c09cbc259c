import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SimClock } from '../../core/sim-clock.ts';
import { ConfigStore } from '../../config/store.ts';
import { dataPaths } from '../../config/data-dir.ts';
import { hashSecret, verifySecret } from '../../config/pin.ts';
import { OperatorAccess, lockDelaysMs, onRealHardware } from '../../app/operator/operator-access.ts';
import { OperatorError } from '../../app/operator/operator-error.ts';

let dir: string;
let paths: ReturnType<typeof dataPaths>;
let clock: SimClock;
let store: ConfigStore;
const opened: OperatorAccess[] = [];

function access(): OperatorAccess {
  const a = OperatorAccess.open({ file: paths.operatorAccess, config: store, clock });
  opened.push(a);
  return a;
}

/** Closes the pad and opens it again on the same files: what a booth restart does. */
function restart(a: OperatorAccess): OperatorAccess {
  a.close();
  opened.splice(opened.indexOf(a), 1);
  store = new ConfigStore({ file: paths.config });
  return access();
}

function writeConfig(config: unknown): void {
  writeFileSync(paths.config, JSON.stringify(config));
  store = new ConfigStore({ file: paths.config });
}

const realPrinter = { photoPrinter: { adapter: 'folder', path: '/tmp/never-used' } };

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kiosk-operator-access-'));
  paths = dataPaths(dir);
  clock = new SimClock();
  store = new ConfigStore({ file: paths.config });
});

afterEach(() => {
  for (const a of opened.splice(0)) a.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('OperatorAccess: which role a PIN opens', () => {
  it('opens technician with the demo PIN while no PIN is set, and asks for a change only on real hardware', () => {
    expect(access().check('0000')).toEqual({ ok: true, role: 'technician', mustChangePin: false });
    writeConfig({ hardware: realPrinter });
    expect(onRealHardware(store.current())).toBe(true);
    expect(access().check('0000')).toEqual({ ok: true, role: 'technician', mustChangePin: true });
  });

  it('opens each role with its own PIN, and the demo PIN no more once any PIN is set', () => {
    writeConfig({
      hardware: realPrinter,
      operator: { pins: { operator: hashSecret('246810'), technician: hashSecret('13579') } },
    });
    const pad = access();
    expect(pad.check('246810')).toEqual({ ok: true, role: 'operator', mustChangePin: false });
    expect(pad.check('13579')).toEqual({ ok: true, role: 'technician', mustChangePin: false });
    expect(pad.check('0000')).toMatchObject({ ok: false, attemptsLeft: 4 });
    // Only the operator PIN set: 0000 must not leave the technician's role open.
    writeConfig({ operator: { pins: { operator: hashSecret('246810') } } });
    expect(access().check('0000')).toMatchObject({ ok: false });
  });

  it('counts what is not a PIN at all (letters, too long) as a wrong PIN', () => {
    const pad = access();
    expect(pad.check('abcd')).toEqual({ ok: false, attemptsLeft: 4, lockedUntil: null });
    expect(pad.check('0'.repeat(100_000))).toEqual({ ok: false, attemptsLeft: 3, lockedUntil: null });
  });
});

describe('OperatorAccess: the lock after five wrong PINs', () => {
  it('locks for 30 s after five in a row, refuses even the right PIN meanwhile, and opens after', () => {
    const pad = access();
    for (const left of [4, 3, 2, 1])
      expect(pad.check('1111')).toEqual({ ok: false, attemptsLeft: left, lockedUntil: null });
    const locked = pad.check('1111');
    expect(locked).toEqual({ ok: false, attemptsLeft: 0, lockedUntil: clock.now() + 30_000 });
    clock.jumpWallClock(29_999);
    expect(pad.check('0000')).toEqual({
      ok: false,
      attemptsLeft: 0,
      lockedUntil: (locked as { lockedUntil: number }).lockedUntil,
    });
    clock.jumpWallClock(1);
    expect(pad.check('0000')).toMatchObject({ ok: true, role: 'technician' });
  });

  it('grows the lock 30 s, 1, 2, 5 min, then 15 min at most, and a right PIN starts again at 30 s', () => {
    const pad = access();
    const lockFor = () => {
      for (let i = 0; i < 4; i++) pad.check('9999');
      const result = pad.check('9999') as { lockedUntil: number };
      const delay = result.lockedUntil - clock.now();
      clock.jumpWallClock(delay);
      return delay;
    };
    expect([lockFor(), lockFor(), lockFor(), lockFor(), lockFor(), lockFor()]).toEqual([
      30_000, 60_000, 120_000, 300_000, 900_000, 900_000,
    ]);
    expect(lockDelaysMs.at(-1)).toBe(15 * 60_000);
    expect(pad.check('0000')).toMatchObject({ ok: true });
    expect(lockFor()).toBe(30_000);
  });

  it('a right PIN between wrong ones resets the count', () => {
    const pad = access();
    for (let i = 0; i < 4; i++) pad.check('1111');
    expect(pad.check('0000').ok).toBe(true);
    expect(pad.check('1111')).toEqual({ ok: false, attemptsLeft: 4, lockedUntil: null });
    expect(pad.padState()).toEqual({ attemptsLeft: 4, lockedUntil: null });
  });

  it('is still locked after a restart, and the count of wrong PINs survives it too', () => {
    let pad = access();
    for (let i = 0; i < 3; i++) pad.check('1111');
    pad = restart(pad);
    expect(pad.padState()).toEqual({ attemptsLeft: 2, lockedUntil: null });
    pad.check('1111');
    const locked = pad.check('1111') as { lockedUntil: number };
    pad = restart(pad);
    expect(pad.check('0000')).toEqual({ ok: false, attemptsLeft: 0, lockedUntil: locked.lockedUntil });
    clock.jumpWallClock(30_000);
    pad = restart(pad);
    expect(pad.check('0000').ok).toBe(true);
  });

  it('a wall clock stepped back under a lock holds it for its own delay, not for the step', () => {
    const pad = access();
    for (let i = 0; i < 5; i++) pad.check('1111');
    clock.jumpWallClock(-3 * 3600_000);
    const moved = pad.check('0000') as { lockedUntil: number };
    expect(moved.lockedUntil).toBe(clock.now() + 30_000);
    clock.jumpWallClock(30_000);
    expect(pad.check('0000').ok).toBe(true);
  });

  it('keeps its file owner-only, in WAL with synchronous=FULL', () => {
    access();
    expect(statSync(paths.operatorAccess).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'operator')).mode & 0o777).toBe(0o700);
    const db = new Database(paths.operatorAccess, { readonly: true });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      db.close();
    }
  });
});

describe('OperatorAccess: the audit', () => {
  it('records every attempt with its time, result and role, never the digits', () => {
    const pad = access();
    pad.check('482913');
    clock.jumpWallClock(1_000);
    pad.check('0000');
    const entries = pad.recentAudit(10);
    expect(entries.map((e) => [e.action, e.result, e.role])).toEqual([
      ['pin-entry', 'demo-pin', 'technician'],
      ['pin-entry', 'wrong', null],
    ]);
    expect(entries[0]!.at - entries[1]!.at).toBe(1_000);
    pad.close();
    opened.length = 0;
    const raw = readFileSync(paths.operatorAccess).toString('latin1') + readWal();
    expect(raw).not.toContain('482913');
  });

  it('records operator actions with old and new values, and SQLite refuses to edit or delete any', () => {
    const pad = access();
    const entry = pad.audit({
      role: 'operator',
      action: 'price-changed',
      subject: 'photos-4',
      before: 800,
      after: 900,
    });
    expect(entry).toMatchObject({
      role: 'operator',
      action: 'price-changed',
      subject: 'photos-4',
      before: 800,
      after: 900,
    });
    pad.audit({ role: 'technician', action: 'out-of-service', after: { message: 'Cleaning' } });
    const back = restart(pad).recentAudit(1);
    expect(back).toEqual([
      expect.objectContaining({ action: 'out-of-service', after: { message: 'Cleaning' }, before: null }),
    ]);
    expect(() => pad.audit({ role: 'operator', action: 'Price Changed' })).toThrow(/kebab case/);
    const db = new Database(paths.operatorAccess);
    try {
      expect(() => db.exec('UPDATE audit SET after_value = 1')).toThrow(/append-only/);
      expect(() => db.exec('DELETE FROM audit')).toThrow(/append-only/);
    } finally {
      db.close();
    }
  });
});

describe('OperatorAccess: changing a PIN', () => {
  it('writes the new hash into the config file atomically, current at once, and the old PIN stops working', () => {
    writeConfig({ unit: { name: 'Booth at the town hall' }, hardware: realPrinter });
    const pad = access();
    expect(pad.check('0000')).toMatchObject({ ok: true, mustChangePin: true });
    pad.changePin('technician', '735142');
    const file = JSON.parse(readFileSync(paths.config, 'utf8'));
    // What the operator wrote stays; only the hash is added, and never the PIN itself.
    expect(file.unit).toEqual({ name: 'Booth at the town hall' });
    expect(verifySecret('735142', file.operator.pins.technician)).toBe(true);
    expect(readFileSync(paths.config, 'utf8')).not.toContain('735142');
    expect(statSync(paths.config).mode & 0o777).toBe(0o600);
    expect(pad.check('0000')).toMatchObject({ ok: false });
    expect(pad.check('735142')).toEqual({ ok: true, role: 'technician', mustChangePin: false });
    expect(pad.recentAudit(3).map((e) => [e.action, e.subject, e.role])).toContainEqual([
      'pin-changed',
      'technician',
      'technician',
    ]);
    // A restart reads it from the file.
    expect(restart(pad).check('735142')).toMatchObject({ ok: true, role: 'technician' });
  });

  it('refuses a PIN that is not digits, the demo PIN, the other role, and an operator setting the technician PIN', () => {
    const pad = access();
    pad.changePin('technician', '735142');
    const refused = (fn: () => void) => {
      try {
        fn();
      } catch (error) {
        expect(error).toBeInstanceOf(OperatorError);
        return [(error as OperatorError).code, (error as Error).message];
      }
      throw new Error('not refused');
    };
    expect(refused(() => pad.changePin('operator', '12a4'))).toEqual([
      'pin-invalid',
      expect.stringContaining('4 to 12 digits'),
    ]);
    expect(refused(() => pad.changePin('operator', '0000'))).toEqual([
      'pin-invalid',
      expect.stringContaining('demo PIN'),
    ]);
    expect(refused(() => pad.changePin('operator', '735142'))).toEqual([
      'pin-invalid',
      expect.stringContaining("other role's PIN"),
    ]);
    expect(refused(() => pad.changePin('technician', '111222', 'operator'))).toEqual([
      'not-allowed',
      expect.any(String),
    ]);
    pad.changePin('operator', '246810', 'technician');
    expect(pad.check('246810')).toMatchObject({ ok: true, role: 'operator' });
  });

  it('turns a file from before PIN roles into pins, dropping pinHash', () => {
    writeConfig({ operator: { pinHash: hashSecret('482913'), inactivityMs: 60_000 } });
    const pad = access();
    expect(pad.check('482913')).toMatchObject({ ok: true, role: 'technician' });
    pad.changePin('operator', '246810', 'technician');
    const file = JSON.parse(readFileSync(paths.config, 'utf8'));
    expect(Object.keys(file.operator).sort()).toEqual(['inactivityMs', 'pins']);
    expect(pad.check('482913')).toMatchObject({ ok: true, role: 'technician' });
    expect(pad.check('246810')).toMatchObject({ ok: true, role: 'operator' });
  });
});

function readWal(): string {
  try {
    return readFileSync(`${paths.operatorAccess}-wal`).toString('latin1');
  } catch {
    return '';
  }
}
