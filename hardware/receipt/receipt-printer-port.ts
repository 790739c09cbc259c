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
}
