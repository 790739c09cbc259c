import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CashDesk } from '../../app/booth/cash-desk.ts';
import { CreditJournal } from '../../app/money/credit-journal.ts';
import { createLogger } from '../../app/logging/logger.ts';
import type { SessionEvent } from '../../flows/session/events.ts';
import type { PaymentDevice, PaymentEvent, PaymentStatus } from '../../hardware/payment/payment-port.ts';
import { SimulatedPaymentDevice } from '../../hardware/payment/simulated-payment-device.ts';
import { SimClock } from '../../core/sim-clock.ts';

/** A payment device the test drives by hand: `emit` is a poll that returns one event. */
class FakePaymentDevice implements PaymentDevice {
  readonly kind = 'fake';
  readonly deviceId = 'CCT-COIN-42';
  readonly #events = new Set<(event: PaymentEvent) => void>();
  readonly #statuses = new Set<(status: PaymentStatus) => void>();
  #status: PaymentStatus = { online: true, ready: true, reasons: [], accepting: true };
  async open(): Promise<void> {}
  async close(): Promise<void> {}
  status(): PaymentStatus {
    return this.#status;
  }
  onStatus(listener: (status: PaymentStatus) => void) {
    this.#statuses.add(listener);
    return () => void this.#statuses.delete(listener);
  }
  onEvent(listener: (event: PaymentEvent) => void) {
    this.#events.add(listener);
    return () => void this.#events.delete(listener);
  }
  async setAcceptance(): Promise<void> {}
  async stackEscrow(): Promise<void> {}
  async returnEscrow(): Promise<void> {}
  get listeners(): number {
    return this.#events.size + this.#statuses.size;
  }
  emit(event: PaymentEvent): void {
    for (const l of [...this.#events]) l(event);
  }
  setStatus(status: PaymentStatus): void {
    this.#status = status;
    for (const l of [...this.#statuses]) l(status);
  }
}

type LogLine = { level: number; msg: string; [key: string]: unknown };

let dir: string;
let file: string;
let journal: CreditJournal;
let device: FakePaymentDevice;
let clock: SimClock;
let told: SessionEvent[];
let logs: LogLine[];
let session: string | null;
let desk: CashDesk;
const retryMs = 2_000;

function newDesk(options: { tell?: (event: SessionEvent) => void; retryMs?: number | undefined } = {}) {
  return new CashDesk({
    device,
    journal,
    clock,
    logger: createLogger({
      level: 'debug',
      destination: { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) },
    }),
    currentSession: () => session,
    tell: options.tell ?? ((event) => void told.push(event)),
    retryMs: 'retryMs' in options ? options.retryMs : retryMs,
  });
}

let refs = 0;
function credit(amount: number, ref = `CCT-COIN-42:${++refs}`): PaymentEvent {
  return { type: 'credit', ref, amount, currency: 'EUR', channel: 'coin' };
}

/** What is committed in the journal file, as a second connection reads it. */
function committedCredits(): { ref: string; amount: number; session_id: string }[] {
  const db = new Database(file, { readonly: true });
  try {
    return db
      .prepare(`SELECT ref, amount, session_id FROM movements WHERE kind = 'inserted' ORDER BY id`)
      .all() as { ref: string; amount: number; session_id: string }[];
  } finally {
    db.close();
  }
}

const diskFull = () => Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });

/** Makes the journal refuse writes until the returned function is called. */
function breakJournal(): () => void {
  const spy = vi.spyOn(journal, 'recordInserted').mockImplementation(() => {
    throw diskFull();
  });
  return () => spy.mockRestore();
}

const credits = () => told.filter((e) => e.type === 'CREDIT');
const faults = () => told.filter((e) => e.type === 'PAYMENT_FAULT');

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kiosk-cashdesk-'));
  file = join(dir, 'credit-journal.sqlite');
  clock = new SimClock();
  journal = CreditJournal.open(file, clock);
  device = new FakePaymentDevice();
  told = [];
  logs = [];
  session = 'session-1';
  desk = newDesk();
  desk.start();
});

