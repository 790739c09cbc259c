import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { schemaVersion } from '../../app/money/journal-schema.ts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CreditJournal,
  InsufficientCreditError,
  JournalError,
  type JournalTotals,
} from '../../app/money/credit-journal.ts';

const root = new URL('../../', import.meta.url).pathname;
const journalModule = pathToFileURL(join(root, 'app/money/credit-journal.ts')).href;

let dir: string;
let file: string;
const open: CreditJournal[] = [];

/** A clock the test moves by hand, so created_at ordering is under control. */
function manualClock(start = 1_767_600_000_000) {
  let now = start;
  return { now: () => now, tick: (ms = 1_000) => (now += ms) };
}

function openJournal(clock: { now(): number } = manualClock()): CreditJournal {
  const journal = CreditJournal.open(file, clock);
  open.push(journal);
  return journal;
}

function closeJournal(journal: CreditJournal): void {
  journal.close();
  open.splice(open.indexOf(journal), 1);
}

let refs = 0;
function coin(amount: number, extra: Partial<{ ref: string; sessionId: string; deviceId: string }> = {}) {
  return {
    sessionId: extra.sessionId ?? 's1',
    ref: extra.ref ?? `SIM-PAY-0001:${++refs}`,
    deviceId: extra.deviceId ?? 'SIM-PAY-0001',
    amount,
    currency: 'EUR',
    channel: 'coin',
  };
}

/** Totals of a journal that never paid out coins nor issued a voucher. */
const nothingHandedBack = {
  payoutsUnsettled: 0,
  vouchersIssued: 0,
  vouchersRedeemed: 0,
  vouchersExpired: 0,
  vouchersOutstanding: 0,
};

/** creditIn == printed + carried + refunded + kept, with open (paid, undelivered) orders on top. */
function expectBalanced(totals: JournalTotals, openOrderValue = 0): void {
  expect(totals.inserted).toBe(
    totals.delivered + totals.balance + totals.refunded + totals.kept + openOrderValue,
  );
}

/** A hopper payout of `amount` that came out in full. */
function payOut(journal: CreditJournal, sessionId: string, amount: number): void {
  const id = `payout-${++refs}`;
  journal.beginPayout({ id, sessionId, hopperId: 'HOP-1', coinValue: 100, amount, countBefore: 0 });
  journal.settlePayout(id, amount);
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kiosk-journal-'));
  file = join(dir, 'unit', 'credit-journal.sqlite');
});

