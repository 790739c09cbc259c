import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CreditJournal } from '../../app/money/credit-journal.ts';
import { CashBook } from '../../app/operator/cash-book.ts';
import { cashReportSlip } from '../../app/operator/cash-report-slip.ts';
import { ConfigStore } from '../../config/store.ts';
import { dataPaths } from '../../config/data-dir.ts';
import { decodeEscPos } from '../../hardware/receipt/escpos-decode.ts';
import { EscPosReceiptPrinter } from '../../hardware/receipt/escpos-receipt-printer.ts';
import { EscPosTcpEmulator } from '../../hardware/receipt/escpos-tcp-emulator.ts';
import { SimulatedReceiptPrinter } from '../../hardware/receipt/simulated-receipt-printer.ts';
import { SystemClock } from '../../core/clock.ts';

let dir: string;
let journal: CreditJournal;
let emulator: EscPosTcpEmulator;
let printer: EscPosReceiptPrinter;
let book: CashBook;
let now = Date.UTC(2026, 11, 1, 8, 0, 0);
let refs = 0;

function pay(channel: 'coin' | 'bill', ...values: number[]): void {
  for (const amount of values)
    journal.recordInserted({
      sessionId: 'SESSION-SECRET-1',
      ref: `DEV:${++refs}`,
      deviceId: 'DEV',
      amount,
      currency: 'EUR',
      channel,
    });
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kiosk-z-report-'));
  const paths = dataPaths(dir);
  journal = CreditJournal.open(paths.journal, { now: () => now });
  const store = new ConfigStore({ file: paths.config });
  store.save({ unit: { id: 'TOWN-HALL-3', name: 'Booth at the town hall' } });
  book = new CashBook({ journal, config: store });
  emulator = await EscPosTcpEmulator.start();
  printer = new EscPosReceiptPrinter({ uri: emulator.uri, pollMs: 0, timeZone: 'UTC' });
  await printer.open();
});

afterEach(async () => {
  await printer.close();
  await emulator.close();
  journal.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the Z-report on the ESC/POS receipt printer', () => {
  it("prints the period's number, times, denominations, expected, counted and difference, and nothing of a customer", async () => {
    pay('bill', 500, 1000);
    pay('coin', 100, 100, 100, 50);
    journal.placeOrder({
      sessionId: 'SESSION-SECRET-1',
      orderId: 'ORDER-SECRET-1',
      productId: 'photos-4',
      price: 800,
    });
    journal.deliverOrder('ORDER-SECRET-1');
    journal.issueVoucher({
      code: 'VOUCHER-SECRET',
      sessionId: 'SESSION-SECRET-1',
      amount: 300,
      reason: 'policy',
      expiresAt: now + 1e9,
    });
    now = Date.UTC(2026, 11, 1, 18, 30, 0);
    const { report } = book.emptyCashBox({ counted: 1800, role: 'operator' });
    await printer.printCashReport(cashReportSlip(report));

    const jobs = emulator.jobs();
    expect(jobs).toHaveLength(1);
    const decoded = decodeEscPos(jobs[0]!);
    const lines = decoded.lines.map((l) => l.replace(/ +/g, ' ').trim());
    expect(lines).toEqual(
      expect.arrayContaining([
        'Booth at the town hall',
        '2026-12-01 18:30',
        'Z-REPORT No. 1',
        'Unit TOWN-HALL-3',
        'From 2026-12-01 08:00',
        'To 2026-12-01 18:30',
        'Coins',
        '1 x EUR 0.50 EUR 0.50',
        '3 x EUR 1.00 EUR 3.00',
        'Notes',
        '1 x EUR 5.00 EUR 5.00',
        '1 x EUR 10.00 EUR 10.00',
        'Money in EUR 18.50',
        'Expected in cash box EUR 18.50',
        'Counted EUR 18.00',
        'Difference EUR -0.50',
        'Vouchers issued 1 EUR 3.00',
        'Orders delivered 1 EUR 8.00',
        'Closed by operator',
      ]),
    );
    // Coins come before notes, each by value.
    expect(lines.indexOf('Coins')).toBeLessThan(lines.indexOf('1 x EUR 0.50 EUR 0.50'));
    expect(lines.indexOf('3 x EUR 1.00 EUR 3.00')).toBeLessThan(lines.indexOf('Notes'));
    for (const line of decoded.lines) expect(line.length).toBeLessThanOrEqual(48);
    expect(decoded.cuts).toBe(1);
    expect(decoded.qrCodes).toEqual([]);
    // No session, order or voucher code reaches the paper.
    const raw = jobs[0]!.toString('latin1');
    for (const secret of ['SESSION-SECRET', 'ORDER-SECRET', 'VOUCHER-SECRET'])
      expect(raw).not.toContain(secret);
  });

  it('prints a reading of the open period as not closed, without counted or difference', async () => {
    pay('coin', 200);
    await printer.printCashReport(cashReportSlip(book.report()));
    const lines = decodeEscPos(emulator.jobs()[0]!).lines.map((l) => l.replace(/ +/g, ' ').trim());
    expect(lines).toContain('CASH READING');
    expect(lines).toContain('Not closed: the cash box was not emptied');
    expect(lines).toContain('Expected in cash box EUR 2.00');
    expect(
      lines.some((l) => l.startsWith('Counted') || l.startsWith('Difference') || l.startsWith('Z-REPORT')),
    ).toBe(false);
    expect(book.zReports(1)).toEqual([]);
  });

  it('keeps the slip on the simulated printer too, with the same figures', async () => {
    const simulated = new SimulatedReceiptPrinter({ clock: new SystemClock(), printMs: 2 });
    await simulated.open();
    pay('coin', 200);
    const { report } = book.emptyCashBox({ counted: 200, role: 'technician' });
    await simulated.printCashReport(cashReportSlip(report));
    expect(simulated.cashReports).toEqual([
      expect.objectContaining({
        periodNumber: 1,
        unitId: 'TOWN-HALL-3',
        moneyIn: 200,
        counted: 200,
        difference: 0,
        closedBy: 'technician',
      }),
    ]);
    await simulated.close();
  });
});
