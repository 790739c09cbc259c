import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OwedPrintQueue, type OwedRun } from '../../app/booth/owed-print-queue.ts';
import { CreditJournal } from '../../app/money/credit-journal.ts';
import { silentLogger } from '../../app/logging/logger.ts';
import { MemoryPhotoStore } from '../../app/services/photo-store/memory-photo-store.ts';
import { SimClock } from '../../core/sim-clock.ts';
import { SimulatedPhotoPrinter } from '../../hardware/printer/simulated-photo-printer.ts';

const jpeg = (n: number) => Buffer.from([0xff, 0xd8, 0xff, 0xe0, n]);

let dir: string;
let clock: SimClock;
let journal: CreditJournal;
let photos: MemoryPhotoStore;
let printer: SimulatedPhotoPrinter;
let idle: boolean;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kiosk-owed-queue-'));
  clock = new SimClock();
  journal = CreditJournal.open(join(dir, 'journal.sqlite'), clock);
  photos = new MemoryPhotoStore();
  printer = new SimulatedPhotoPrinter({ clock, printMs: 1_000 });
  await printer.open();
  idle = true;
});
afterEach(() => {
  journal.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A paid order whose two sheets are owed; returns the sheet ids. */
async function owedOrder(orderId: string): Promise<string[]> {
  const sessionId = `s-${orderId}`;
  await photos.beginSession();
  const sheets = [
    await photos.put(sessionId, 'print-sheet', jpeg(1)),
    await photos.put(sessionId, 'print-sheet', jpeg(2)),
  ];
  journal.recordInserted({
    sessionId,
    ref: `c-${orderId}`,
    deviceId: 'SIM',
    amount: 800,
    currency: 'EUR',
    channel: 'coin',
  });
  journal.placeOrder({ sessionId, orderId, productId: 'photos-4', price: 800 });
  journal.owePrints({ orderId, sessionId, sheetIds: sheets, copies: 1, media: '4x6', reason: 'media-jam' });
  return sheets;
}

function queue(): OwedPrintQueue {
  return new OwedPrintQueue({ journal, photos, printer, logger: silentLogger(), isIdle: () => idle });
}

async function run(q: OwedPrintQueue): Promise<OwedRun> {
  let result: OwedRun | undefined;
  void q.deliverDue().then((r) => (result = r));
  await clock.runUntil(() => result !== undefined, clock.now() + 60_000);
  return result!;
}

describe('OwedPrintQueue', () => {
  it('prints every owed sheet, oldest order first, and delivers the orders', async () => {
    await owedOrder('o1');
    await owedOrder('o2');
    const result = await run(queue());
    expect(result).toEqual({ delivered: 2, sheets: 4, stoppedBy: null });
    expect(printer.printed.map((p) => p.jobName)).toEqual(['owed-o1', 'owed-o1', 'owed-o2', 'owed-o2']);
    expect(journal.owedPrints()).toEqual([]);
    expect(journal.totals()).toMatchObject({ delivered: 1600, owed: 0 });
  });

  it('prints nothing while a customer is at the booth or the printer is not ready', async () => {
    await owedOrder('o1');
    idle = false;
    expect(await run(queue())).toEqual({ delivered: 0, sheets: 0, stoppedBy: null });
    idle = true;
    printer.injectFault('jam');
    expect(await run(queue())).toEqual({ delivered: 0, sheets: 0, stoppedBy: null });
    expect(printer.printed).toEqual([]);
    expect(journal.owedPrintCount()).toBe(2);
  });

  it('stops at a new failure, keeps the sheet owed, and picks up where it stopped next time', async () => {
    await owedOrder('o1');
    const q = queue();
    // The first sheet prints; the printer jams during the second.
    clock.setTimeout(() => printer.injectFault('jam'), 1_500);
    expect(await run(q)).toEqual({ delivered: 0, sheets: 1, stoppedBy: 'media-jam' });
    expect(journal.owedPrints()[0]).toMatchObject({ attempts: 1, lastError: 'media-jam' });
    expect(journal.owedPrints()[0]!.sheetIds).toHaveLength(1);
    printer.clearFault('jam');
    expect(await run(q)).toEqual({ delivered: 1, sheets: 1, stoppedBy: null });
    expect(printer.printed).toHaveLength(2);
  });

  it('gives up on an order whose photos retention has wiped, leaving its money owed for staff', async () => {
    await owedOrder('o1');
    await photos.deleteSession('s-o1');
    await owedOrder('o2');
    expect(await run(queue())).toEqual({ delivered: 1, sheets: 2, stoppedBy: null });
    // Not tried again at every idle moment; still counted as owed money.
    expect(journal.owedPrints()).toEqual([]);
    expect(journal.totals()).toMatchObject({ delivered: 800, owed: 800 });
  });
});
