import { crc16Ccitt, simpleChecksum } from './cctalk-checksum.ts';
import type { ChecksumMode } from './cctalk-link.ts';

/**
 * A ccTalk message on the line: `[destination] [length] [source] [header] [data...] [checksum]`.
 * With the CRC-16 checksum the CRC's low byte stands where the source was and its high byte where
 * the checksum was, so a CRC frame does not say who sent it.
 */
export interface CcTalkFrame {
  readonly destination: number;
  /** The sender's address; undefined in a CRC-16 frame, which carries no source. */
  readonly source: number | undefined;
  readonly header: number;
  readonly data: Uint8Array;
}

export interface FrameToSend {
  readonly destination: number;
  /** The sender's address; not sent in a CRC-16 frame. */
  readonly source: number;
  readonly header: number;
  readonly data?: Uint8Array;
}

/** Destination, length, source, header and checksum: the bytes a frame has besides its data. */
export const frameOverhead = 5;

/**
 * The longest data block the booth accepts. The length byte could say 255, but no command or
 * reply the booth uses comes near this, and a smaller limit lets the reader drop a garbage byte
 * that claims a huge length sooner.
 */
export const maxDataLength = 252;

export type DecodeResult =
  | { readonly ok: true; readonly frame: CcTalkFrame; readonly length: number }
  | {
      readonly ok: false;
      readonly problem: 'incomplete' | 'bad-length' | 'bad-checksum';
      readonly message: string;
    };

export function encodeFrame(frame: FrameToSend, checksum: ChecksumMode): Uint8Array {
  const data = frame.data ?? new Uint8Array(0);
  byteOrThrow('destination address', frame.destination);
  byteOrThrow('source address', frame.source);
  byteOrThrow('header', frame.header);
  if (data.length > maxDataLength) {
    throw new RangeError(`a ccTalk frame carries at most ${maxDataLength} data bytes, got ${data.length}`);
  }
  const bytes = new Uint8Array(data.length + frameOverhead);
  bytes.set([frame.destination, data.length, frame.source, frame.header]);
  bytes.set(data, 4);
  const last = bytes.length - 1;
  if (checksum === 'simple8') {
    bytes[last] = simpleChecksum(bytes.subarray(0, last));
  } else {
    const crc = crc16Ccitt(crcInput(bytes));
    bytes[2] = crc & 0xff;
    bytes[last] = crc >> 8;
  }
  return bytes;
}

/**
 * Reads the frame at the start of `bytes` (bytes after it are left alone). Never throws: a
 * reader on a noisy line meets broken frames all the time.
 */
export function decodeFrame(
  bytes: Uint8Array,
  checksum: ChecksumMode,
  maxData = maxDataLength,
): DecodeResult {
  if (bytes.length < 2)
    return { ok: false, problem: 'incomplete', message: 'the length byte has not arrived' };
  const dataLength = bytes[1]!;
  if (dataLength > maxData) {
    return {
      ok: false,
      problem: 'bad-length',
      message: `the length byte says ${dataLength} data bytes, more than the ${maxData} a frame may carry`,
    };
  }
  const length = dataLength + frameOverhead;
  if (bytes.length < length) {
    return {
      ok: false,
      problem: 'incomplete',
      message: `${bytes.length} of the frame's ${length} bytes have arrived`,
    };
  }
  const whole = bytes.subarray(0, length);
  const last = length - 1;
  let holds: boolean;
  if (checksum === 'simple8') {
    holds = simpleChecksum(whole.subarray(0, last)) === whole[last];
  } else {
    holds = crc16Ccitt(crcInput(whole)) === (whole[2]! | (whole[last]! << 8));
  }
  if (!holds) {
    return {
      ok: false,
      problem: 'bad-checksum',
      message: `the ${checksum === 'simple8' ? 'simple 8-bit checksum' : 'CRC-16'} of ${hex(whole)} does not hold`,
    };
  }
  return {
    ok: true,
    length,
    frame: {
      destination: whole[0]!,
      source: checksum === 'simple8' ? whole[2]! : undefined,
      header: whole[3]!,
      data: whole.slice(4, last),
    },
  };
}

/** `02 00 01 FE FF`: how the booth writes bytes in logs and error messages. */
export function hex(bytes: Uint8Array): string {
  return [...bytes].map((byte) => byte.toString(16).toUpperCase().padStart(2, '0')).join(' ');
}

/** The CRC covers destination, length, header and data: every byte but the two it is stored in. */
function crcInput(frame: Uint8Array): Uint8Array {
  const input = new Uint8Array(frame.length - 2);
  input.set([frame[0]!, frame[1]!]);
  input.set(frame.subarray(3, frame.length - 1), 2);
  return input;
}

function byteOrThrow(what: string, value: number): void {
  if (!Number.isInteger(value) || value < 0 || value > 255) {
    throw new RangeError(`a ccTalk ${what} is a byte (0 to 255), got ${value}`);
  }
}
