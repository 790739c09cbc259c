import type { DeviceStatus, Unsubscribe } from '../device-status.ts';

/** Money is always an integer count of the currency's minor unit (cents, fen, ...). */
export type MinorUnits = number;

/**
 * What one payout did. A hopper that runs empty, jams or loses power part-way pays fewer coins
 * than asked: that is an answer (`paid` < `requested`, with the fault that stopped it), not an
 * exception, so the booth can give the rest another way (a voucher).
 */
export interface PayoutResult {
  /** Asked for, minor units (a whole number of the hopper's coins). */
  readonly requested: MinorUnits;
  /** Came out of the hopper, minor units, as the hopper counted the coins past its exit sensor. */
  readonly paid: MinorUnits;
  /** Why it stopped short (`empty`, `jam`, `timeout`, `disconnected`, ...); absent when all came out. */
  readonly fault?: string;
}

export interface HopperStatus extends DeviceStatus {
  /** The hopper reports its coin level low (below its low-level sensor) or empty. */
  readonly level: 'ok' | 'low' | 'empty' | 'unknown';
}

/**
 * A coin hopper: pays coins of one value back to the customer. It keeps a count of every coin it
 * has ever dispensed in its own non-volatile memory (ccTalk header 168), so after the booth
 * crashes mid-payout, the difference between the count before and the count now says exactly
 * how many coins came out: the journal stores the count before each payout.
 */
export interface CoinHopper {
  readonly kind: string;
  /** Stable identity of the physical hopper (its serial number). */
  readonly deviceId: string;
  /** The value of the one coin this hopper pays, minor units. */
  readonly coinValue: MinorUnits;
  open(): Promise<void>;
  close(): Promise<void>;
  status(): HopperStatus;
  onStatus(listener: (status: HopperStatus) => void): Unsubscribe;
  /**
   * Coins dispensed over the hopper's life, as the hopper counts them. Rejects with a DeviceError
   * when the hopper does not answer.
   */
  dispensedCount(): Promise<number>;
  /**
   * Pays out `amount` (a positive whole multiple of `coinValue`) and resolves once the hopper
   * has stopped, with what came out. Rejects (DeviceError) only when the payout could not even
   * start (closed, not answering, amount not payable): then no coin came out.
   */
  payout(amount: MinorUnits): Promise<PayoutResult>;
}
