/**
 * The ccTalk line as the payment adapters see it: one command to one device, its reply's data
 * back. Framing, checksums, local echo, retries and timeouts live below this (`CcTalkHost`); the
 * coin acceptor and bill validator adapters live above it.
 */

/** ccTalk command headers the booth uses (ccTalk generic specification, part 2). */
export const Header = {
  ResetDevice: 1,
  RouteBill: 154,
  RequestBillId: 157,
  ReadBufferedBillEvents: 159,
  RequestCoinId: 184,
  RequestMasterInhibitStatus: 227,
  ModifyMasterInhibit: 228,
  ReadBufferedCredit: 229,
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

export type CcTalkErrorCode =
  /** No valid reply within the timeout, after every retry. */
  | 'timeout'
  /** The device answered NAK (it did not understand or cannot do the command). */
  | 'nak'
  /** The device answered BUSY after every retry. */
  | 'busy'
  /** The reply's checksum was wrong after every retry (line noise, wrong checksum mode). */
  | 'bad-checksum'
  /** The reply was not addressed to the host or came from another device. */
  | 'wrong-reply'
  /** The line is closed or the serial port failed. */
  | 'closed';

export class CcTalkError extends Error {
  constructor(
    readonly code: CcTalkErrorCode,
    message: string,
  ) {
    super(message);
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
