import { SerialPort } from 'serialport';
import type { Unsubscribe } from '../../../device-status.ts';
import type { ByteTransport } from './byte-transport.ts';
import { CcTalkError } from './cctalk-link.ts';

export interface SerialTransportOptions {
  /** ccTalk runs at 9600 baud, 8 data bits, no parity, 1 stop bit; only the baud rate varies. */
  readonly baudRate?: number;
}

/** A serial port (or pty) as a `ByteTransport`, set to ccTalk's 9600 8N1. */
export class SerialTransport implements ByteTransport {
  readonly #port: SerialPort;
  readonly #closeListeners = new Set<(reason: string) => void>();
  #closedByUs = false;

  private constructor(port: SerialPort) {
    this.#port = port;
    port.on('close', (error: Error | null) => {
      if (this.#closedByUs) return;
      const reason = `the serial port ${port.path} closed${error ? `: ${error.message}` : ''}`;
      for (const listener of [...this.#closeListeners]) listener(reason);
    });
    // A failed write or read also surfaces through 'close' or the write's own callback; without a
    // listener an 'error' event would crash the booth.
    port.on('error', () => {});
  }

  /** Opens `path`; rejects with a CcTalkError('closed') saying why the port would not open. */
  static async open(path: string, options: SerialTransportOptions = {}): Promise<SerialTransport> {
    const port = new SerialPort({
      path,
      baudRate: options.baudRate ?? 9600,
      dataBits: 8,
      parity: 'none',
      stopBits: 1,
      autoOpen: false,
    });
    await new Promise<void>((resolve, reject) =>
      port.open((error) =>
        error
          ? reject(new CcTalkError('closed', `cannot open the serial port ${path}: ${error.message}`))
          : resolve(),
      ),
    );
    // A host that died mid-command can leave the device's late reply in the line's buffer; read
    // now, it would be paired with the next command. Start from an empty input.
    await new Promise<void>((resolve) => port.flush(() => resolve()));
    return new SerialTransport(port);
  }

  get path(): string {
    return this.#port.path;
  }

  async write(bytes: Uint8Array): Promise<void> {
    if (!this.#port.isOpen) throw new CcTalkError('closed', `the serial port ${this.path} is closed`);
    await new Promise<void>((resolve, reject) => {
      this.#port.write(Buffer.from(bytes), (error) => {
        if (error)
          return reject(new CcTalkError('closed', `writing to ${this.path} failed: ${error.message}`));
        this.#port.drain((drainError) =>
          drainError
            ? reject(new CcTalkError('closed', `writing to ${this.path} failed: ${drainError.message}`))
            : resolve(),
        );
      });
    });
  }

  onData(listener: (bytes: Uint8Array) => void): Unsubscribe {
    const handler = (chunk: Buffer) => listener(new Uint8Array(chunk));
    this.#port.on('data', handler);
    return () => this.#port.off('data', handler);
  }

  onClose(listener: (reason: string) => void): Unsubscribe {
    this.#closeListeners.add(listener);
    return () => this.#closeListeners.delete(listener);
  }

  async close(): Promise<void> {
    this.#closedByUs = true;
    if (!this.#port.isOpen) return;
    await new Promise<void>((resolve) => this.#port.close(() => resolve()));
  }
}
