import type { Unsubscribe } from '../../../device-status.ts';

/**
 * A full-duplex byte line: what the ccTalk host and the device simulator speak over. A serial
 * port in the booth; a pty in tests and in `kiosk simulate`.
 */
export interface ByteTransport {
  /** Resolves once the bytes have left (drained to the line, not just queued). */
  write(bytes: Uint8Array): Promise<void>;
  /** Bytes as they arrive, in whatever chunks the line delivers. */
  onData(listener: (bytes: Uint8Array) => void): Unsubscribe;
  /** Called when the line closes by itself (cable pulled, pty gone), with what happened. */
  onClose?(listener: (reason: string) => void): Unsubscribe;
  close(): Promise<void>;
}
