import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { CashDesk } from '../../../app/booth/cash-desk.ts';
import { silentLogger } from '../../../app/logging/logger.ts';
import { CreditJournal } from '../../../app/money/credit-journal.ts';
import type { SessionEvent } from '../../../flows/session/events.ts';
import { SystemClock } from '../../../core/clock.ts';
import { CcTalkError } from '../../../hardware/payment/cctalk/driver/cctalk-link.ts';
import {
  probeCcTalkDevice,
  type CcTalkPayment,
  type CcTalkPaymentOptions,
} from '../../../hardware/payment/cctalk/adapter/cctalk-payment.ts';
import type { PaymentEvent, PaymentStatus } from '../../../hardware/payment/payment-port.ts';
import { expectDeviceError } from '../../contract/device-time.ts';
import {
  billKey,
  billSerial,
  billValues,
  coinKey,
  coinSerial,
  coinValues,
  MemoryCounterStore,
  openBus,
  type BusOptions,
} from './cctalk-bus.ts';

type Credit = Extract<PaymentEvent, { type: 'credit' }>;
type Escrow = Extract<PaymentEvent, { type: 'escrow' }>;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function until(what: string, condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface SetUpOptions extends BusOptions {
  readonly payment?: Partial<CcTalkPaymentOptions>;
  /** The store keeps each credit's counter, as the journal does (on by default). */
  readonly journal?: boolean;
  readonly open?: boolean;
}

/** Both emulated devices on a pty, the adapter on the host end, its events and statuses. */
async function setUp(options: SetUpOptions = {}) {
  const bus = await openBus(options);
  cleanups.push(() => bus.close());
  const store = new MemoryCounterStore();
  const device = bus.payment(store, options.payment);
  cleanups.push(() => device.close());
  const events: PaymentEvent[] = [];
  const statuses: PaymentStatus[] = [];
  device.onEvent((event) => {
    events.push(event);
    if (options.journal ?? true) store.journal(event);
  });
  device.onStatus((status) => statuses.push(status));
  if (options.open ?? true) await device.open();
  const ofType = <T extends PaymentEvent['type']>(type: T) =>
    events.filter((e): e is Extract<PaymentEvent, { type: T }> => e.type === type);
  const credits = () => ofType('credit');
  const faults = () => ofType('fault').map((f) => f.code);
  return { bus, store, device, events, statuses, ofType, credits, faults };
}

describe('CcTalkPayment start-up', () => {
  it('identifies both devices, enables only the channels with a value and leaves the master inhibit on', async () => {
    const { bus, device, store, statuses } = await setUp();
    expect(device.kind).toBe('cctalk');
    expect(device.deviceId).toBe(`${coinKey}+${billKey}`);
    expect(bus.coin.inhibitMask).toBe(0b0111); // channel 4 (GB100A) has no value: inhibited
    expect(bus.bill.inhibitMask).toBe(0b0111);
    expect(bus.coin.accepting).toBe(false);
    expect(bus.bill.accepting).toBe(false);
    expect(device.status()).toEqual({ online: true, ready: true, reasons: [], accepting: false });
    expect(statuses.at(-1)).toEqual(device.status());
    expect(device.identities).toEqual([
      {
        address: 2,
        category: 'Coin Acceptor',
        manufacturer: 'Booth Sim',
        productCode: 'SIMCOIN',
        serialNumber: coinSerial,
        channels: [
          { channel: 1, id: 'EU050A' },
          { channel: 2, id: 'EU100A' },
          { channel: 3, id: 'EU200A' },
          { channel: 4, id: 'GB100A' },
        ],
        masterInhibit: true,
      },
      expect.objectContaining({ address: 40, category: 'Bill Validator', serialNumber: billSerial }),
    ]);
    // Devices seen for the first time: their counters are taken as they are.
    expect(store.counters).toEqual(
      new Map([
        [coinKey, 0],
        [billKey, 0],
      ]),
    );
  });

  it('enables exactly the configured ids: one coin, no notes', async () => {
    const { bus } = await setUp({
      payment: { coin: { address: 2, values: { EU200A: 200 } }, bill: { address: 40, values: {} } },
    });
    expect(bus.coin.inhibitMask).toBe(0b100);
    expect(bus.bill.inhibitMask).toBe(0);
  });

  it('probeCcTalkDevice says who is at an address, and fails with a CcTalkError where no one is', async () => {
    const { bus } = await setUp({ open: false });
    const bill = await probeCcTalkDevice(bus.host, 40);
    expect(bill).toMatchObject({
      address: 40,
      category: 'Bill Validator',
      productCode: 'SIMBILL',
      serialNumber: billSerial,
      masterInhibit: true,
    });
    expect(bill.channels.map((c) => c.id)).toEqual(['EU0005A', 'EU0010A', 'EU0020A', 'GB0010A']);
    await expect(probeCcTalkDevice(bus.host, 9)).rejects.toBeInstanceOf(CcTalkError);
  });

  it('open() fails with a DeviceError when no device answers or another kind of device does', async () => {
    const { bus, store } = await setUp({ open: false });
    const nobody = bus.payment(store, { coin: { address: 9, values: coinValues } });
    const error = await expectDeviceError(nobody.open(), 'payment', 'timeout');
    expect(error.message).toMatch(/coin acceptor at address 9: start-up failed/);
    expect(nobody.status()).toMatchObject({ online: false, ready: false, reasons: ['closed', 'timeout'] });
    await expectDeviceError(nobody.setAcceptance(true), 'payment', 'closed');

    const swapped = bus.payment(store, { coin: { address: 40, values: coinValues }, bill: undefined });
    await expectDeviceError(swapped.open(), 'payment', 'wrong-device');
  });

  it('refuses options outside what it supports', async () => {
    const { bus, store } = await setUp({ open: false });
    expect(() => bus.payment(store, { pollMs: 50 })).toThrow(/100 to 500/);
    expect(() => bus.payment(store, { coin: undefined, bill: undefined })).toThrow(/coin or a bill/);
    expect(() => bus.payment(store, { coin: { address: 2, values: { EU050A: 0.5 } } })).toThrow(/EU050A/);
  });
});

describe('CcTalkPayment money', () => {
  it('credits coins with the configured values, oldest first, each with its device, epoch and counter', async () => {
    const { bus, device, credits, store } = await setUp();
    await device.setAcceptance(true);
    expect(bus.coin.accepting && bus.bill.accepting).toBe(true);
    expect(device.status().accepting).toBe(true);
    for (const channel of [1, 3, 2]) bus.coin.insertCoin(channel);
    await until('three credits', () => credits().length === 3);
    expect(credits()).toEqual(
      [1, 2, 3].map((counter, i) => ({
        type: 'credit',
        ref: `${coinKey}:0:${counter}`,
        amount: [50, 200, 100][i],
        currency: 'EUR',
        channel: 'coin',
        source: { deviceId: coinKey, eventCounter: counter },
      })),
    );
    expect(store.lastEventCounter(coinKey)).toBe(3);
  });

  it('reports refused coins and notes, and credits none of them', async () => {
    const { bus, device, ofType, credits, store } = await setUp();
    bus.coin.insertCoin(3); // master inhibit on
    bus.bill.insertBill(2);
    await until('two refusals', () => ofType('rejected').length === 2);
    await device.setAcceptance(true);
    bus.coin.insertCoin(4); // a coin the booth has no value for: its channel is inhibited
    bus.bill.insertBill(4);
    bus.bill.insertBill(7); // no such note
    bus.coin.rejectCoin();
    bus.coin.reportError(25); // a slug
    await until('seven refusals', () => ofType('rejected').length === 7);
    expect(ofType('rejected').map((r) => r.reason)).toEqual([
      'inhibited',
      'inhibited',
      'inhibited',
      'coin-rejected',
      'slug',
      'inhibited',
      'bill-rejected',
    ]);
    expect(credits()).toEqual([]);
    // Nothing is owed, so the counters move on past the refusals.
    await until(
      'the counters past the refusals',
      () => store.lastEventCounter(coinKey) === 4 && store.lastEventCounter(billKey) === 3,
    );
  });

  it('holds a note in escrow until stackEscrow, then credits it; gives one back on returnEscrow', async () => {
    const { bus, device, ofType, credits } = await setUp();
    await device.setAcceptance(true);
    bus.bill.insertBill(2);
    await until('the note in escrow', () => ofType('escrow').length === 1);
    const [ten] = ofType('escrow') as [Escrow];
    expect(ten).toEqual({ type: 'escrow', ref: `${billKey}:0:1`, amount: 1000, currency: 'EUR' });
    expect(bus.bill.escrow).toBe(2);
    await device.stackEscrow(ten.ref);
    await until('the note credited', () => credits().length === 1);
    expect(credits()[0]).toEqual({
      type: 'credit',
      ref: `${billKey}:0:2`,
      amount: 1000,
      currency: 'EUR',
      channel: 'bill',
      source: { deviceId: billKey, eventCounter: 2 },
    });
    expect(bus.bill.stacker).toEqual([2]);
    await expectDeviceError(device.stackEscrow(ten.ref), 'payment', 'no-escrow');

    bus.bill.insertBill(3);
    await until('the second note in escrow', () => ofType('escrow').length === 2);
    const twenty = ofType('escrow')[1]!;
    await device.returnEscrow(twenty.ref);
    await until('the note returned', () => ofType('returned').length === 1);
    expect(ofType('returned')).toEqual([{ type: 'returned', ref: twenty.ref, amount: 2000 }]);
    expect(bus.bill.stacker).toEqual([2]);
    expect(bus.bill.escrow).toBeUndefined();
    await expectDeviceError(device.stackEscrow(twenty.ref), 'payment', 'no-escrow');
    expect(credits()).toHaveLength(1);
  });

  it('with escrow off in the config, stacks every known note at once', async () => {
    const { bus, device, ofType, credits } = await setUp({
      payment: { bill: { address: 40, values: billValues, escrow: false } },
    });
    await device.setAcceptance(true);
    bus.bill.insertBill(1);
    await until('the note credited', () => credits().length === 1);
    expect(credits()[0]).toMatchObject({ amount: 500, channel: 'bill' });
    expect(ofType('escrow')).toEqual([]);
    expect(bus.bill.stacker).toEqual([1]);
  });

  it('a coin taken just as the flow leaves payment is still credited, through the cash desk', async () => {
    const { bus, device } = await setUp({ open: false, journal: false });
    const dir = mkdtempSync(join(tmpdir(), 'cctalk-late-'));
    const journal = CreditJournal.open(join(dir, 'journal.sqlite'));
    cleanups.push(() => {
      journal.close();
      rmSync(dir, { recursive: true, force: true });
    });
    const told: SessionEvent[] = [];
    const desk = cashDesk(device, journal, told);
    await device.open();
    await device.setAcceptance(true);
    bus.coin.insertCoin(3);
    await device.setAcceptance(false); // the flow left payment; the coin was already in
    await device.close();
    desk.stop();
    expect(journal.balance()).toBe(200);
    expect(told.filter((e) => e.type === 'CREDIT')).toEqual([{ type: 'CREDIT', amount: 200, balance: 200 }]);
    expect(journal.lastEventCounter(coinKey)).toBe(1);
  });
});

describe('CcTalkPayment faults', () => {
  it('coin faults become typed fault events: coin going backwards, string fraud, flight deck open', async () => {
    const { bus, device, faults, credits, ofType } = await setUp();
    await device.setAcceptance(true);
    bus.coin.coinGoingBackwards();
    bus.coin.stringFraud();
    bus.coin.flightDeckOpen();
    bus.coin.reportError(36);
    bus.coin.insertCoin(2);
    await until('the credit', () => credits().length === 1);
    expect(faults()).toEqual(['coin-going-backwards', 'string-fraud', 'flight-deck-open', 'swallowed-coin']);
    expect(ofType('fault')[0]!.message).toMatch(/coin acceptor at address 2: coin going backwards/);
    expect(credits()[0]!.amount).toBe(100);
    expect(device.status().ready).toBe(true);
  });

  it('a jammed note: a note-jam fault, the note held in escrow is lost in the jam, coins still go in', async () => {
    const { bus, device, ofType, faults, credits } = await setUp();
    await device.setAcceptance(true);
    bus.bill.insertBill(2);
    await until('the note in escrow', () => ofType('escrow').length === 1);
    bus.bill.jamNote();
    await until('the jam', () => faults().includes('note-jam'));
    expect(ofType('fault')[0]!.message).toMatch(
      /jammed in transport.*note of 1000 held in escrow is in the jam/,
    );
    await expectDeviceError(device.stackEscrow(ofType('escrow')[0]!.ref), 'payment', 'no-escrow');
    bus.coin.insertCoin(1);
    await until('a coin credit', () => credits().length === 1);
    expect(credits().map((c) => c.channel)).toEqual(['coin']);
  });

  it('stacker full: a fault, the held note cannot be stacked (route-failed) and goes back; fraud on notes', async () => {
    const { bus, device, ofType, faults, credits } = await setUp();
    await device.setAcceptance(true);
    bus.bill.insertBill(1);
    await until('the note in escrow', () => ofType('escrow').length === 1);
    bus.bill.fillStacker();
    await until('stacker full', () => faults().includes('stacker-full'));
    const held = ofType('escrow')[0]!;
    await expectDeviceError(device.stackEscrow(held.ref), 'payment', 'route-failed');
    await device.returnEscrow(held.ref);
    await until('the note returned', () => ofType('returned').length === 1);
    expect(ofType('returned')[0]).toEqual({ type: 'returned', ref: held.ref, amount: 500 });
    bus.bill.insertBill(2);
    bus.bill.stringFraud();
    bus.bill.pullBillBackwards();
    await until('three more faults', () => faults().length === 4);
    expect(faults()).toEqual(['stacker-full', 'stacker-full', 'string-fraud', 'note-pulled-back']);
    expect(credits()).toEqual([]);
  });

  it('garbage bytes, bad checksums and dropped replies: every credit arrives exactly once', async () => {
    const { bus, device, credits } = await setUp({ checksum: 'crc16' });
    await device.setAcceptance(true);
    const faults = ['garbage', 'bad-checksum', 'drop', 'garbage', 'bad-checksum', 'drop'] as const;
    for (const fault of faults) {
      bus.coin.faultNextReplies(fault);
      bus.bill.faultNextReplies(fault);
      bus.coin.sendGarbage();
      bus.coin.insertCoin(3);
      await sleep(120);
    }
    await until('six credits', () => credits().length === 6);
    await sleep(300);
    expect(credits()).toHaveLength(6);
    expect(new Set(credits().map((c) => c.ref)).size).toBe(6);
    expect(bus.coin.cashbox).toHaveLength(6);
    expect(bus.host.counters.retries).toBeGreaterThanOrEqual(8);
    expect(bus.host.counters.noise).toBeGreaterThanOrEqual(6);
    expect(device.status()).toMatchObject({ ready: true, accepting: true });
  });

  it('a device that stops answering: status not ok with a reason; it recovers, acceptance restored, money kept', async () => {
    const { bus, device, statuses, credits } = await setUp();
    await device.setAcceptance(true);
    bus.coin.faultNextReplies('ignore', 9); // three requests, each tried three times
    await until('the coin acceptor reported silent', () => !device.status().ready);
    expect(device.status()).toMatchObject({ online: false, ready: false, reasons: ['timeout'] });
    bus.coin.insertCoin(3); // it still takes money while the host cannot hear it
    await until('the coin acceptor back', () => device.status().ready, 5_000);
    await until('the coin credited', () => credits().length === 1);
    expect(device.status()).toEqual({ online: true, ready: true, reasons: [], accepting: true });
    expect(statuses.some((s) => s.reasons.includes('timeout'))).toBe(true);

    // A checksum that never comes right is a line problem, not silence.
    bus.bill.faultNextReplies('bad-checksum', 3);
    await until('line errors', () => device.status().reasons.includes('line-errors'));
    expect(device.status().online).toBe(true);
    await until('the line clean again', () => device.status().ready);
  });

  it('setAcceptance rejects with a DeviceError when a device does not answer, and leaves nothing accepting', async () => {
    const { bus, device } = await setUp();
    bus.coin.faultNextReplies('ignore', 1_000);
    const error = await expectDeviceError(device.setAcceptance(true), 'payment', 'timeout');
    expect(error.message).toMatch(/coin acceptor at address 2: could not turn acceptance on/);
    expect(bus.bill.accepting).toBe(false);
    expect(device.status()).toMatchObject({ accepting: false, ready: false });
  });

  it('a device reset in the middle: a device-reset fault, start-up again, a new epoch, no stale credit', async () => {
    const { bus, device, credits, faults, store } = await setUp();
    await device.setAcceptance(true);
    for (const channel of [1, 2, 3]) bus.coin.insertCoin(channel);
    await until('three credits', () => credits().length === 3);

    bus.coin.powerCycle(); // counter 0, events gone, everything inhibited
    await until('the reset noticed', () => faults().includes('device-reset'));
    await until('start-up redone', () => bus.coin.accepting && bus.coin.inhibitMask === 0b0111);
    expect(store.lastEventCounter(`${coinKey}#epoch`)).toBe(1);
    bus.coin.insertCoin(3);
    await until('a fourth credit', () => credits().length === 4);
    expect(credits().map((c) => c.ref)).toEqual([
      `${coinKey}:0:1`,
      `${coinKey}:0:2`,
      `${coinKey}:0:3`,
      `${coinKey}:1:1`,
    ]);

    // A reset the host only notices by a counter lower than expected (refusals came after it).
    bus.coin.insertCoin(1);
    bus.coin.insertCoin(1);
    await until('six credits', () => credits().length === 6);
    bus.coin.powerCycle();
    bus.coin.insertCoin(1); // refused: the device is inhibited after its reset
    await until('the second reset noticed', () => faults().filter((f) => f === 'device-reset').length === 2);
    await until('start-up redone again', () => bus.coin.accepting);
    bus.coin.insertCoin(2);
    await until('a seventh credit', () => credits().length === 7);
    expect(credits()[6]!.ref).toBe(`${coinKey}:2:2`);
    expect(credits().map((c) => c.amount)).toEqual([50, 100, 200, 200, 50, 50, 100]);
    expect(store.lastEventCounter(`${coinKey}#epoch`)).toBe(2);
  });

  it('a reset the counter cannot show is caught by the master inhibit it left on', async () => {
    const { bus, device, credits, faults } = await setUp();
    await device.setAcceptance(true);
    bus.coin.insertCoin(3);
    await until('a credit', () => credits().length === 1);
    bus.coin.powerCycle();
    bus.coin.insertCoin(3); // refused (inhibited): the counter is back at 1, as before the reset
    await until('the reset noticed', () => faults().includes('device-reset'));
    await until('acceptance restored', () => bus.coin.accepting && bus.coin.inhibitMask === 0b0111);
    bus.coin.insertCoin(1);
    await until('a second credit', () => credits().length === 2);
    expect(credits().map((c) => c.ref)).toEqual([`${coinKey}:0:1`, `${coinKey}:0:2`]);
  });

  it('more than five new events: a lost-events fault, and the five it can see are handed out', async () => {
    const { bus, device, credits, faults, ofType } = await setUp();
    await device.setAcceptance(true);
    bus.coin.loseEvents(4);
    for (let i = 0; i < 3; i++) bus.coin.insertCoin(3);
    await until('three credits', () => credits().length === 3);
    expect(faults()).toEqual(['lost-events']);
    expect(ofType('fault')[0]!.message).toMatch(/counted 7 events .* 2 were lost/);
    expect(ofType('rejected')).toHaveLength(2);
    expect(credits().map((c) => c.source!.eventCounter)).toEqual([5, 6, 7]);
  });

  it('the counter wraps from 255 to 1 into a new epoch, so refs never repeat', async () => {
    const { bus, device, credits, faults, store } = await setUp();
    await device.setAcceptance(true);
    bus.coin.loseEvents(252);
    await until('the jump noticed', () => faults().includes('lost-events'));
    for (let i = 0; i < 5; i++) bus.coin.insertCoin(1);
    await until('five credits', () => credits().length === 5);
    expect(credits().map((c) => c.ref)).toEqual(
      ['0:253', '0:254', '0:255', '1:1', '1:2'].map((tail) => `${coinKey}:${tail}`),
    );
    expect(store.lastEventCounter(coinKey)).toBe(2);
    expect(store.lastEventCounter(`${coinKey}#epoch`)).toBe(1);
  });

  it('moves the stored counter past other events only once the credits before them are journaled', async () => {
    const { bus, device, credits, store } = await setUp({ journal: false });
    await device.setAcceptance(true);
    bus.coin.insertCoin(3);
    bus.coin.rejectCoin();
    await until('the credit', () => credits().length === 1);
    await sleep(250);
    expect(store.lastEventCounter(coinKey)).toBe(0); // the credit is in no journal yet
    await device.close();

    // Open again: the credit comes again, with the same ref (the journal would refuse a double).
    const again = bus.payment(store);
    cleanups.push(() => again.close());
    const seen: PaymentEvent[] = [];
    again.onEvent((event) => {
      seen.push(event);
      store.journal(event);
    });
    await again.open();
    await until('the credit again', () => seen.some((e) => e.type === 'credit'));
    expect((seen.find((e) => e.type === 'credit') as Credit).ref).toBe(credits()[0]!.ref);
    await until('the counter past the refusal', () => store.lastEventCounter(coinKey) === 2);
  });
});

describe('CcTalkPayment line settings', () => {
  it.each([
    { checksum: 'simple8', echo: false },
    { checksum: 'simple8', echo: true },
    { checksum: 'crc16', echo: false },
    { checksum: 'crc16', echo: true },
  ] as const)('takes a coin and a note with the $checksum checksum, echo $echo', async (line) => {
    const { bus, device, credits, ofType } = await setUp(line);
    await device.setAcceptance(true);
    bus.coin.insertCoin(2);
    bus.bill.insertBill(3);
    await until('the note in escrow', () => ofType('escrow').length === 1);
    await device.stackEscrow(ofType('escrow')[0]!.ref);
    await until('two credits', () => credits().length === 2);
    expect(credits().map((c) => [c.channel, c.amount])).toEqual([
      ['coin', 100],
      ['bill', 2000],
    ]);
  });
});

describe('CcTalkPayment across a restart of the host', () => {
  it('credits events left in the devices exactly once, through the cash desk and journal as the booth uses them', async () => {
    const bus = await openBus();
    cleanups.push(() => bus.close());
    const dir = mkdtempSync(join(tmpdir(), 'cctalk-restart-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'journal.sqlite');
    const told: SessionEvent[] = [];

    // First run: a coin is journaled, then the booth dies with acceptance on (no close()).
    {
      const journal = CreditJournal.open(file);
      const device = bus.payment(journal);
      const desk = cashDesk(device, journal, told);
      await device.open();
      await device.setAcceptance(true);
      bus.coin.insertCoin(3);
      await until('the first coin journaled', () => journal.balance() === 200);
      await bus.host.close(); // the line goes dead under the adapter, as in a crash
      await device.close();
      desk.stop();
      journal.close();
    }
    expect(bus.coin.accepting).toBe(true);
    // While the booth is down the devices keep taking money.
    bus.coin.insertCoin(1);
    bus.coin.insertCoin(2);
    bus.bill.insertBill(2); // held in escrow for a session that is gone

    // Second run: the pending coins are credited once; the held note goes back.
    for (let run = 0; run < 2; run++) {
      const host = await bus.openHost();
      const journal = CreditJournal.open(file);
      const events: PaymentEvent[] = [];
      const device = bus.payment(journal, { link: host });
      device.onEvent((event) => events.push(event));
      const desk = cashDesk(device, journal, told);
      await device.open();
      await sleep(400);
      expect(journal.balance()).toBe(350);
      if (run === 0) {
        expect(events.filter((e) => e.type === 'credit').map((e) => (e as Credit).amount)).toEqual([50, 100]);
        expect(events.filter((e) => e.type === 'returned')).toHaveLength(1);
      } else {
        expect(events.filter((e) => e.type === 'credit')).toEqual([]);
      }
      expect(bus.bill.escrow).toBeUndefined();
      await device.close();
      desk.stop();
      await host.close();
      journal.close();
    }
    expect(told.filter((e) => e.type === 'CREDIT')).toHaveLength(3);
    const db = new Database(file, { readonly: true });
    try {
      const rows = db.prepare(`SELECT ref, amount FROM movements WHERE kind = 'inserted' ORDER BY id`).all();
      expect(rows).toEqual([
        { ref: `${coinKey}:0:1`, amount: 200 },
        { ref: `${coinKey}:0:2`, amount: 50 },
        { ref: `${coinKey}:0:3`, amount: 100 },
      ]);
      const counters = db
        .prepare('SELECT device_id, last_counter FROM device_counters ORDER BY device_id')
        .all();
      expect(counters).toEqual([
        { device_id: billKey, last_counter: 2 },
        { device_id: coinKey, last_counter: 3 },
      ]);
    } finally {
      db.close();
    }
  });
});

function cashDesk(device: CcTalkPayment, journal: CreditJournal, told: SessionEvent[]): CashDesk {
  const desk = new CashDesk({
    device,
    journal,
    clock: new SystemClock(),
    logger: silentLogger(),
    currentSession: () => 'session-1',
    tell: (event) => told.push(event),
  });
  desk.start();
  return desk;
}
