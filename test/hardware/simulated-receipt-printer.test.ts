import { describe, expect, it } from 'vitest';
import { SystemClock } from '../../core/clock.ts';
import type { SimFault } from '../../hardware/sim/faults.ts';
import type { Receipt, ReceiptPrinterStatus } from '../../hardware/receipt/receipt-printer-port.ts';
import {
  SimulatedReceiptPrinter,
  type SimulatedReceiptPrinterOptions,
} from '../../hardware/receipt/simulated-receipt-printer.ts';
import { SimClock } from '../../core/sim-clock.ts';
import { expectDeviceError, realTime, simulatedTime } from '../contract/device-time.ts';
import {
  describeReceiptPrinterContract,
  type ReceiptPrinterDriver,
} from '../contract/receipt-printer-contract.ts';

/** The simulator keeps the receipts themselves; their fields, one a line, stand in for the printed text. */
function driverFor(printer: SimulatedReceiptPrinter): ReceiptPrinterDriver {
  return {
    printed: () => [
      ...printer.printed.map((r) =>
        [r.boothName, r.at.toISOString(), r.product, `${r.amountPaid} ${r.currency}`, r.receiptCode].join(
          '\n',
        ),
      ),
      ...printer.vouchers.map((v) =>
        [
          v.boothName,
          `${v.amount} ${v.currency}`,
          v.voucherCode,
          v.validUntil.toISOString().slice(0, 10),
        ].join('\n'),
      ),
      ...printer.cashReports.map((c) =>
        [c.boothName, c.unitId, `Z-report ${c.periodNumber}`, `${c.expectedInCashBox} ${c.currency}`].join(
          '\n',
        ),
      ),
    ],
  };
}

describeReceiptPrinterContract('SimulatedReceiptPrinter on simulated time', async () => {
  const clock = new SimClock();
  const device = new SimulatedReceiptPrinter({ clock, seed: 2 });
  return { device, driver: driverFor(device), time: simulatedTime(clock) };
});

describeReceiptPrinterContract('SimulatedReceiptPrinter on the system clock', async () => {
  const device = new SimulatedReceiptPrinter({ clock: new SystemClock(), printMs: 2 });
  return { device, driver: driverFor(device), time: realTime() };
});

