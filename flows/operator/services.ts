import type { DeviceTest } from './events.ts';

/** What operator mode needs from the booth, plugged in with `provide()`: the machine sees no device. */

export type OperatorRole = 'operator' | 'technician';

export type PinVerdict =
  | { ok: true; role: OperatorRole; mustChangePin: boolean }
  /** `lockedUntil` (epoch ms) while the pad is locked after too many wrong PINs. */
  | { ok: false; attemptsLeft: number; lockedUntil: number | null };

export interface DenominationCount {
  /** Minor units. */
  value: number;
  count: number;
}

/** Money since the cash box was last emptied, from the journal. Minor units. */
export interface TakingsReport {
  /** When the period began (epoch ms; the journal's first movement for the first period). */
  since: number;
  coins: DenominationCount[];
  notes: DenominationCount[];
  /** All money that went into the cash box this period (coins and notes). */
  cashIn: number;
  /** Coins the hopper paid back this period (from its own float, which staff fill: not the box). */
  paidOut: number;
  /** Coins the operator's payment tests took this period: in the box, credited to nobody. */
  testCoins: number;
  /** What the box should hold: every coin and note the acceptors took this period (test coins too). */
  expectedInBox: number;
  vouchers: { issued: number; redeemed: number; expired: number; outstanding: number };
  /** Credit left in the booth for the next customer. */
  carried: number;
  /** Prints paid for and not yet delivered. */
  owedPrints: number;
  sales: { delivered: number; reversed: number; revenue: number };
}

/** A closed period (the cash box emptied): kept in the journal, never edited. */
export interface ZReport extends TakingsReport {
  period: number;
  closedAt: number;
  counted: number;
  /** Counted less expected: negative when money is missing. */
  difference: number;
  /** Whether the receipt printer printed it (the journal keeps it either way). */
  printed: boolean;
}

export interface PaperReport {
  /** Prints left, as the printer reports or as counted since media was loaded; null: unknown. */
  remaining: number | null;
  /** The count is the booth's own (the printer cannot tell). */
  counted: boolean;
  media: string;
  /** The printer's state: `ok`, `media-low`, `media-empty`, `media-jam`, `offline`... */
  status: string;
}

/** What the vault still holds for a receipt code (never whose it is: the code is the only key). */
export type ReceiptLookup =
  { found: true; createdAt: number; expiresAt: number; sheets: number } | { found: false };

/** One of the operator's counters: today, yesterday, and since it was last reset (epoch ms). */
export interface CounterReading {
  name: string;
  today: number;
  yesterday: number;
  sinceReset: number;
  resetAt: number | null;
}

/** What a device test found: passed or the fault's code, and a few figures (fps, size, seconds). */
export interface DeviceTestResult {
  ok: boolean;
  code: string | null;
  figures: Record<string, number>;
  at: number;
}

/** An email still owed, as staff see it (no address, no receipt code). Times in epoch ms. */
export interface OwedMailView {
  id: string;
  kind: 'digital-copy' | 'contact';
  /** `waiting`: tried again by itself; `failed`: the server refused it for good (only a resend). */
  state: 'waiting' | 'failed';
  since: number;
  expires: number;
  attempts: number;
  lastError: string | null;
}

/** The service page's facts. Times in epoch ms. */
export interface ServiceInfo {
  /** The technicians' HTTPS diagnostics: where it listens and its certificate's SHA-256 (to pin). */
  diagnostics: { serving: boolean; addresses: string[]; fingerprint: string | null } | null;
  endOfService: { phase: 'closing' | 'closed' | 'decommissioned'; closesAt: number | null } | null;
  /** Days of notice an end of service begun now gives (config `endOfService.noticeDays`). */
  noticeDays: number;
}

/** A product as the prices page shows it (the config's, as it will apply to the next customer). */
export interface ProductPrice {
  id: string;
  price: number;
  prints: number;
  photosPerSheet: number;
  digital: boolean;
  /** Customers can choose it (false: the operator withdrew it). */
  offered: boolean;
}

/** A print owed to an earlier customer, as staff see it (no receipt code, no session). */
export interface OwedPrintView {
  orderId: string;
  /** `given-up`: the booth could not read its sheets; the customer is still owed the money. */
  state: 'owed' | 'given-up';
  since: number;
  sheetsLeft: number;
  attempts: number;
  lastError: string;
  price: number;
}

