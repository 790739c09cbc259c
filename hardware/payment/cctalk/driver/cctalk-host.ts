import type { Unsubscribe } from '../../../device-status.ts';
import type { ByteTransport } from './byte-transport.ts';
import { ReplyHeader } from './cctalk-codes.ts';
import { CcTalkFrameReader, type LineNoise } from './cctalk-frame-reader.ts';
import { encodeFrame, hex, type CcTalkFrame } from './cctalk-frame.ts';
import {
  CcTalkError,
  Header,
  type CcTalkErrorCode,
  type CcTalkLink,
  type ChecksumMode,
  type RequestOptions,
} from './cctalk-link.ts';
import { SerialTransport, type SerialTransportOptions } from './serial-transport.ts';

export interface CcTalkHostOptions {
  readonly checksum: ChecksumMode;
  /**
   * The line hands the host back every byte it sends (a single-wire ccTalk bus does; many RS-232
   * adapters do not). With echo the host reads and drops its own command before the reply.
   */
  readonly echo: boolean;
  /** The host's own address, where replies go. ccTalk hosts are 1. */
  readonly hostAddress?: number;
  /**
   * How long to wait for the first byte of a reply, ms. Devices answer most commands within a
   * few tens of ms; 100 leaves room without making a dead line slow to notice.
   */
  readonly timeoutMs?: number;
  /** Further attempts after a timeout, bad checksum, BUSY or wrong reply. */
  readonly retries?: number;
  /** The longest quiet gap inside one frame, ms (the specification's 50). */
  readonly interByteTimeoutMs?: number;
}

/** What the host has seen on the line since it opened, for the status page and the logs. */
export interface LineCounters {
  commands: number;
  retries: number;
  /** Stretches of bytes that were not a valid frame (garbage, bad checksums, broken frames). */
  noise: number;
  /** Valid frames that arrived when no command was waiting (late replies). */
  strayFrames: number;
}

type Outcome =
  | { kind: 'reply'; data: Uint8Array }
  | { kind: 'final'; error: CcTalkError }
  | { kind: 'retry'; code: CcTalkErrorCode; message: string };

interface Attempt {
  bytesArrived(count: number): void;
  frame(frame: CcTalkFrame, bytes: Uint8Array): void;
  noise(noise: LineNoise): void;
  closed(reason: string): void;
}

/**
 * 271 ms is the longest frame (260 bytes) at 9600 baud: once a reply has begun, the host gives
 * it this long beyond the first-byte timeout before it calls the attempt failed, even if the
 * line keeps delivering garbage.
 */
const longestFrameMs = 300;

/** The longest ccTalk frame: destination, length, source, header, 255 data bytes, checksum. */
const maxFrameBytes = 260;

/**
 * The booth's end of a ccTalk line: frames commands, checks every reply's checksum and addresses,
 * drops the line's echo, retries what is worth retrying and sends one command at a time.
 */
export class CcTalkHost implements CcTalkLink {
  readonly #transport: ByteTransport;
  readonly #o: Required<CcTalkHostOptions>;
  readonly #reader: CcTalkFrameReader;
  readonly #counters: LineCounters = { commands: 0, retries: 0, noise: 0, strayFrames: 0 };
  readonly #noiseListeners = new Set<(noise: LineNoise) => void>();
  readonly #unsubscribe: Unsubscribe[] = [];
  #queue: Promise<unknown> = Promise.resolve();
  #current: Attempt | undefined;
  #closedBecause: string | undefined;

  constructor(transport: ByteTransport, options: CcTalkHostOptions) {
    this.#transport = transport;
    this.#o = { hostAddress: 1, timeoutMs: 100, retries: 2, interByteTimeoutMs: 50, ...options };
    this.#reader = new CcTalkFrameReader({
      checksum: this.#o.checksum,
      interByteTimeoutMs: this.#o.interByteTimeoutMs,
      onFrame: (frame, bytes) => {
        if (this.#current) this.#current.frame(frame, bytes);
        else this.#counters.strayFrames++;
      },
      onNoise: (noise) => {
        this.#counters.noise++;
        this.#current?.noise(noise);
        for (const listener of [...this.#noiseListeners]) listener(noise);
      },
    });
    this.#unsubscribe.push(
      transport.onData((bytes) => {
        this.#current?.bytesArrived(bytes.length);
        this.#reader.push(bytes);
      }),
    );
    if (transport.onClose) this.#unsubscribe.push(transport.onClose((reason) => this.#lineClosed(reason)));
  }