describe('SimulatedReceiptPrinter', () => {
  const receipt = (receiptCode = 'RC000001'): Receipt => ({
    boothName: 'Booth 1',
    at: new Date(Date.UTC(2026, 0, 5, 9, 30)),
    product: 'photos-8',
    amountPaid: 1200,
    currency: 'EUR',
    receiptCode,
    retentionDays: 30,
  });

  /** An open printer on its own SimClock, 1.5 s per receipt. */
  async function setUp(options: Partial<SimulatedReceiptPrinterOptions> = {}) {
    const clock = new SimClock();
    const printer = new SimulatedReceiptPrinter({ clock, printMs: 1_500, ...options });
    const statuses: ReceiptPrinterStatus[] = [];
    printer.onStatus((s) => statuses.push(s));
    await printer.open();
    const time = simulatedTime(clock);
    /** Starts printing without waiting; `job.settled` tells when it is over. */
    const start = (r: Receipt) => {
      const job = { settled: false, error: undefined as unknown };
      printer.printReceipt(r).then(
        () => Object.assign(job, { settled: true }),
        (error: unknown) => Object.assign(job, { settled: true, error }),
      );
      return job;
    };
    return { clock, printer, time, statuses, start };
  }

  it('takes printMs of simulated time per receipt and keeps the receipt it printed', async () => {
    const { clock, printer, time } = await setUp({ printMs: 1_500 });
    const t0 = clock.now();
    await time.settle(printer.printReceipt(receipt('RC1')));
    expect(clock.now() - t0).toBe(1_500);
    expect(printer.printed).toEqual([receipt('RC1')]);
  });

  it('the same seed gives the same receipts, statuses and times', async () => {
    async function record(seed: number) {
      const { clock, printer, time } = await setUp({ seed });
      const log: unknown[] = [];
      const t0 = clock.now();
      printer.onStatus((s) => log.push([clock.now() - t0, s]));
      for (const code of ['A', 'B']) {
        await time.settle(printer.printReceipt(receipt(code)));
        log.push([clock.now() - t0, code]);
      }
      printer.injectFault('out-of-paper');
      log.push(await time.settle(printer.printReceipt(receipt('C'))).catch((e: { code: string }) => e.code));
      return [log, printer.printed];
    }
    const a = await record(3);
    expect(await record(3)).toEqual(a);
    expect(a[0]).toEqual([[1_500, 'A'], [3_000, 'B'], [3_000, expect.anything()], 'media-empty']);
  });

  it('supports disconnect, jam, out-of-paper and timeout, and refuses garbage naming what it supports', async () => {
    const { printer } = await setUp();
    expect([...printer.supportedFaults].sort()).toEqual(['disconnect', 'jam', 'out-of-paper', 'timeout']);
    expect(() => printer.injectFault('garbage')).toThrow(/disconnect, jam, out-of-paper, timeout/);
    expect(printer.activeFaults.size).toBe(0);
  });

  const refusals: { fault: SimFault; online: boolean; reason: string }[] = [
    { fault: 'disconnect', online: false, reason: 'offline' },
    { fault: 'jam', online: true, reason: 'media-jam' },
    { fault: 'out-of-paper', online: true, reason: 'media-empty' },
  ];
  for (const { fault, online, reason } of refusals) {
    it(`${fault}: not ready with ${reason}, receipts refused at once as ${reason}; clearing it prints again`, async () => {
      const { printer, statuses, clock, time } = await setUp();
      printer.injectFault(fault);
      expect(printer.status()).toEqual({ online, ready: false, reasons: [reason] });
      expect(statuses.at(-1)).toEqual(printer.status());
      const t0 = clock.now();
      await expectDeviceError(printer.printReceipt(receipt()), 'receipt-printer', reason);
      expect(clock.now()).toBe(t0);
      expect(printer.printed).toEqual([]);

      printer.clearFault(fault);
      expect(printer.activeFaults.size).toBe(0);
      expect(printer.status()).toEqual({ online: true, ready: true, reasons: [] });
      expect(statuses.at(-1)).toEqual(printer.status());
      await time.settle(printer.printReceipt(receipt('after')));
      expect(printer.printed.map((r) => r.receiptCode)).toEqual(['after']);
    });

    it(`${fault} while a receipt is printing fails it as ${reason}; it does not count as printed`, async () => {
      const { printer, clock, time, start } = await setUp({ printMs: 1_500 });
      const job = start(receipt());
      await clock.advance(700);
      printer.injectFault(fault);
      await time.until(() => job.settled, 10_000);
      expect(job.error).toMatchObject({ name: 'DeviceError', device: 'receipt-printer', code: reason });
      expect(printer.printed).toEqual([]);
    });
  }

  it('timeout: online but not ready; a receipt fails as timeout after 10x printMs; clearing it prints again', async () => {
    const { printer, clock, time, start } = await setUp({ printMs: 1_500 });
    printer.injectFault('timeout');
    expect(printer.status()).toEqual({ online: true, ready: false, reasons: ['timeout'] });
    const t0 = clock.now();
    const job = start(receipt());
    await clock.advance(14_999);
    expect(job.settled).toBe(false);
    await clock.advance(1);
    expect(job.error).toMatchObject({ name: 'DeviceError', device: 'receipt-printer', code: 'timeout' });
    expect(clock.now() - t0).toBe(15_000);
    expect(printer.printed).toEqual([]);

    printer.clearFault('timeout');
    expect(printer.status()).toEqual({ online: true, ready: true, reasons: [] });
    await time.settle(printer.printReceipt(receipt()));
    expect(printer.printed).toHaveLength(1);
  });

  it('faults add up in the status, and clearFault() with no argument clears them all', async () => {
    const { printer } = await setUp();
    printer.injectFault('timeout');
    printer.injectFault('out-of-paper');
    printer.injectFault('disconnect');
    expect(printer.status()).toEqual({ online: false, ready: false, reasons: ['offline', 'timeout'] });
    printer.clearFault('disconnect');
    expect(printer.status()).toEqual({ online: true, ready: false, reasons: ['media-empty', 'timeout'] });
    printer.clearFault();
    expect(printer.activeFaults.size).toBe(0);
    expect(printer.status()).toEqual({ online: true, ready: true, reasons: [] });
  });
});
