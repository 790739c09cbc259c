import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type {
  CashReportSlip,
  Receipt,
  ReceiptPrinter,
  ReceiptPrinterStatus,
} from '../../hardware/receipt/receipt-printer-port.ts';
import { expectDeviceError, type DeviceTime } from './device-time.ts';

/**
 * What the port cannot do itself: read what came out. For a simulator that is its record; for a
 * real adapter (ESC/POS over a pty) it is the text decoded from the bytes sent to the printer.
 */
export interface ReceiptPrinterDriver {
  /** The text of every receipt that came out, oldest first. */
  printed(): readonly string[];
}

export interface ReceiptPrinterFixture {
  /** A fresh, closed printer. */
  readonly device: ReceiptPrinter;
  readonly driver: ReceiptPrinterDriver;
  readonly time: DeviceTime;
  /** Releases what the factory set up; the suite closes the printer itself. */
  readonly teardown?: () => Promise<void>;
}

/**
 * The contract every `ReceiptPrinter` adapter must meet. Run it with a factory that makes a fresh,
 * closed printer and its driver for every test:
 *
 *     describeReceiptPrinterContract('ESC/POS', async () => ({ device, driver: ptyReader, time: realTime() }));
 */
export function describeReceiptPrinterContract(
  name: string,
  create: () => Promise<ReceiptPrinterFixture>,
): void {
  describe(`ReceiptPrinter contract: ${name}`, () => {
    let fixture: ReceiptPrinterFixture;
    let printer: ReceiptPrinter;
    let driver: ReceiptPrinterDriver;
    let time: DeviceTime;
    let receipts = 0;

    beforeEach(async () => {
      fixture = await create();
      ({ device: printer, driver, time } = fixture);
    });

    afterEach(async () => {
      await time.settle(printer.close()).catch(() => {});
      await fixture.teardown?.();
    });

    const receipt = (): Receipt => ({
      boothName: 'Booth Hauptbahnhof',
      at: new Date(Date.UTC(2026, 0, 5, 9, 30)),
      product: 'photos-4',
      amountPaid: 800,
      currency: 'EUR',
      receiptCode: `RC${String(++receipts).padStart(6, '0')}`,
      retentionDays: 30,
    });
    const voucher = () => ({
      boothName: 'Booth Hauptbahnhof',
      at: new Date(Date.UTC(2026, 0, 5, 9, 30)),
      amount: 350,
      currency: 'EUR',
      voucherCode: 'VCHR7-Q2M9K',
      validUntil: new Date(Date.UTC(2026, 3, 5, 9, 30)),
    });
    const cashReport = (periodNumber: number): CashReportSlip => ({
      boothName: 'Booth Hauptbahnhof',
      unitId: 'HBF-02',
      periodNumber,
      from: new Date(Date.UTC(2026, 0, 5, 8, 0)),
      to: new Date(Date.UTC(2026, 0, 5, 18, 0)),
      currency: 'EUR',
      denominations: [
        { channel: 'coin', value: 200, count: 3, amount: 600 },
        { channel: 'bill', value: 500, count: 1, amount: 500 },
      ],
      moneyIn: 1100,
      expectedInCashBox: 1100,
      counted: 1100,
      difference: 0,
      figures: [{ label: 'Sessions', count: 2 }],
      closedBy: 'operator',
    });
    const open = () => time.settle(printer.open());
    const print = (r: Receipt) => time.settle(printer.printReceipt(r));

    it('names its adapter, and is neither online nor ready before open(), refusing to print', async () => {
      expect(printer.kind).toMatch(/\S/);
      expect(printer.status()).toMatchObject({ online: false, ready: false });
      expect(printer.status().reasons.length).toBeGreaterThan(0);
      await expectDeviceError(print(receipt()), 'receipt-printer');
      expect(driver.printed()).toEqual([]);
    });

    it('is online and ready with no reasons once open, and tells status listeners until they unsubscribe', async () => {
      const seen: ReceiptPrinterStatus[] = [];
      const unsubscribe = printer.onStatus((s) => seen.push(s));
      await open();
      expect(printer.status()).toMatchObject({ online: true, ready: true, reasons: [] });
      expect(seen.at(-1)).toEqual(printer.status());
      unsubscribe();
      const heard = seen.length;
      await time.settle(printer.close());
      expect(printer.status()).toMatchObject({ online: false, ready: false });
      expect(seen).toHaveLength(heard);
    });

    it('prints a receipt showing the booth, the product and the receipt code', async () => {
      await open();
      const r = receipt();
      await print(r);
      expect(driver.printed()).toHaveLength(1);
      const text = driver.printed()[0]!;
      expect(text).toContain(r.receiptCode);
      expect(text).toContain(r.boothName);
      expect(text).toContain(r.product);
      expect(printer.status()).toMatchObject({ online: true, ready: true, reasons: [] });
    });

    it('prints a voucher showing the booth, its code and its last day, and refuses one when closed', async () => {
      await expectDeviceError(
        time.settle(printer.printVoucher({ ...voucher(), voucherCode: 'CLOSED-0001' })),
        'receipt-printer',
      );
      await open();
      const v = voucher();
      await time.settle(printer.printVoucher(v));
      expect(driver.printed()).toHaveLength(1);
      const text = driver.printed()[0]!;
      expect(text).toContain(v.voucherCode);
      expect(text).toContain(v.boothName);
      expect(text).toContain('2026-04-05');
      expect(text).not.toContain('CLOSED-0001');
    });

    it('prints a cash report showing the booth, the unit, the Z-report number and its denominations, and refuses one when closed', async () => {
      await expectDeviceError(time.settle(printer.printCashReport(cashReport(40))), 'receipt-printer');
      await open();
      await time.settle(printer.printCashReport(cashReport(41)));
      expect(driver.printed()).toHaveLength(1);
      const text = driver.printed()[0]!;
      expect(text).toContain('Booth Hauptbahnhof');
      expect(text).toContain('HBF-02');
      expect(text).toContain('41');
      expect(text).not.toContain('40');
      expect(printer.status()).toMatchObject({ online: true, ready: true, reasons: [] });
    });

    it('prints each receipt once, in order', async () => {
      await open();
      const codes = [];
      for (let i = 0; i < 3; i++) {
        const r = receipt();
        codes.push(r.receiptCode);
        await print(r);
      }
      const out = driver.printed();
      expect(out).toHaveLength(3);
      codes.forEach((code, i) => {
        expect(out[i]).toContain(code);
        expect(out.filter((text) => text.includes(code))).toHaveLength(1);
      });
    });

    it('close() takes it offline and refuses receipts; open() brings it back', async () => {
      await open();
      await time.settle(printer.close());
      expect(printer.status()).toMatchObject({ online: false, ready: false });
      await expectDeviceError(print(receipt()), 'receipt-printer');
      expect(driver.printed()).toEqual([]);
      await open();
      expect(printer.status()).toMatchObject({ online: true, ready: true, reasons: [] });
      await print(receipt());
      expect(driver.printed()).toHaveLength(1);
    });
  });
}