  /** A host on the serial port at `path` (9600 8N1). */
  static async open(path: string, options: CcTalkHostOptions & SerialTransportOptions): Promise<CcTalkHost> {
    return new CcTalkHost(await SerialTransport.open(path, options), options);
  }

  get counters(): Readonly<LineCounters> {
    return { ...this.#counters };
  }

  /** Every stretch of garbage the reader drops, as it happens. */
  onNoise(listener: (noise: LineNoise) => void): Unsubscribe {
    this.#noiseListeners.add(listener);
    return () => this.#noiseListeners.delete(listener);
  }

  request(
    address: number,
    header: number,
    data: Uint8Array = new Uint8Array(0),
    options: RequestOptions = {},
  ): Promise<Uint8Array> {
    // Encoding first: a bad address or oversized data is the caller's mistake, told at once.
    let command: Uint8Array;
    try {
      command = encodeFrame(
        { destination: address, source: this.#o.hostAddress, header, data },
        this.#o.checksum,
      );
    } catch (error) {
      return Promise.reject(error);
    }
    const run = this.#queue.then(() => this.#exchange(command, address, header, options));
    this.#queue = run.catch(() => {});
    return run;
  }

  async close(): Promise<void> {
    if (this.#closedBecause === undefined) this.#lineClosed('the ccTalk host was closed');
    await this.#transport.close();
  }

  async #exchange(
    command: Uint8Array,
    address: number,
    header: number,
    options: RequestOptions,
  ): Promise<Uint8Array> {
    const what = `${describeHeader(header)} to address ${address}`;
    const retries = options.retries ?? this.#o.retries;
    const timeoutMs = options.timeoutMs ?? this.#o.timeoutMs;
    let last: Extract<Outcome, { kind: 'retry' }> | undefined;
    for (let attempt = 0; attempt <= retries; attempt++) {
      if (attempt > 0) {
        this.#counters.retries++;
        // Let what is left of the failed exchange arrive and be dropped before sending again.
        await new Promise((resolve) => setTimeout(resolve, this.#o.interByteTimeoutMs));
      }
      if (this.#closedBecause !== undefined)
        throw new CcTalkError('closed', `${what}: ${this.#closedBecause}`);
      const outcome = await this.#attempt(command, address, timeoutMs);
      if (outcome.kind === 'reply') return outcome.data;
      if (outcome.kind === 'final') {
        throw new CcTalkError(outcome.error.code, `${what}: ${outcome.error.message}`);
      }
      last = outcome;
    }
    const attempts = retries + 1;
    throw new CcTalkError(
      last!.code,
      `${what}: ${last!.message} (${attempts} attempt${attempts > 1 ? 's' : ''})`,
    );
  }

  /** One command on the line and what came back for it. */
  #attempt(command: Uint8Array, address: number, timeoutMs: number): Promise<Outcome> {
    const { echo, hostAddress } = this.#o;
    const quietMs = 2 * this.#o.interByteTimeoutMs;
    return new Promise<Outcome>((resolve) => {
      const startedAt = Date.now();
      const frames = echo ? 2 : 1;
      // A frame may take up to its length times the inter-byte gap (a slow device at 30 ms a
      // byte sends a 16-byte reply in 450 ms), so the ceiling grows with the bytes that came,
      // as far as the frames due could be long: a line spewing bytes still ends.
      let bytesSeen = 0;
      const ceilingAt = () =>
        startedAt +
        frames * timeoutMs +
        Math.max(longestFrameMs, Math.min(bytesSeen, frames * maxFrameBytes) * this.#o.interByteTimeoutMs);
      let waitingFrom: number | undefined; // set once the command has left
      let lastByteAt = 0;
      let echoPending = echo;
      let noise: LineNoise | undefined;
      let timer: ReturnType<typeof setTimeout> | undefined;
      let dueAt: number | undefined;
      let stallForgiven = false;
      let done = false;

      const finish = (outcome: Outcome) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        this.#current = undefined;
        resolve(outcome);
      };
      const retry = (code: CcTalkErrorCode, message: string) => finish({ kind: 'retry', code, message });
      // Waits while the reply may still come: within the timeout of the command (or its echo),
      // and while bytes keep arriving, up to the ceiling. After a broken reply nothing more will
      // come, so once the line is quiet again the host retries without waiting out the timeout.
      const watch = () => {
        clearTimeout(timer);
        if (done || waitingFrom === undefined) return;
        const now = Date.now();
        const quietAt = lastByteAt + quietMs;
        const deadline = Math.min(ceilingAt(), noise ? quietAt : Math.max(waitingFrom + timeoutMs, quietAt));
        if (now < deadline) return waitUntil(deadline);
        // A timer firing well after it was due means the process stalled (heavy work on the
        // event loop, an overloaded machine): a reply may sit unread in the port's buffer, so
        // the host looks once more before it calls the attempt failed.
        if (!stallForgiven && dueAt !== undefined && now - dueAt > this.#o.interByteTimeoutMs) {
          stallForgiven = true;
          return waitUntil(now + this.#o.interByteTimeoutMs);
        }
        if (noise) {
          retry('bad-checksum', `no valid reply, only a broken one: ${noise.message}`);
        } else if (echoPending) {
          retry(
            'timeout',
            `the echo of the command (${hex(command)}) did not come back within ${timeoutMs} ms; ` +
              'if this adapter does not echo, set echo to false',
          );
        } else {
          retry('timeout', `no reply within ${timeoutMs} ms`);
        }
      };
      const waitUntil = (at: number) => {
        dueAt = at;
        timer = setTimeout(watch, at - Date.now());
      };

      // Whatever is left from before belongs to no command: drop it before this one is watched.
      this.#reader.reset();
      this.#current = {
        bytesArrived: (count) => {
          lastByteAt = Date.now();
          bytesSeen += count;
        },
        noise: (seen) => {
          noise ??= seen;
          watch();
        },
        closed: (reason) => finish({ kind: 'final', error: new CcTalkError('closed', reason) }),
        frame: (frame, bytes) => {
          const isOwnCommand = sameBytes(bytes, command);
          if (echoPending) {
            if (isOwnCommand) {
              echoPending = false;
              waitingFrom = Date.now();
              return;
            }
            return frame.destination === hostAddress
              ? retry(
                  'timeout',
                  `a reply (${hex(bytes)}) came without the echo of the command; ` +
                    'this line does not echo: set echo to false',
                )
              : retry(
                  'wrong-reply',
                  `expected the echo of the command (${hex(command)}) but read ${hex(bytes)}`,
                );
          }
          if (isOwnCommand) {
            return retry(
              'wrong-reply',
              `read the command's own bytes back: this line echoes, set echo to true`,
            );
          }
          const fromDevice = frame.source === undefined || address === 0 || frame.source === address;
          if (frame.destination !== hostAddress || !fromDevice) {
            return retry(
              'wrong-reply',
              `the reply ${hex(bytes)} is addressed to ${frame.destination}` +
                (frame.source === undefined ? '' : ` from ${frame.source}`) +
                `, not to the host (${hostAddress}) from the device (${address})`,
            );
          }
          if (frame.header === ReplyHeader.Ack) return finish({ kind: 'reply', data: frame.data });
          if (frame.header === ReplyHeader.Nak) {
            return finish({ kind: 'final', error: new CcTalkError('nak', 'the device answered NAK') });
          }
          if (frame.header === ReplyHeader.Busy) return retry('busy', 'the device answered BUSY');
          return retry(
            'wrong-reply',
            `the reply's header ${frame.header} is none of ACK (0), NAK (5), BUSY (6)`,
          );
        },
      };

      this.#counters.commands++;
      this.#transport.write(command).then(
        () => {
          waitingFrom ??= Date.now();
          watch();
        },
        (error: unknown) =>
          finish({
            kind: 'final',
            error: new CcTalkError('closed', `the command could not be sent: ${(error as Error).message}`),
          }),
      );
    });
  }

  #lineClosed(reason: string): void {
    if (this.#closedBecause !== undefined) return;
    this.#closedBecause = reason;
    for (const unsubscribe of this.#unsubscribe.splice(0)) unsubscribe();
    this.#reader.close();
    this.#current?.closed(reason);
  }
}

const headerNames = new Map<number, string>(Object.entries(Header).map(([name, value]) => [value, name]));

function describeHeader(header: number): string {
  const name = headerNames.get(header);
  return name ? `${name} (header ${header})` : `header ${header}`;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