/** What the last owed-print action came to, for the page to say. */
export type OwedOutcome =
  | { orderId: string; kind: 'delivered' }
  | { orderId: string; kind: 'still-owed'; stoppedBy: string | null }
  /** The price handed back: coins paid, and a voucher (its code only when its slip did not print). */
  | { orderId: string; kind: 'handed-back'; paidOut: number; voucher: number; voucherCode: string | null };

/** A document the booth can make (built in or the operator's own spec), and whether it is offered. */
export interface DocumentChoice {
  id: string;
  enabled: boolean;
}

export interface OperatorServices {
  checkPin(input: { pin: string }): Promise<PinVerdict>;
  changePin(input: { role: OperatorRole; pin: string }): Promise<void>;
  takings(): Promise<TakingsReport>;
  emptyCashBox(input: { counted: number; role: OperatorRole }): Promise<ZReport>;
  paper(): Promise<PaperReport>;
  mediaLoaded(input: { prints: number; role: OperatorRole }): Promise<PaperReport>;
  /** Records the maintenance switch (kept across a restart) and audits it; says where it now is. */
  setMaintenance(input: { on: boolean; role: OperatorRole }): Promise<{ maintenance: boolean }>;
  /** The code as the booth writes it (normalised), and what the vault holds for it. */
  findReceipt(input: { code: string }): Promise<{ code: string; lookup: ReceiptLookup }>;
  /** Prints the receipt's sheets once more; audited (without the code). */
  reprint(input: { code: string; role: OperatorRole }): Promise<{ printed: number }>;
  /** Deletes the receipt's photos now (crypto-shredded); audited (without the code). */
  deletePhotos(input: { code: string; role: OperatorRole }): Promise<{ deleted: boolean }>;
  counters(): Promise<CounterReading[]>;
  /** Resets one counter (audited: who, and the figure it had); returns them all. */
  resetCounter(input: { name: string; role: OperatorRole }): Promise<CounterReading[]>;
  /** Runs a device test (audited); a device fault is a result (`ok: false`), not an error. */
  runTest(input: { test: DeviceTest; role: OperatorRole }): Promise<DeviceTestResult>;
  prices(): Promise<ProductPrice[]>;
  /** Changes a price in the unit's config (validated, atomic, audited); the next customer pays it. */
  setPrice(input: { productId: string; price: number; role: OperatorRole }): Promise<ProductPrice[]>;
  /** Offers or withdraws a product (the last one offered cannot go); the products as they now are. */
  /**
   * Emails the booth still owes customers (a digital file, a contact request): waiting for the
   * server, or refused by it (5xx). Never an address: a random id, when, what went wrong.
   */
  owedMail(): Promise<OwedMailView[]>;
  /** Tries one of them again now; the list as it then stands. */
  resendMail(input: { id: string; role: OperatorRole }): Promise<OwedMailView[]>;
  /** What the service page shows: the diagnostics server's certificate, an end of service under way. */
  serviceInfo(): Promise<ServiceInfo>;
  /**
   * Begins the booth's end of service (technician only): the notice period, then no more money,
   * owed work settled, the vault destroyed. What it stands at now.
   */
  decommission(input: { role: OperatorRole }): Promise<ServiceInfo>;
  /** Restarts the booth (flow and devices) once this call has returned; audited. */
  restart(input: { role: OperatorRole }): Promise<void>;
  setProductOffered(input: {
    productId: string;
    enabled: boolean;
    role: OperatorRole;
  }): Promise<ProductPrice[]>;
  owedPrints(): Promise<OwedPrintView[]>;
  retryOwed(input: {
    orderId: string;
    role: OperatorRole;
  }): Promise<{ rows: OwedPrintView[]; outcome: OwedOutcome }>;
  giveUpOwed(input: {
    orderId: string;
    as: 'refund' | 'voucher';
    role: OperatorRole;
  }): Promise<{ rows: OwedPrintView[]; outcome: OwedOutcome }>;
  documents(): Promise<DocumentChoice[]>;
  /** Offers a document or stops offering it (the unit's config, audited); at least one stays. */
  setDocument(input: { documentId: string; enabled: boolean; role: OperatorRole }): Promise<DocumentChoice[]>;
  /** Audits leaving operator mode (by hand or by inactivity). */
  left(input: { role: OperatorRole | null; why: 'exit' | 'inactivity' }): Promise<void>;
}
