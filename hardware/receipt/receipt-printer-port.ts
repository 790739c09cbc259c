import type { DeviceStatus, Unsubscribe } from '../device-status.ts';
import type { MinorUnits } from '../payment/payment-port.ts';

/** What a receipt says. It carries no personal data: the receipt code is the customer's only key. */
export interface Receipt {
  readonly boothName: string;
  readonly at: Date;
  readonly product: string;
  readonly amountPaid: MinorUnits;
  readonly currency: string;
  readonly receiptCode: string;
  readonly retentionDays: number;
}

/**
 * A voucher slip: credit the customer takes away and redeems at this booth by typing the code on
 * the payment screen. Like a receipt it names nobody; whoever holds the code holds the credit.
 */
export interface VoucherSlip {
  readonly boothName: string;
  readonly at: Date;
  readonly amount: MinorUnits;
  readonly currency: string;
  readonly voucherCode: string;
  /** The last moment it can be redeemed. */
  readonly validUntil: Date;
}

/** One coin or note value on a cash report: how many came in and what they make. */
export interface CashReportDenomination {
  readonly channel: 'coin' | 'bill' | 'other';
  readonly value: MinorUnits;
  readonly count: number;
  readonly amount: MinorUnits;
}

/**
 * The operator's cash report: a Z-report when the cash box was emptied (its period number, what
 * was counted), or a reading of the open period. Amounts, counts, times and the unit's name only:
 * no receipt or voucher code, no session, nothing that leads to a customer.
 */
export interface CashReportSlip {
  readonly boothName: string;
  readonly unitId: string;
  /** The closed period's number; null for a reading of the open period (nothing is closed). */
  readonly periodNumber: number | null;
  /** When the period began; null for a journal with nothing in it yet. */
  readonly from: Date | null;
  readonly to: Date;
  readonly currency: string;
  readonly denominations: readonly CashReportDenomination[];
  readonly moneyIn: MinorUnits;
  readonly expectedInCashBox: MinorUnits;
  /** What was counted and counted − expected; null on a reading of the open period. */
  readonly counted: MinorUnits | null;
  readonly difference: MinorUnits | null;
  /** Further lines in order (vouchers, payouts, orders…): a label with a count, an amount or both. */
  readonly figures: readonly {
    readonly label: string;
    readonly count?: number;
    readonly amount?: MinorUnits;
  }[];
  /** Who closed it (an operator role); null on a reading. */
  readonly closedBy: string | null;
}

export type ReceiptPrinterStatus = DeviceStatus;

export interface ReceiptPrinter {
  readonly kind: string;
  open(): Promise<void>;
  close(): Promise<void>;
  status(): ReceiptPrinterStatus;
  onStatus(listener: (status: ReceiptPrinterStatus) => void): Unsubscribe;
  /** Rejects with a DeviceError when the receipt could not be printed. */
  printReceipt(receipt: Receipt): Promise<void>;
  /** Rejects with a DeviceError when the voucher could not be printed. */
  printVoucher(voucher: VoucherSlip): Promise<void>;
  /** Rejects with a DeviceError when the cash report could not be printed. */
  printCashReport(report: CashReportSlip): Promise<void>;
}
