/**
 * The ccTalk line as the payment adapters see it: one command to one device, its reply's data
 * back. Framing, checksums, local echo, retries and timeouts live below this (`CcTalkHost`); the
 * coin acceptor and bill validator adapters live above it.
 */

import { BoothError, type CcTalkCode } from '../../../../core/errors.ts';

/** ccTalk command headers the booth uses (ccTalk generic specification, part 2; hoppers 163 to 172, 217). */
export const Header = {
  ResetDevice: 1,
  RouteBill: 154,
  RequestBillId: 157,
  ReadBufferedBillEvents: 159,
  TestHopper: 163,
  EnableHopper: 164,
  RequestHopperStatus: 166,
  DispenseHopperCoins: 167,
  RequestHopperDispenseCount: 168,
  EmergencyStop: 172,
  RequestCoinId: 184,
  RequestMasterInhibitStatus: 227,
  ModifyMasterInhibit: 228,
  ReadBufferedCredit: 229,
  RequestPayoutHighLowStatus: 217,
  RequestInhibitStatus: 230,
  ModifyInhibitStatus: 231,
  PerformSelfCheck: 232,
  RequestSerialNumber: 242,
  RequestProductCode: 244,
  RequestEquipmentCategory: 245,
  RequestManufacturerId: 246,
  SimplePoll: 254,
} as const;

export type ChecksumMode = 'simple8' | 'crc16';

/**
 * Why a command failed (the registry's `ccTalk` group, core/errors.ts): `timeout` (no valid reply
 * after every retry), `nak` (the device did not understand or cannot do the command), `busy`
 * (BUSY after every retry), `bad-checksum` (line noise, wrong checksum mode), `wrong-reply` (not
 * addressed to the host, from another device, or the wrong size), `closed` (the line is closed or
 * the serial port failed).
 */
export type CcTalkErrorCode = CcTalkCode;

export class CcTalkError extends BoothError<CcTalkErrorCode> {
  constructor(code: CcTalkErrorCode, message: string) {
    super(code, message);
    this.name = 'CcTalkError';
  }
}

export interface RequestOptions {
  /** How long to wait for the reply, ms. */
  readonly timeoutMs?: number;
  /** Further attempts after a timeout, a bad checksum or BUSY. */
  readonly retries?: number;
}

export interface CcTalkLink {
  /**
   * Sends `header` with `data` to the device at `address` and resolves with the reply's data
   * bytes (an ACK is an empty reply). Rejects with a `CcTalkError`. Requests are sent one at a
   * time, in call order (ccTalk is a single-master bus: one command on the line at once).
   */
  request(address: number, header: number, data?: Uint8Array, options?: RequestOptions): Promise<Uint8Array>;
  close(): Promise<void>;
}