afterEach(() => {
  for (const journal of open.splice(0)) journal.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('CreditJournal: storage', () => {
  it('creates its directory and runs in WAL mode with synchronous=FULL', () => {
    const journal = openJournal();
    expect(statSync(join(dir, 'unit')).isDirectory()).toBe(true);
    expect(journal.pragma('journal_mode')).toBe('wal');
    expect(journal.pragma('synchronous')).toBe(2);
    // WAL is a property of the file: another connection sees it too.
    const other = new Database(file, { readonly: true });
    try {
      expect(other.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(other.pragma('user_version', { simple: true })).toBe(schemaVersion);
    } finally {
      other.close();
    }
  });

  it('keeps WAL and synchronous=FULL after a reopen', () => {
    closeJournal(openJournal());
    const journal = openJournal();
    expect(journal.pragma('journal_mode')).toBe('wal');
    expect(journal.pragma('synchronous')).toBe(2);
  });

  it('commits without fsync only when opened for a simulation, and the next plain open is FULL again', () => {
    const simulation = CreditJournal.open(file, manualClock(), { durability: 'simulation' });
    open.push(simulation);
    expect(simulation.pragma('journal_mode')).toBe('wal');
    expect(simulation.pragma('synchronous')).toBe(0);
    simulation.recordInserted(coin(200));
    expect(simulation.balance()).toBe(200);
    closeJournal(simulation);
    const unit = openJournal();
    expect(unit.pragma('synchronous')).toBe(2);
    expect(unit.balance()).toBe(200);
  });

  it('keeps the balance in a row of its own that always equals the sum of the movements, which are append-only', () => {
    const journal = openJournal();
    journal.recordInserted(coin(200));
    journal.recordInserted({ ...coin(500), ref: 'SIM:2' });
    journal.placeOrder({ sessionId: 's1', orderId: 'o1', productId: 'p', price: 600 });
    journal.reverseOrder('o1', 'cancelled');
    journal.settleUnused({ sessionId: 's1', policy: 'keep' });
    journal.recordInserted({ ...coin(100), ref: 'SIM:3' });
    closeJournal(journal);
    const db = new Database(file);
    try {
      const sum = db.prepare('SELECT SUM(balance_delta) AS b FROM movements').get() as { b: number };
      const kept = db.prepare('SELECT amount FROM credit_balance').get() as { amount: number };
      expect(kept.amount).toBe(100);
      expect(sum.b).toBe(kept.amount);
      // Nothing may rewrite the money's history, not even a direct edit of the file.
      expect(() => db.exec('UPDATE movements SET amount = 0')).toThrow(/append-only/);
      expect(() => db.exec('DELETE FROM movements')).toThrow(/append-only/);
    } finally {
      db.close();
    }
  });

  it('refuses a journal made by a newer build instead of touching it', () => {
    closeJournal(openJournal());
    const db = new Database(file);
    db.pragma(`user_version = ${schemaVersion + 1}`);
    db.close();
    let error: unknown;
    try {
      openJournal();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(JournalError);
    expect((error as JournalError).code).toBe('journal-too-new');
  });
});

describe('CreditJournal: credit in', () => {
  it('adds inserted credit to the balance', () => {
    const journal = openJournal();
    expect(journal.balance()).toBe(0);
    expect(journal.recordInserted(coin(200))).toEqual({ recorded: true, balance: 200 });
    expect(journal.recordInserted(coin(50))).toEqual({ recorded: true, balance: 250 });
    expect(journal.totals()).toEqual({
      inserted: 250,
      delivered: 0,
      owed: 0,
      reversed: 0,
      refunded: 0,
      kept: 0,
      ...nothingHandedBack,
      balance: 250,
    });
  });

  it('counts a re-reported device event once; the same ref for other money is a conflict, not credit', () => {
    const journal = openJournal();
    const first = coin(200, { ref: 'SIM-PAY-0001:7' });
    expect(journal.recordInserted(first)).toEqual({ recorded: true, balance: 200 });
    expect(journal.recordInserted(first)).toEqual({ recorded: false, balance: 200 });
    expect(journal.recordInserted({ ...first, amount: 500, sessionId: 's2' })).toEqual({
      recorded: false,
      balance: 200,
      conflict: { amount: 200, deviceId: 'SIM-PAY-0001' },
    });
    expect(journal.recordInserted({ ...first, deviceId: 'OTHER-1' })).toEqual({
      recorded: false,
      balance: 200,
      conflict: { amount: 200, deviceId: 'SIM-PAY-0001' },
    });
    expect(journal.totals().inserted).toBe(200);
    expect(journal.lastMovementId()).toBe(1);
  });

  it('still refuses the duplicate after a reopen', () => {
    const journal = openJournal();
    journal.recordInserted(coin(100, { ref: 'NOTE-9:41' }));
    closeJournal(journal);
    const again = openJournal();
    expect(again.recordInserted(coin(100, { ref: 'NOTE-9:41' }))).toEqual({ recorded: false, balance: 100 });
    expect(again.totals().inserted).toBe(100);
  });

  it('refuses amounts that are not positive whole minor units, changing nothing', () => {
    const journal = openJournal();
    journal.recordInserted(coin(100));
    for (const amount of [0, -50, 12.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53]) {
      let error: unknown;
      try {
        journal.recordInserted(coin(amount), { eventCounter: 99 });
      } catch (e) {
        error = e;
      }
      expect(error, String(amount)).toBeInstanceOf(JournalError);
      expect((error as JournalError).code).toBe('invalid-amount');
    }
    expect(journal.balance()).toBe(100);
    expect(journal.lastMovementId()).toBe(1);
    expect(journal.lastEventCounter('SIM-PAY-0001')).toBeNull();
  });
});

describe('CreditJournal: device event counters', () => {
  it('stores the last counter per device serial, with the credit or on its own', () => {
    const journal = openJournal();
    expect(journal.lastEventCounter('CCT-COIN-123')).toBeNull();
    journal.recordInserted(coin(100, { deviceId: 'CCT-COIN-123' }), { eventCounter: 17 });
    journal.recordInserted(coin(500, { deviceId: 'CCT-BILL-456' }), { eventCounter: 3 });
    expect(journal.lastEventCounter('CCT-COIN-123')).toBe(17);
    expect(journal.lastEventCounter('CCT-BILL-456')).toBe(3);
    journal.setEventCounter('CCT-COIN-123', 18);
    expect(journal.lastEventCounter('CCT-COIN-123')).toBe(18);
    expect(journal.lastEventCounter('CCT-BILL-456')).toBe(3);
    // Without eventCounter the stored one is left alone.
    journal.recordInserted(coin(100, { deviceId: 'CCT-COIN-123' }));
    expect(journal.lastEventCounter('CCT-COIN-123')).toBe(18);
  });

  it('keeps each counter across a reopen', () => {
    const journal = openJournal();
    journal.recordInserted(coin(100, { deviceId: 'CCT-COIN-123' }), { eventCounter: 250 });
    journal.setEventCounter('CCT-BILL-456', 9);
    closeJournal(journal);
    const again = openJournal();
    expect(again.lastEventCounter('CCT-COIN-123')).toBe(250);
    expect(again.lastEventCounter('CCT-BILL-456')).toBe(9);
    expect(again.lastEventCounter('SIM-PAY-0001')).toBeNull();
  });
});

describe('CreditJournal: orders and unused credit', () => {
  it('placing an order moves its price out of credit; delivering earns it', () => {
    const journal = openJournal();
    journal.recordInserted(coin(500));
    journal.recordInserted(coin(500));
    journal.placeOrder({ sessionId: 's1', orderId: 'o1', productId: 'photos-4', price: 800 });
    expect(journal.balance()).toBe(200);
    expect(journal.openOrders().map((o) => o.id)).toEqual(['o1']);
    expect(journal.totals().delivered).toBe(0);
    expectBalanced(journal.totals(), 800);

    journal.deliverOrder('o1');
    expect(journal.balance()).toBe(200);
    expect(journal.openOrders()).toEqual([]);
    expect(journal.totals().delivered).toBe(800);
    expectBalanced(journal.totals());
  });

  it('refuses an order the credit does not cover, leaving no trace', () => {
    const journal = openJournal();
    journal.recordInserted(coin(700));
    expect(() =>
      journal.placeOrder({ sessionId: 's1', orderId: 'o1', productId: 'photos-4', price: 800 }),
    ).toThrow(InsufficientCreditError);
    expect(journal.balance()).toBe(700);
    expect(journal.openOrders()).toEqual([]);
    expect(journal.lastMovementId()).toBe(1);
    // An order for exactly the balance is fine.
    journal.placeOrder({ sessionId: 's1', orderId: 'o1', productId: 'photos-4', price: 700 });
    expect(journal.balance()).toBe(0);
  });

  it('refuses a second order with the same id and keeps the credit', () => {
    const journal = openJournal();
    journal.recordInserted(coin(2000));
    journal.placeOrder({ sessionId: 's1', orderId: 'o1', productId: 'photos-4', price: 800 });
    expect(() =>
      journal.placeOrder({ sessionId: 's1', orderId: 'o1', productId: 'photos-4', price: 800 }),
    ).toThrow();
    expect(journal.balance()).toBe(1200);
    expect(journal.openOrders()).toHaveLength(1);
  });

  it('reversing an order puts its price back into credit', () => {
    const journal = openJournal();
    journal.recordInserted(coin(1000));
    journal.placeOrder({ sessionId: 's1', orderId: 'o1', productId: 'photos-8', price: 1000 });
    expect(journal.balance()).toBe(0);
    journal.reverseOrder('o1', 'printFailed:jam');
    expect(journal.balance()).toBe(1000);
    expect(journal.openOrders()).toEqual([]);
    const totals = journal.totals();
    expect(totals.reversed).toBe(1000);
    expect(totals.delivered).toBe(0);
    expectBalanced(totals);
  });

  it('an order is settled once: no second delivery, no reversal after delivery, no unknown orders', () => {
    const journal = openJournal();
    journal.recordInserted(coin(2000));
    journal.placeOrder({ sessionId: 's1', orderId: 'o1', productId: 'photos-4', price: 800 });
    journal.placeOrder({ sessionId: 's1', orderId: 'o2', productId: 'photos-4', price: 800 });
    journal.deliverOrder('o1');
    journal.reverseOrder('o2', 'cameraFailed');

    const code = (fn: () => void) => {
      try {
        fn();
      } catch (error) {
        expect(error).toBeInstanceOf(JournalError);
        return (error as JournalError).code;
      }
      return 'no error';
    };
    expect(code(() => journal.deliverOrder('o1'))).toBe('order-settled');
    expect(code(() => journal.reverseOrder('o1', 'late'))).toBe('order-settled');
    expect(code(() => journal.reverseOrder('o2', 'again'))).toBe('order-settled');
    expect(code(() => journal.deliverOrder('o2'))).toBe('order-settled');
    expect(code(() => journal.deliverOrder('nope'))).toBe('unknown-order');
    expect(code(() => journal.reverseOrder('nope', 'x'))).toBe('unknown-order');

    // None of the refused calls moved money.
    expect(journal.balance()).toBe(1200);
    expect(journal.totals()).toMatchObject({ inserted: 2000, delivered: 800, reversed: 800 });
    expectBalanced(journal.totals());
  });

  it('settles unused credit: a payout and keep take it out, carry leaves it', () => {
    const journal = openJournal();
    journal.recordInserted(coin(300));
    payOut(journal, 's1', 300);
    expect(journal.balance()).toBe(0);

    journal.recordInserted(coin(200, { sessionId: 's2' }));
    expect(journal.settleUnused({ sessionId: 's2', policy: 'keep' })).toEqual({
      amount: 200,
      policy: 'keep',
    });
    expect(journal.balance()).toBe(0);

    journal.recordInserted(coin(150, { sessionId: 's3' }));
    expect(journal.settleUnused({ sessionId: 's3', policy: 'carry' })).toEqual({
      amount: 150,
      policy: 'carry',
    });
    expect(journal.balance()).toBe(150);

    expect(journal.totals()).toEqual({
      inserted: 650,
      delivered: 0,
      owed: 0,
      reversed: 0,
      refunded: 300,
      kept: 200,
      ...nothingHandedBack,
      balance: 150,
    });
    expectBalanced(journal.totals());
  });

  it('settling with no credit left records nothing', () => {
    const journal = openJournal();
    const before = journal.lastMovementId();
    for (const policy of ['carry', 'keep'] as const) {
      expect(journal.settleUnused({ sessionId: 's1', policy })).toEqual({ amount: 0, policy });
    }
    expect(journal.lastMovementId()).toBe(before);
  });

  it('a day of sessions balances: creditIn == printed + carried + refunded + kept', () => {
    const clock = manualClock();
    const journal = openJournal(clock);
    // s1: pays 800 in coins, prints.
    for (const c of [200, 200, 200, 100, 100]) journal.recordInserted(coin(c, { sessionId: 's1' }));
    journal.placeOrder({ sessionId: 's1', orderId: 'o1', productId: 'photos-4', price: 800 });
    journal.deliverOrder('o1');
    journal.settleUnused({ sessionId: 's1', policy: 'carry' });
    // s2: overpays with a note, print fails, refund.
    clock.tick();
    journal.recordInserted(coin(2000, { sessionId: 's2' }));
    journal.placeOrder({ sessionId: 's2', orderId: 'o2', productId: 'photos-8', price: 1200 });
    journal.reverseOrder('o2', 'printFailed:out-of-paper');
    payOut(journal, 's2', 2000);
    // s3: overpays, prints, the rest is kept.
    clock.tick();
    journal.recordInserted(coin(1000, { sessionId: 's3' }));
    journal.recordInserted(coin(100, { sessionId: 's3' }));
    journal.placeOrder({ sessionId: 's3', orderId: 'o3', productId: 'photos-4-digital', price: 1000 });
    journal.deliverOrder('o3');
    journal.settleUnused({ sessionId: 's3', policy: 'keep' });
    // s4: walks away with credit, which carries.
    clock.tick();
    journal.recordInserted(coin(500, { sessionId: 's4' }));
    journal.settleUnused({ sessionId: 's4', policy: 'carry' });
    // s5: uses the carried 500 plus 300 more.
    clock.tick();
    journal.recordInserted(coin(300, { sessionId: 's5' }));
    const sinceS5 = journal.lastMovementId();
    journal.placeOrder({ sessionId: 's5', orderId: 'o5', productId: 'photos-4', price: 800 });
    journal.deliverOrder('o5');
    journal.recordInserted(coin(50, { sessionId: 's5' }));
    journal.settleUnused({ sessionId: 's5', policy: 'carry' });

    const totals = journal.totals();
    expect(totals).toEqual({
      inserted: 800 + 2000 + 1100 + 500 + 300 + 50,
      delivered: 800 + 1000 + 800,
      owed: 0,
      reversed: 1200,
      refunded: 2000,
      kept: 100,
      ...nothingHandedBack,
      balance: 50,
    });
    expectBalanced(totals);
    // totals(since) only counts what came after the mark (the balance is always the whole).
    expect(journal.totals(sinceS5)).toEqual({
      inserted: 50,
      delivered: 800,
      owed: 0,
      reversed: 0,
      refunded: 0,
      kept: 0,
      ...nothingHandedBack,
      balance: 50,
    });
  });
});

describe('CreditJournal: reopen', () => {
  it('finds the same balance, totals and open orders after closing and opening the file again', () => {
    const clock = manualClock();
    const journal = openJournal(clock);
    journal.recordInserted(coin(2000, { sessionId: 's1' }), { eventCounter: 4 });
    journal.placeOrder({ sessionId: 's1', orderId: 'o1', productId: 'photos-8', price: 1200 });
    clock.tick();
    journal.placeOrder({ sessionId: 's1', orderId: 'o2', productId: 'photos-4', price: 500 });
    clock.tick();
    journal.recordInserted(coin(1000, { sessionId: 's2' }));
    journal.placeOrder({ sessionId: 's2', orderId: 'o3', productId: 'photos-4', price: 800 });
    journal.deliverOrder('o3');
    const balance = journal.balance();
    const totals = journal.totals();
    const orders = journal.openOrders();
    expect(balance).toBe(500);
    expect(orders.map((o) => o.id)).toEqual(['o1', 'o2']);
    expect(orders[0]).toEqual({
      id: 'o1',
      sessionId: 's1',
      productId: 'photos-8',
      price: 1200,
      state: 'paid',
      createdAt: 1_767_600_000_000,
    });
    closeJournal(journal);

    const again = openJournal(clock);
    expect(again.balance()).toBe(balance);
    expect(again.totals()).toEqual(totals);
    expect(again.openOrders()).toEqual(orders);
    expect(again.lastEventCounter('SIM-PAY-0001')).toBe(4);
    expectBalanced(again.totals(), 1200 + 500);

    // What start-up does after a crash: open orders go back to credit.
    for (const order of again.openOrders()) again.reverseOrder(order.id, 'restart');
    expect(again.balance()).toBe(500 + 1200 + 500);
    expect(again.openOrders()).toEqual([]);
    expectBalanced(again.totals());
  });
});

describe('CreditJournal: a crash', () => {
  it('keeps credit a process recorded before it was killed with SIGKILL', async () => {
    const script = join(dir, 'record-then-hang.ts');
    writeFileSync(
      script,
      `import { CreditJournal } from ${JSON.stringify(journalModule)};
const journal = CreditJournal.open(process.argv[2]!);
const credit = (ref: string, amount: number) => ({
  sessionId: 'crash-session', ref, deviceId: 'CCT-COIN-777', amount, currency: 'EUR', channel: 'coin',
});
journal.recordInserted(credit('CCT-COIN-777:1', 200), { eventCounter: 1 });
journal.recordInserted(credit('CCT-COIN-777:2', 500), { eventCounter: 2 });
journal.recordInserted(credit('CCT-COIN-777:3', 1000), { eventCounter: 3 });
journal.placeOrder({ sessionId: 'crash-session', orderId: 'crash-order', productId: 'photos-4', price: 800 });
process.stdout.write('recorded ' + journal.balance() + '\\n');
// Never closes the journal: the process hangs until it is killed.
setInterval(() => {}, 1_000);
`,
    );
    const child = spawn(process.execPath, ['--import', 'tsx', script, file], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal })),
    );
    const ready = await new Promise<boolean>((resolve) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes('\n')) resolve(true);
      });
      void exited.then(() => resolve(false));
    });
    expect(ready, `child exited early: ${stderr}`).toBe(true);
    expect(stdout.trim()).toBe('recorded 900');

    child.kill('SIGKILL');
    const { signal } = await exited;
    expect(signal).toBe('SIGKILL');
    // The process never closed the journal: the commits are in the write-ahead log, not yet
    // checkpointed into the main file.
    expect(existsSync(`${file}-wal`)).toBe(true);
    expect(statSync(`${file}-wal`).size).toBeGreaterThan(0);

    const journal = openJournal();
    expect(journal.balance()).toBe(900);
    expect(journal.totals().inserted).toBe(1700);
    expect(journal.openOrders().map((o) => [o.id, o.price])).toEqual([['crash-order', 800]]);
    expect(journal.lastEventCounter('CCT-COIN-777')).toBe(3);
    // The device re-reporting its last event after the restart does not double it.
    expect(
      journal.recordInserted({
        sessionId: 'after-restart',
        ref: 'CCT-COIN-777:3',
        deviceId: 'CCT-COIN-777',
        amount: 1000,
        currency: 'EUR',
        channel: 'coin',
      }).recorded,
    ).toBe(false);
    journal.reverseOrder('crash-order', 'restart');
    expect(journal.balance()).toBe(1700);
    expectBalanced(journal.totals());
  }, 60_000);
});
