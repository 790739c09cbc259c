import type { Clock } from '../../core/clock.ts';
import type { BoothConfig } from '../../config/schema.ts';
import type {
  CounterReading,
  DenominationCount,
  DeviceTestResult,
  DocumentChoice,
  OwedMailView,
  OwedOutcome,
  OwedPrintView,
  ProductPrice,
  OperatorServices,
  PaperReport,
  ReceiptLookup,
  ServiceInfo,
  TakingsReport,
  ZReport,
} from '../../flows/operator/services.ts';
import type { Logger } from '../logging/logger.ts';
import type { CashBook, CashReport, CashZReport } from '../operator/cash-book.ts';
import { cashReportSlip } from '../operator/cash-report-slip.ts';
import type { CreditJournal } from '../money/credit-journal.ts';
import type { OperatorAccess, OperatorConfigSource } from '../operator/operator-access.ts';
import type { PriceBook } from '../operator/price-book.ts';
import type { OwedDesk } from '../operator/owed-desk.ts';
import type { ServiceSwitch } from '../operator/service-switch.ts';
import { OperatorError } from '../operator/operator-error.ts';
import type { BoothDevices } from './booth-devices.ts';
import type { BoothCounters } from '../operator/booth-counters.ts';
import type { DeviceTest } from '../../flows/operator/events.ts';
import { runDeviceTest } from './device-tests.ts';
import type { PaymentTestResult } from './payment-test.ts';
import { documentChoices, setDocumentOffered } from './operator-documents.ts';
import type { PaperStock } from '../operator/paper-stock.ts';
import type { PhotoVault } from '../services/vault/photo-vault.ts';
import type { Decommission } from '../services/decommission/decommission.ts';
import type { Outbox } from '../services/outbox/outbox.ts';
import { parseReceiptCode } from '../../core/receipt-code.ts';

export interface OperatorDeskParts {
  access: OperatorAccess;
  cashBook: CashBook;
  /** For what outlives a period: vouchers still to be redeemed. */
  journal: CreditJournal;
  serviceSwitch: ServiceSwitch;
  devices: BoothDevices;
  config: () => BoothConfig;
  clock: Pick<Clock, 'now' | 'sleep'>;
  logger: Logger;
  /**
   * The booth's own paper count, for printers that cannot count theirs (they read it); a
   * simulated printer counts its own and is refilled instead.
   */
  paper?: PaperStock;
  /** The customers' photos: reprint or delete by receipt code. */
  vault: PhotoVault;
  counters: BoothCounters;
  /** The unit's config file as it is now (a price changed in operator mode is there before it applies). */
  configSource: OperatorConfigSource;
  prices: PriceBook;
  owed: OwedDesk;
  /** Restarts the booth: flow and devices (BoothHost.restart). */
  restart?: () => void;
  /** The emails owed to customers (the unit's outbox); absent: the booth sends none. */
  outbox?: Pick<Outbox, 'list' | 'resend'>;
  /** The technicians' HTTPS diagnostics as they stand (null: not running). */
  diagnostics?: () => ServiceInfo['diagnostics'];
  /** The booth's end of service (null where the booth has none: no operator mode). */
  endOfService?: () => Decommission | null;
  /** The booth's payment test: one coin to the test bucket, reported and never credited. */
  testPayment?: () => Promise<PaymentTestResult>;
}

/**
 * Operator mode's services on the booth's own parts: the PIN pad and audit (OperatorAccess), the
 * cash book over the journal, the receipt printer for the Z-report, the photo printer's media,
 * and the maintenance switch. Each action is audited with the role that did it, never a PIN.
 */
export class OperatorDesk implements OperatorServices {
  readonly #p: OperatorDeskParts;

  constructor(parts: OperatorDeskParts) {
    this.#p = parts;
  }

