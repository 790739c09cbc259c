import { constants, accessSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { CharacterSet, PrinterTypes, ThermalPrinter } from 'node-thermal-printer';
import { DeviceError, StatusCell, type Unsubscribe } from '../device-status.ts';
import { maxRasterBandRows, monoImage, rasterBands, type MonoImage } from './escpos-raster.ts';
import type {
  CashReportSlip,
  Receipt,
  ReceiptPrinter,
  ReceiptPrinterStatus,
  VoucherSlip,
} from './receipt-printer-port.ts';
import { formatAmount, formatDate } from './escpos-format.ts';
import { composeCashReport } from './escpos-cash-report.ts';

export { formatAmount, formatDate } from './escpos-format.ts';

export interface EscPosReceiptPrinterOptions {
  /** `tcp://host:port` (port defaults to 9100), or the path of a serial or USB printer device (`/dev/usb/lp0`). */
  uri: string;
  /** Characters on a line in font A: 48 on 80 mm paper, 32 on 58 mm. Default 48. */
  width?: number;
  /** Dots on a line, for the logo: 576 on 80 mm paper, 384 on 58 mm. Default 576. */
  dotsWide?: number;
  /** Code page for text outside ASCII. Default PC858 (Latin-1 with the euro sign). */
  characterSet?: CharacterSet;
  /** An image (PNG, JPEG, ...) printed at the top, scaled to `dotsWide`, in raster bands. */
  logo?: Buffer;
  /** Rows per raster band, 1 to 255. Default 255. */
  bandRows?: number;
  /** Connect and write timeout (ms). Default 3000. */
  timeoutMs?: number;
  /** How long to wait for the answer to DLE EOT 4 over TCP (ms); 0 never asks. Default 1000. */
  statusTimeoutMs?: number;
  /** How often, while open, the status is asked again (ms); 0 never. Default 10000. */
  pollMs?: number;
  /** Time zone the receipt's date is printed in (IANA name). Default the system's. */
  timeZone?: string;
  /** The one-line privacy note. Default `Photos deleted after N days. Code = your key.` */
  privacyNote?: (retentionDays: number) => string;
}

/** What a status probe found. */
type Probe = { reachable: false } | { reachable: true; paper: 'ok' | 'near-end' | 'out' | 'unknown' };

/**
 * A thermal ESC/POS receipt printer, driven with node-thermal-printer (EPSON command set) over
 * TCP or a device file. A receipt: booth name, date, product, amount paid, the receipt code as
 * text and as a QR code, a one-line privacy note, a full cut (GS V 0). A logo goes first, as
 * `GS v 0` raster bands of at most 255 rows (node-thermal-printer sends one command for the
 * whole image, which some printers garble).
 *
 * Status (the port's DeviceStatus):
 * - Over TCP every probe (open, before each receipt, every `pollMs`) connects and sends
 *   DLE EOT 4 (real-time roll paper sensor status). Cannot connect: `offline`. Paper end:
 *   `media-empty` (not ready). Paper near end: `media-low` (still ready). No answer within
 *   `statusTimeoutMs` (printers and interface boxes that do not answer on their raw port): online
 *   and ready, paper unknown, and an empty roll goes unnoticed.
 * - A device file is `offline` when the path is missing or not writable. Paper status is not read
 *   back from a device file (that needs a bidirectional port): an empty roll goes unnoticed.
 * - `open()` never throws for an unreachable printer: it resolves with status `offline`, and
 *   `printReceipt` rejects with DeviceError `offline`. A write that times out rejects `timeout`.
 */
export class EscPosReceiptPrinter implements ReceiptPrinter {
  readonly kind = 'escpos';
  readonly #o: Required<Omit<EscPosReceiptPrinterOptions, 'logo' | 'timeZone'>> &
    Pick<EscPosReceiptPrinterOptions, 'logo' | 'timeZone'>;
  readonly #tcp: { host: string; port: number } | null;
  readonly #cell = new StatusCell<ReceiptPrinterStatus>({
    online: false,
    ready: false,
    reasons: ['offline'],
  });
  #open = false;
  #logo: MonoImage | null = null;
  #poll: ReturnType<typeof setInterval> | undefined;
  /** Receipts go out one at a time, in order. */
  #queue: Promise<unknown> = Promise.resolve();
  /** The printer answered the last DLE EOT 4 over TCP. */
  #answers = false;

  constructor(options: EscPosReceiptPrinterOptions) {
    this.#o = {
      width: 48,
      dotsWide: 576,
      characterSet: CharacterSet.PC858_EURO,
      bandRows: maxRasterBandRows,
      timeoutMs: 3_000,
      statusTimeoutMs: 1_000,
      pollMs: 10_000,
      privacyNote: (days) => `Photos deleted after ${days} days. Code = your key.`,
      ...options,
    };
    if (!Number.isInteger(this.#o.bandRows) || this.#o.bandRows < 1 || this.#o.bandRows > maxRasterBandRows) {
      throw new RangeError(`bandRows must be 1 to ${maxRasterBandRows}, not ${this.#o.bandRows}`);
    }
    const tcp = /^tcp:\/\/([^/:]+)(?::(\d+))?\/?$/i.exec(options.uri);
    this.#tcp = tcp ? { host: tcp[1]!, port: tcp[2] ? Number(tcp[2]) : 9100 } : null;
    if (!this.#tcp && /^[a-z]+:\/\//i.test(options.uri)) {
      throw new RangeError(`a receipt printer is tcp://host:port or a device path, not ${options.uri}`);
    }
  }

  async open(): Promise<void> {
    if (this.#o.logo && !this.#logo) this.#logo = await monoImage(this.#o.logo, this.#o.dotsWide);
    this.#open = true;
    if (this.#o.pollMs > 0 && !this.#poll) {
      // checkNow() turns an unreachable printer into its status; nothing else is left to report.
      this.#poll = setInterval(() => {
        this.checkNow().catch(() => {});
      }, this.#o.pollMs);
      this.#poll.unref();
    }
    await this.checkNow();
  }

  async close(): Promise<void> {
    this.#open = false;
    clearInterval(this.#poll);
    this.#poll = undefined;
    this.#cell.set({ online: false, ready: false, reasons: ['offline'] });
  }

  status(): ReceiptPrinterStatus {
    return this.#cell.get();
  }

  onStatus(listener: (status: ReceiptPrinterStatus) => void): Unsubscribe {
    return this.#cell.subscribe(listener);
  }

  /** Asks the printer for its status now (also done every `pollMs` while open). */
  async checkNow(): Promise<ReceiptPrinterStatus> {
    const probe = await this.#probe();
    if (!this.#open) return this.#cell.get(); // closed while asking
    if (!probe.reachable) {
      this.#cell.set({ online: false, ready: false, reasons: ['offline'] });
    } else {
      this.#answers = this.#tcp !== null && probe.paper !== 'unknown';
      this.#setPaper(probe.paper);
    }
    return this.#cell.get();
  }

  printReceipt(receipt: Receipt): Promise<void> {
    return this.#enqueue(() => this.#compose(receipt));
  }

  printVoucher(voucher: VoucherSlip): Promise<void> {
    return this.#enqueue(() => this.#composeVoucher(voucher));
  }

  printCashReport(report: CashReportSlip): Promise<void> {
    return this.#enqueue(() => {
      const p = this.#slip(report.boothName, report.to);
      composeCashReport(p, report, this.#o.timeZone);
      p.cut();
      return p;
    });
  }

  /** The bytes a receipt is printed with. */
  receiptBytes(receipt: Receipt): Buffer {
    return this.#compose(receipt).getBuffer();
  }

  #enqueue(compose: () => ThermalPrinter): Promise<void> {
    const job = this.#queue.then(() => this.#print(compose));
    this.#queue = job.catch(() => {});
    return job;
  }

  async #print(compose: () => ThermalPrinter): Promise<void> {
    if (!this.#open) throw new DeviceError('receipt-printer', 'offline', 'the receipt printer is not open');
    const status = await this.checkNow();
    const blocking = status.reasons.find((r) => r === 'offline' || r === 'media-empty');
    if (blocking) {
      throw new DeviceError('receipt-printer', blocking, `the receipt printer cannot print: ${blocking}`);
    }
    const p = compose();
    // A printer that answers DLE EOT 4 gets one more after the receipt: its answer says every
    // byte before it arrived (node-thermal-printer resolves a plain write once the bytes are in
    // the local socket buffer), and how the paper is afterwards.
    const confirm = this.#answers;
    if (confirm) p.add(Buffer.from([0x10, 0x04, 0x04]));
    try {
      const answer: unknown = await withTimeout(
        p.execute({ waitForResponse: confirm }),
        this.#o.timeoutMs + 2_000,
      );
      if (confirm && Buffer.isBuffer(answer) && answer.length > 0) this.#setPaper(paperFrom(answer[0]!));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const code = /timeout|Printer Error/i.test(message) ? 'timeout' : 'offline';
      if (code === 'offline') this.#cell.set({ online: false, ready: false, reasons: ['offline'] });
      throw new DeviceError('receipt-printer', code, `the receipt was not sent: ${message}`);
    }
  }

  #setPaper(paper: 'ok' | 'near-end' | 'out' | 'unknown'): void {
    const reasons = paper === 'out' ? ['media-empty'] : paper === 'near-end' ? ['media-low'] : [];
    this.#cell.set({ online: true, ready: paper !== 'out', reasons });
  }

  /** node-thermal-printer holding the receipt's bytes, ready to `execute()` them. */
  #compose(r: Receipt): ThermalPrinter {
    const p = this.#slip(r.boothName, r.at);
    p.alignLeft();
    p.leftRight('Product', r.product);
    p.leftRight('Paid', formatAmount(r.amountPaid, r.currency));
    p.drawLine();
    p.alignCenter();
    p.println('Receipt code');
    this.#code(p, r.receiptCode);
    p.println(this.#o.privacyNote(r.retentionDays));
    p.cut();
    return p;
  }

  /** A voucher: its amount large, its code as text and QR, and its last day. */
  #composeVoucher(v: VoucherSlip): ThermalPrinter {
    const p = this.#slip(v.boothName, v.at);
    p.alignCenter();
    p.bold(true);
    p.println('VOUCHER');
    p.setTextDoubleHeight();
    p.println(formatAmount(v.amount, v.currency));
    p.setTextNormal();
    p.bold(false);
    p.println(`Valid until ${formatDate(v.validUntil, this.#o.timeZone)}`);
    p.drawLine();
    p.println('Voucher code');
    this.#code(p, v.voucherCode);
    p.println('Enter the code on the payment screen of this booth.');
    p.println('Keep it safe: whoever has the code can use it, once.');
    p.cut();
    return p;
  }

  #code(p: ThermalPrinter, code: string): void {
    p.bold(true);
    p.setTextDoubleHeight();
    p.println(code);
    p.setTextNormal();
    p.bold(false);
    p.printQR(code, { cellSize: 6, correction: 'M', model: 2 });
    p.newLine();
  }

  /** A slip's head: a clean printer state, the logo, the booth's name and the date. */
  #slip(boothName: string, at: Date): ThermalPrinter {
    const p = new ThermalPrinter({
      type: PrinterTypes.EPSON,
      interface: this.#o.uri,
      width: this.#o.width,
      options: { timeout: this.#o.timeoutMs },
    });
    p.add(Buffer.from([0x1b, 0x40])); // ESC @: a clean state (it also resets the code page, so set it after)
    p.setCharacterSet(this.#o.characterSet);
    if (this.#logo) {
      p.alignCenter();
      p.add(rasterBands(this.#logo, this.#o.bandRows));
      p.newLine();
    }
    p.alignCenter();
    p.setTextDoubleHeight();
    p.bold(true);
    p.println(boothName);
    p.bold(false);
    p.setTextNormal();
    p.println(formatDate(at, this.#o.timeZone));
    p.drawLine();
    return p;
  }

  async #probe(): Promise<Probe> {
    if (!this.#tcp) {
      try {
        const s = statSync(this.#o.uri);
        if (s.isDirectory()) return { reachable: false };
        accessSync(this.#o.uri, constants.W_OK);
        return { reachable: true, paper: 'unknown' };
      } catch {
        return { reachable: false };
      }
    }
    return realtimePaperStatus(this.#tcp.host, this.#tcp.port, this.#o.timeoutMs, this.#o.statusTimeoutMs);
  }
}

/**
 * Connects, sends DLE EOT 4 and reads the one-byte answer: bits 5-6 paper end, bits 2-3 near end
 * (bits 1 and 4 are always set, 0 and 7 clear; anything else is not an answer to us).
 */
function realtimePaperStatus(
  host: string,
  port: number,
  connectMs: number,
  answerMs: number,
): Promise<Probe> {
  return new Promise((resolve) => {
    let settled = false;
    const socket = connect({ host, port });
    const finish = (probe: Probe) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(probe);
    };
    let timer = setTimeout(() => finish({ reachable: false }), connectMs);
    socket.on('error', () => finish({ reachable: false }));
    socket.on('connect', () => {
      clearTimeout(timer);
      if (answerMs <= 0) return finish({ reachable: true, paper: 'unknown' });
      timer = setTimeout(() => finish({ reachable: true, paper: 'unknown' }), answerMs);
      socket.write(Buffer.from([0x10, 0x04, 0x04]));
    });
    socket.on('data', (data) => finish({ reachable: true, paper: paperFrom(data[0]!) }));
  });
}

function paperFrom(b: number): 'ok' | 'near-end' | 'out' | 'unknown' {
  if ((b & 0x93) !== 0x12) return 'unknown';
  return b & 0x60 ? 'out' : b & 0x0c ? 'near-end' : 'ok';
}

async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timeout after ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