afterEach(() => {
  desk.stop();
  vi.restoreAllMocks();
  journal.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('CashDesk: credit goes to the journal first', () => {
  it('the credit is committed to the journal file before the flow hears of it', () => {
    const seenAtTell: unknown[] = [];
    desk.stop();
    desk = newDesk({
      tell: (event) => {
        told.push(event);
        seenAtTell.push(committedCredits().map((c) => c.ref));
      },
    });
    desk.start();
    device.emit(credit(200, 'CCT-COIN-42:1'));
    device.emit(credit(50, 'CCT-COIN-42:2'));
    expect(told).toEqual([
      { type: 'CREDIT', amount: 200, balance: 200 },
      { type: 'CREDIT', amount: 50, balance: 250 },
    ]);
    expect(seenAtTell).toEqual([['CCT-COIN-42:1'], ['CCT-COIN-42:1', 'CCT-COIN-42:2']]);
    expect(journal.balance()).toBe(250);
    expect(desk.pendingCredits).toBe(0);
  });

  it('books the credit to the open session, or between sessions when none is open', () => {
    device.emit(credit(100, 'CCT-COIN-42:a'));
    session = null;
    device.emit(credit(200, 'CCT-COIN-42:b'));
    expect(committedCredits()).toEqual([
      { ref: 'CCT-COIN-42:a', amount: 100, session_id: 'session-1' },
      { ref: 'CCT-COIN-42:b', amount: 200, session_id: 'between-sessions' },
    ]);
    // The flow hears of money between sessions too.
    expect(credits()).toEqual([
      { type: 'CREDIT', amount: 100, balance: 100 },
      { type: 'CREDIT', amount: 200, balance: 300 },
    ]);
  });

  it('a re-reported device event is neither journaled nor reported twice', () => {
    device.emit(credit(200, 'CCT-COIN-42:7'));
    device.emit(credit(200, 'CCT-COIN-42:7'));
    expect(credits()).toEqual([{ type: 'CREDIT', amount: 200, balance: 200 }]);
    expect(journal.totals().inserted).toBe(200);
    expect(logs.some((l) => l.msg === 'duplicate credit ignored')).toBe(true);
  });

  it('the same ref for other money is an alarm: not credited, an error log and a fault to the flow', () => {
    device.emit(credit(200, 'CCT-COIN-42:7'));
    device.emit(credit(100, 'CCT-COIN-42:7'));
    expect(credits()).toEqual([{ type: 'CREDIT', amount: 200, balance: 200 }]);
    expect(told).toContainEqual({ type: 'PAYMENT_FAULT', code: 'ref-conflict' });
    expect(journal.totals().inserted).toBe(200);
    const alarm = logs.find((l) => l.level === 50 && /ref already journaled/.test(l.msg)); // pino's error level
    expect(alarm).toMatchObject({ amount: 100, journaled: 200 });
  });

  it('passes escrow and returned notes on to the flow and only logs rejections and faults', () => {
    device.emit({ type: 'escrow', ref: 'CCT-BILL-1:1', amount: 1000, currency: 'EUR' });
    device.emit({ type: 'returned', ref: 'CCT-BILL-1:1', amount: 1000 });
    device.emit({ type: 'rejected', reason: 'unknown-value' });
    device.emit({ type: 'fault', code: 'garbage', message: 'bad checksum' });
    expect(told).toEqual([
      { type: 'ESCROW', ref: 'CCT-BILL-1:1', amount: 1000 },
      { type: 'ESCROW_RETURNED', ref: 'CCT-BILL-1:1' },
    ]);
    expect(journal.balance()).toBe(0);
    expect(logs.map((l) => l.msg)).toEqual([
      'note returned from escrow',
      'payment rejected',
      'payment device fault',
    ]);
  });

  it('tells the flow when the device stops being ready', () => {
    device.setStatus({ online: true, ready: true, reasons: [], accepting: false });
    device.setStatus({ online: false, ready: false, reasons: ['disconnected', 'timeout'], accepting: false });
    device.setStatus({ online: true, ready: false, reasons: [], accepting: false });
    expect(told).toEqual([
      { type: 'PAYMENT_FAULT', code: 'disconnected' },
      { type: 'PAYMENT_FAULT', code: 'not-ready' },
    ]);
  });
});

describe('CashDesk: when the journal cannot take a credit', () => {
  it('holds the credit, tells the flow to stop taking money, and reports it once the retry succeeds', async () => {
    const repair = breakJournal();
    device.emit(credit(200, 'CCT-COIN-42:1'));
    expect(told).toEqual([{ type: 'PAYMENT_FAULT', code: 'journal-unwritable' }]);
    expect(desk.pendingCredits).toBe(1);
    expect(committedCredits()).toEqual([]);
    const error = logs.find((l) => l.msg === 'credit journal write failed; holding the credit');
    expect(error?.level).toBe(50);

    repair();
    await clock.advance(retryMs - 1);
    expect(desk.pendingCredits).toBe(1);
    expect(credits()).toEqual([]);
    await clock.advance(1);
    expect(desk.pendingCredits).toBe(0);
    expect(credits()).toEqual([{ type: 'CREDIT', amount: 200, balance: 200 }]);
    expect(committedCredits().map((c) => c.ref)).toEqual(['CCT-COIN-42:1']);
    expect(clock.pendingTimers).toBe(0);
  });

  it('retries every retryMs for as long as it takes, never dropping the credit', async () => {
    const attempts = vi.spyOn(journal, 'recordInserted').mockImplementation(() => {
      throw diskFull();
    });
    device.emit(credit(500));
    for (let i = 0; i < 10; i++) await clock.advance(retryMs);
    expect(attempts).toHaveBeenCalledTimes(11);
    expect(desk.pendingCredits).toBe(1);
    expect(faults()).toHaveLength(11);
    expect(clock.pendingTimers).toBe(1);

    attempts.mockRestore();
    await clock.advance(retryMs);
    expect(desk.pendingCredits).toBe(0);
    expect(credits()).toEqual([{ type: 'CREDIT', amount: 500, balance: 500 }]);
  });

  it('uses 5 s between retries when no retryMs is given', async () => {
    desk.stop();
    desk = newDesk({ retryMs: undefined });
    desk.start();
    const repair = breakJournal();
    device.emit(credit(100));
    repair();
    await clock.advance(4_999);
    expect(desk.pendingCredits).toBe(1);
    await clock.advance(1);
    expect(desk.pendingCredits).toBe(0);
  });

  it('queues credits that arrive meanwhile behind the held one, in order, with one retry timer', async () => {
    const repair = breakJournal();
    device.emit(credit(200, 'CCT-COIN-42:1'));
    device.emit(credit(100, 'CCT-COIN-42:2'));
    device.emit(credit(50, 'CCT-COIN-42:3'));
    expect(desk.pendingCredits).toBe(3);
    expect(clock.pendingTimers).toBe(1);
    expect(credits()).toEqual([]);

    repair();
    await clock.advance(retryMs);
    expect(desk.pendingCredits).toBe(0);
    expect(committedCredits().map((c) => c.ref)).toEqual(['CCT-COIN-42:1', 'CCT-COIN-42:2', 'CCT-COIN-42:3']);
    expect(credits()).toEqual([
      { type: 'CREDIT', amount: 200, balance: 200 },
      { type: 'CREDIT', amount: 100, balance: 300 },
      { type: 'CREDIT', amount: 50, balance: 350 },
    ]);
  });

  it('a credit arriving after the journal recovers also flushes the held ones, without waiting', () => {
    const repair = breakJournal();
    device.emit(credit(200, 'CCT-COIN-42:1'));
    repair();
    device.emit(credit(100, 'CCT-COIN-42:2'));
    expect(desk.pendingCredits).toBe(0);
    expect(credits()).toEqual([
      { type: 'CREDIT', amount: 200, balance: 200 },
      { type: 'CREDIT', amount: 100, balance: 300 },
    ]);
  });

  it('a held credit the device reports again is still counted once', async () => {
    const repair = breakJournal();
    device.emit(credit(200, 'CCT-COIN-42:9'));
    device.emit(credit(200, 'CCT-COIN-42:9'));
    expect(desk.pendingCredits).toBe(2);
    repair();
    await clock.advance(retryMs);
    expect(desk.pendingCredits).toBe(0);
    expect(journal.totals().inserted).toBe(200);
    expect(credits()).toEqual([{ type: 'CREDIT', amount: 200, balance: 200 }]);
  });

  it('a held credit is journaled by stop() if the journal has recovered by then', () => {
    const repair = breakJournal();
    device.emit(credit(200, 'CCT-COIN-42:1'));
    repair();
    desk.stop();
    expect(desk.pendingCredits).toBe(0);
    expect(committedCredits().map((c) => c.ref)).toEqual(['CCT-COIN-42:1']);
    expect(credits()).toEqual([{ type: 'CREDIT', amount: 200, balance: 200 }]);
    expect(clock.pendingTimers).toBe(0);
  });

  it('stop() with credits the journal still refuses names each of them in an error log, never silently', () => {
    breakJournal();
    device.emit(credit(200, 'CCT-COIN-42:1'));
    device.emit(credit(1000, 'CCT-BILL-7:1'));
    logs.length = 0;
    desk.stop();
    expect(clock.pendingTimers).toBe(0);
    expect(desk.pendingCredits).toBe(2);
    const unjournaled = logs.filter((l) => l.level >= 50 && typeof l.ref === 'string');
    expect(unjournaled.map((l) => [l.ref, l.amount])).toEqual([
      ['CCT-COIN-42:1', 200],
      ['CCT-BILL-7:1', 1000],
    ]);
  });

  it('credits held across stop() and start() are retried after the restart', async () => {
    const repair = breakJournal();
    device.emit(credit(200, 'CCT-COIN-42:1'));
    desk.stop();
    expect(clock.pendingTimers).toBe(0);
    desk.start();
    // Still failing: a retry must be scheduled again.
    expect(desk.pendingCredits).toBe(1);
    expect(clock.pendingTimers).toBe(1);
    repair();
    await clock.advance(retryMs);
    expect(desk.pendingCredits).toBe(0);
    expect(committedCredits().map((c) => c.ref)).toEqual(['CCT-COIN-42:1']);
  });
});

describe('CashDesk: stop', () => {
  it('stops listening to the device', () => {
    expect(device.listeners).toBe(2);
    desk.stop();
    expect(device.listeners).toBe(0);
    device.emit(credit(200));
    device.setStatus({ online: false, ready: false, reasons: ['disconnected'], accepting: false });
    expect(told).toEqual([]);
    expect(journal.balance()).toBe(0);
  });

  it('cancels a pending retry', async () => {
    breakJournal();
    device.emit(credit(200));
    expect(clock.pendingTimers).toBe(1);
    desk.stop();
    expect(clock.pendingTimers).toBe(0);
  });
});

describe('CashDesk with the simulated coin and note device', () => {
  it('every coin and stacked note in the cash box ends up in the journal exactly once', async () => {
    desk.stop();
    const sim = new SimulatedPaymentDevice({
      clock,
      currency: 'EUR',
      coins: [10, 20, 50, 100, 200],
      bills: [500, 1000],
      seed: 3,
    });
    device = sim as unknown as FakePaymentDevice;
    desk = newDesk();
    desk.start();
    /** Device commands wait on simulated time: move it on until the command has answered. */
    const command = async (work: Promise<void>) => {
      let done = false;
      void work.then(() => (done = true));
      await clock.runUntil(() => done);
      await work;
    };
    await sim.open();
    await command(sim.setAcceptance(true));
    expect(sim.insertCoin(200)).toBe('credited');
    expect(sim.insertCoin(5)).toBe('rejected');
    expect(sim.insertBill(1000)).toBe('escrow');
    await clock.advance(500);
    const escrow = told.find((e) => e.type === 'ESCROW');
    expect(escrow).toMatchObject({ type: 'ESCROW', amount: 1000 });
    await command(sim.stackEscrow((escrow as { ref: string }).ref));
    expect(sim.insertCoin(50)).toBe('credited');
    await clock.advance(500);
    await sim.close();

    expect(sim.acceptedTotal).toBe(1250);
    expect(journal.totals().inserted).toBe(sim.acceptedTotal);
    expect(credits().map((e) => (e as { amount: number }).amount)).toEqual([200, 1000, 50]);
    expect(committedCredits().every((c) => c.ref.startsWith('SIM-PAY-0001:'))).toBe(true);
  });
});

describe('CashDesk: credits that arrive at awkward moments', () => {
  it('a held credit is booked to the session that was open when the coin dropped, not the one open at retry', async () => {
    const repair = breakJournal();
    device.emit(credit(200, 'CCT-COIN-42:1'));
    session = 'session-2';
    repair();
    await clock.advance(retryMs);
    expect(committedCredits()).toEqual([{ ref: 'CCT-COIN-42:1', amount: 200, session_id: 'session-1' }]);
  });

  it('a credit with an impossible amount is refused at once and does not block good credits behind it', () => {
    device.emit(credit(0, 'CCT-COIN-42:bad'));
    device.emit(credit(12.5, 'CCT-COIN-42:frac'));
    device.emit(credit(100, 'CCT-COIN-42:good'));
    expect(desk.pendingCredits).toBe(0);
    expect(committedCredits().map((c) => c.ref)).toEqual(['CCT-COIN-42:good']);
    expect(faults()).toEqual([
      { type: 'PAYMENT_FAULT', code: 'invalid-credit' },
      { type: 'PAYMENT_FAULT', code: 'invalid-credit' },
    ]);
    expect(credits()).toEqual([{ type: 'CREDIT', amount: 100, balance: 100 }]);
  });

  it('a flow that throws on the news does not make a journaled credit look unwritten', () => {
    desk.stop();
    desk = newDesk({
      tell: (event) => {
        told.push(event);
        if (event.type === 'CREDIT') throw new Error('flow exploded');
      },
    });
    desk.start();
    expect(() => device.emit(credit(200, 'CCT-COIN-42:1'))).toThrow('flow exploded');
    expect(desk.pendingCredits).toBe(0);
    expect(faults()).toEqual([]);
    expect(committedCredits().map((c) => c.ref)).toEqual(['CCT-COIN-42:1']);
  });
});