  async checkPin({ pin }: { pin: string }) {
    const verdict = this.#p.access.check(pin);
    // What came of it, never the digits.
    this.#p.logger.info(
      verdict.ok ? { ok: true, role: verdict.role } : { ok: false, locked: verdict.lockedUntil !== null },
      'operator: PIN entry',
    );
    return verdict;
  }

  async changePin({ role, pin }: { role: 'operator' | 'technician'; pin: string }) {
    this.#p.access.changePin(role, pin, role);
    this.#p.logger.info({ role }, 'operator: PIN changed');
  }

  async takings(): Promise<TakingsReport> {
    return takingsOf(this.#p.cashBook.report(), this.#outstandingVouchers());
  }

  async emptyCashBox({
    counted,
    role,
  }: {
    counted: number;
    role: 'operator' | 'technician';
  }): Promise<ZReport> {
    // In the journal before anything is printed: a printer fault never loses a Z-report.
    const { report } = this.#p.cashBook.emptyCashBox({ counted, role });
    let printed = false;
    const printer = this.#p.devices.receiptPrinter;
    if (printer) {
      try {
        await printer.printCashReport(cashReportSlip(report));
        printed = true;
      } catch (error) {
        this.#p.logger.warn(
          { code: (error as { code?: string }).code ?? 'error' },
          'operator: Z-report not printed',
        );
      }
    }
    this.#p.logger.info(
      { period: report.number, expected: report.expectedInCashBox, counted, difference: report.difference },
      'operator: cash box emptied',
    );
    return zReportOf(report, printed, this.#outstandingVouchers());
  }

  #outstandingVouchers(): number {
    return this.#p.journal.totals().vouchersOutstanding;
  }

  async paper(): Promise<PaperReport> {
    const status = this.#p.devices.photoPrinter.status();
    const config = this.#p.config();
    const printer = config.hardware.photoPrinter;
    return {
      remaining: status.mediaRemaining,
      // The booth's own count (PaperStock), not the printer's: for printers that cannot tell.
      counted:
        printer.adapter !== 'simulated' && (this.#p.paper?.state().source ?? 'uncounted') !== 'uncounted',
      media: config.production.media,
      // The reason that matters most to someone holding a new roll: empty or jammed before low.
      status:
        ['media-empty', 'media-jam', 'offline', 'media-low'].find((r) => status.reasons.includes(r)) ??
        (status.ready ? 'ok' : (status.reasons[0] ?? 'offline')),
    };
  }

  async mediaLoaded({
    prints,
    role,
  }: {
    prints: number;
    role: 'operator' | 'technician';
  }): Promise<PaperReport> {
    const media = this.#p.config().production.media;
    const before = this.#p.devices.photoPrinter.status().mediaRemaining;
    const simulated = this.#p.devices.photoPrinter as { refill?: (prints?: number) => void };
    if (this.#p.config().hardware.photoPrinter.adapter === 'simulated' && simulated.refill)
      simulated.refill(prints);
    // The count is kept on disk and the printer reads it: a media-empty printer is ready at once.
    else if (this.#p.paper) this.#p.paper.loadMedia({ media, prints });
    else
      throw new OperatorError('not-allowed', 'this booth keeps no paper count: the printer counts its own');
    this.#p.access.audit({ role, action: 'media-loaded', subject: media, before, after: prints });
    return this.paper();
  }

  async setMaintenance({ on, role }: { on: boolean; role: 'operator' | 'technician' }) {
    const before = this.#p.serviceSwitch.maintenance;
    this.#p.serviceSwitch.set(on, role, this.#p.clock.now());
    this.#p.access.audit({ role, action: on ? 'out-of-service' : 'in-service', before, after: on });
    this.#p.logger.info({ role, maintenance: on }, 'operator: service switched');
    return { maintenance: on };
  }

  async findReceipt({ code }: { code: string }): Promise<{ code: string; lookup: ReceiptLookup }> {
    const normalised = parseReceiptCode(code);
    if (!normalised)
      throw new OperatorError(
        'receipt-code-invalid',
        'a receipt code is 10 letters and digits, like ABCDE-12345',
      );
    const found = this.#session(normalised);
    if (!found) return { code: normalised, lookup: { found: false } };
    return {
      code: normalised,
      lookup: {
        found: true,
        createdAt: found.created,
        expiresAt: found.expires,
        sheets: found.sheets.length,
      },
    };
  }

  async reprint({
    code,
    role,
  }: {
    code: string;
    role: 'operator' | 'technician';
  }): Promise<{ printed: number }> {
    const found = this.#session(code);
    if (!found || found.sheets.length === 0)
      throw new OperatorError(
        'receipt-not-found',
        'no photos are kept for that receipt code (deleted or expired)',
      );
    const { photoPrinter } = this.#p.devices;
    const config = this.#p.config();
    let printed = 0;
    for (const sheetId of found.sheets) {
      // One more of each sheet; a failure stops here and says so (nothing is owed: it is a favour).
      await photoPrinter.print({
        jobName: 'booth-reprint',
        media: config.production.media,
        copies: 1,
        data: await this.#p.vault.get(sheetId),
      });
      printed++;
    }
    // Without the code: the audit outlives the photos, and the code was their only key.
    this.#p.access.audit({ role, action: 'receipt-reprinted', after: printed });
    this.#p.logger.info({ role, sheets: printed }, 'operator: receipt reprinted');
    return { printed };
  }

  async deletePhotos({
    code,
    role,
  }: {
    code: string;
    role: 'operator' | 'technician';
  }): Promise<{ deleted: boolean }> {
    const sessionId = this.#p.vault.sessionForReceipt(code);
    if (!sessionId) return { deleted: false };
    await this.#p.vault.deleteSession(sessionId, 'data request at the booth');
    this.#p.access.audit({ role, action: 'photos-deleted-on-request' });
    this.#p.logger.info({ role }, 'operator: photos deleted on request');
    return { deleted: true };
  }

  async counters(): Promise<CounterReading[]> {
    return this.#p.counters.rows(this.#p.clock.now());
  }

  async resetCounter({
    name,
    role,
  }: {
    name: string;
    role: 'operator' | 'technician';
  }): Promise<CounterReading[]> {
    const before = this.#p.counters.reset(name, this.#p.clock.now());
    this.#p.access.audit({ role, action: 'counter-reset', subject: name, before, after: 0 });
    return this.counters();
  }

  async runTest({
    test,
    role,
  }: {
    test: DeviceTest;
    role: 'operator' | 'technician';
  }): Promise<DeviceTestResult> {
    const outcome = await runDeviceTest(test, {
      devices: this.#p.devices,
      config: this.#p.config(),
      clock: this.#p.clock,
      testPayment: this.#p.testPayment,
    });
    this.#p.access.audit({
      role,
      action: 'device-test',
      subject: test,
      after: outcome.ok ? 'ok' : outcome.code,
    });
    this.#p.logger.info({ role, test, ok: outcome.ok, code: outcome.code }, 'operator: device test');
    return outcome;
  }

  async prices(): Promise<ProductPrice[]> {
    return productPrices(this.#p.configSource.current());
  }

  async setPrice({
    productId,
    price,
    role,
  }: {
    productId: string;
    price: number;
    role: 'operator' | 'technician';
  }): Promise<ProductPrice[]> {
    const change = this.#p.prices.setPrice({ product: productId, amount: price, role });
    this.#p.logger.info(
      { role, product: productId, before: change.before, after: change.after },
      'operator: price changed',
    );
    return productPrices(change.config);
  }

  async owedMail(): Promise<OwedMailView[]> {
    return (this.#p.outbox?.list() ?? []).map(({ id, kind, state, since, expires, attempts, lastError }) => ({
      id,
      kind,
      state,
      since,
      expires,
      attempts,
      lastError,
    }));
  }

  async resendMail({ id, role }: { id: string; role: 'operator' | 'technician' }): Promise<OwedMailView[]> {
    if (!this.#p.outbox) throw new OperatorError('operator-unavailable', 'this booth sends no email');
    const { sent } = await this.#p.outbox.resend({ id });
    // The record's random id, never the address (the outbox never tells it).
    this.#p.access.audit({ role, action: 'mail-resent', subject: id, after: sent ? 'sent' : 'not-sent' });
    return this.owedMail();
  }

  async serviceInfo(): Promise<ServiceInfo> {
    const view = this.#p.endOfService?.()?.view() ?? null;
    return {
      diagnostics: this.#p.diagnostics?.() ?? null,
      endOfService:
        view && view.phase !== 'in-service' ? { phase: view.phase, closesAt: view.closesAt } : null,
      noticeDays: this.#p.config().endOfService.noticeDays,
    };
  }

  async decommission({ role }: { role: 'operator' | 'technician' }): Promise<ServiceInfo> {
    const endOfService = this.#p.endOfService?.();
    if (!endOfService)
      throw new OperatorError('operator-unavailable', 'this booth has no end of service to begin');
    // The Decommission service refuses any role but the technician's, and audits the start.
    await endOfService.begin({ role });
    this.#p.logger.warn({ role }, 'operator: end of service begun');
    return this.serviceInfo();
  }

  async restart({ role }: { role: 'operator' | 'technician' }): Promise<void> {
    const restart = this.#p.restart;
    if (!restart)
      throw new OperatorError('operator-unavailable', 'this booth cannot be restarted from its screen');
    this.#p.access.audit({ role, action: 'booth-restart' });
    this.#p.logger.info({ role }, 'operator: booth restart');
    // After this call returns: the host stops the very flow that is waiting for it.
    setImmediate(restart);
  }

  async setProductOffered({
    productId,
    enabled,
    role,
  }: {
    productId: string;
    enabled: boolean;
    role: 'operator' | 'technician';
  }): Promise<ProductPrice[]> {
    const next = this.#p.prices.setOffered({ product: productId, offered: enabled, role });
    this.#p.logger.info(
      { role, product: productId, offered: enabled },
      'operator: product offered or withdrawn',
    );
    return productPrices(next);
  }

  async owedPrints(): Promise<OwedPrintView[]> {
    return this.#p.owed.list();
  }

  async retryOwed({ orderId, role }: { orderId: string; role: 'operator' | 'technician' }) {
    const run = await this.#p.owed.retry({ orderId, role });
    const outcome: OwedOutcome = run.delivered
      ? { orderId, kind: 'delivered' }
      : { orderId, kind: 'still-owed', stoppedBy: run.stoppedBy };
    return { rows: this.#p.owed.list(), outcome };
  }

  async giveUpOwed({
    orderId,
    as,
    role,
  }: {
    orderId: string;
    as: 'refund' | 'voucher';
    role: 'operator' | 'technician';
  }) {
    const back = await this.#p.owed.giveUp({ orderId, as, role });
    const outcome: OwedOutcome = {
      orderId,
      kind: 'handed-back',
      paidOut: back.paidOut,
      voucher: back.voucher?.amount ?? 0,
      // The code is the money: shown only when its slip did not print, to write down for the customer.
      voucherCode: back.voucher && !back.voucher.printed ? back.voucher.code : null,
    };
    return { rows: this.#p.owed.list(), outcome };
  }

  async documents(): Promise<DocumentChoice[]> {
    return documentChoices(this.#p.configSource.current());
  }

  async setDocument(input: { documentId: string; enabled: boolean; role: 'operator' | 'technician' }) {
    return setDocumentOffered(input, {
      config: this.#p.configSource,
      audit: (entry) => this.#p.access.audit(entry),
    });
  }

  /** The vault session a receipt code opens, and its print sheets; null when none is kept. */
  #session(code: string) {
    const sessionId = this.#p.vault.sessionForReceipt(code);
    const row = sessionId ? this.#p.vault.index.session(sessionId) : undefined;
    if (!sessionId || !row || row.state === 'shredding') return null;
    return {
      created: row.created,
      expires: row.expires,
      sheets: this.#p.vault.index
        .items(sessionId)
        .filter((i) => i.purpose === 'print-sheet')
        .map((i) => i.id),
    };
  }

  async left({ role, why }: { role: 'operator' | 'technician' | null; why: 'exit' | 'inactivity' }) {
    this.#p.access.audit({ role, action: 'operator-mode-left', subject: why });
  }
}

const byValue = (a: DenominationCount, b: DenominationCount) => a.value - b.value;

function productPrices(config: BoothConfig): ProductPrice[] {
  return config.products.map(({ id, price, prints, photosPerSheet, digital, offered }) => ({
    id,
    price,
    prints,
    photosPerSheet,
    digital,
    offered,
  }));
}

function takingsOf(r: CashReport, vouchersOutstanding: number): TakingsReport {
  const of = (channel: 'coin' | 'bill') =>
    r.denominations
      .filter((d) => d.channel === channel)
      .map((d) => ({ value: d.value, count: d.count }))
      .sort(byValue);
  return {
    since: r.from ?? r.to,
    coins: of('coin'),
    notes: of('bill'),
    cashIn: r.moneyIn.total,
    paidOut: r.hopperPaidOut,
    testCoins: r.testCoins.amount,
    expectedInBox: r.expectedInCashBox,
    vouchers: {
      issued: r.vouchersIssued.amount,
      redeemed: r.vouchersRedeemed.amount,
      expired: r.vouchersExpired.amount,
      outstanding: vouchersOutstanding,
    },
    carried: r.creditCarried,
    owedPrints: r.printsOwed.sheets,
    sales: {
      delivered: r.orders.delivered.count,
      reversed: r.orders.reversed.count,
      revenue: r.orders.delivered.amount,
    },
  };
}

function zReportOf(r: CashZReport, printed: boolean, vouchersOutstanding: number): ZReport {
  return {
    ...takingsOf(r, vouchersOutstanding),
    period: r.number,
    closedAt: r.to,
    counted: r.counted,
    difference: r.difference,
    printed,
  };
}
