import { decodeFrame, hex, maxDataLength, type CcTalkFrame } from './cctalk-frame.ts';
import type { ChecksumMode } from './cctalk-link.ts';

/** Bytes the reader threw away, and why: the host counts these to tell a noisy line. */
export interface LineNoise {
  readonly reason: 'bad-checksum' | 'bad-length' | 'incomplete';
  readonly bytes: Uint8Array;
  readonly message: string;
}

export interface CcTalkFrameReaderOptions {
  readonly checksum: ChecksumMode;
  /**
   * How long the line may stay quiet inside a frame, ms. The ccTalk specification allows 50 ms
   * between the bytes of a message; after that a partial frame is given up.
   */
  readonly interByteTimeoutMs?: number;
  /** Frames claiming more data bytes than this are garbage. */
  readonly maxDataLength?: number;
  readonly onFrame: (frame: CcTalkFrame, bytes: Uint8Array) => void;
  readonly onNoise?: (noise: LineNoise) => void;
}

/**
 * Turns bytes as the serial port delivers them (any chunking) into checked frames. The line
 * carries no start marker, so after garbage the reader finds the next frame by dropping one byte
 * and trying again, and after a quiet gap it gives up a frame that never completed. It never
 * throws on input: whatever arrives, it reports frames and noise.
 */
export class CcTalkFrameReader {
  readonly #o: Required<Omit<CcTalkFrameReaderOptions, 'onNoise'>> &
    Pick<CcTalkFrameReaderOptions, 'onNoise'>;
  #buffer: Uint8Array = new Uint8Array(0);
  #dropped: number[] = [];
  #dropReason: LineNoise['reason'] = 'bad-checksum';
  #dropMessage = '';
  #gapTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: CcTalkFrameReaderOptions) {
    this.#o = { interByteTimeoutMs: 50, maxDataLength, ...options };
  }

  /** Bytes not yet part of a frame (a frame still arriving). */
  get pending(): number {
    return this.#buffer.length;
  }

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.#stopGapTimer();
    const joined = new Uint8Array(this.#buffer.length + chunk.length);
    joined.set(this.#buffer);
    joined.set(chunk, this.#buffer.length);
    this.#buffer = joined;
    this.#parse(false);
  }

  /** Gives up whatever partial frame is held (reported as noise): the host is about to send. */
  reset(): void {
    this.#stopGapTimer();
    if (this.#buffer.length > 0) {
      this.#drop(this.#buffer, 'incomplete', 'a partial frame was still held when the host sent a command');
      this.#buffer = new Uint8Array(0);
    }
    this.#reportDropped();
  }

  /** Stops the gap timer; the reader can be used again after. */
  close(): void {
    this.#stopGapTimer();
  }

  /**
   * Takes every frame it can from the front of the buffer. With `quiet`, the line has gone
   * quiet: a frame still incomplete will never complete, so its first byte is garbage too, and
   * a frame hidden behind it may still be found.
   */
  #parse(quiet: boolean): void {
    while (this.#buffer.length > 0) {
      const result = decodeFrame(this.#buffer, this.#o.checksum, this.#o.maxDataLength);
      if (result.ok) {
        const bytes = this.#buffer.slice(0, result.length);
        this.#buffer = this.#buffer.subarray(result.length);
        this.#reportDropped();
        this.#o.onFrame(result.frame, bytes);
        continue;
      }
      if (result.problem === 'incomplete' && !quiet) break;
      const message =
        result.problem === 'incomplete'
          ? `the line went quiet for ${this.#o.interByteTimeoutMs} ms inside a frame (${result.message})`
          : result.message;
      this.#drop(this.#buffer.subarray(0, 1), result.problem, message);
      this.#buffer = this.#buffer.subarray(1);
    }
    this.#reportDropped();
    if (this.#buffer.length > 0) this.#watchGap(this.#o.interByteTimeoutMs, true);
  }

  /**
   * Gives up the partial frame once the line has been quiet for the gap. When the timer fires
   * well after it was due, the process stalled and the rest of the frame may be waiting unread,
   * so the reader looks once more first.
   */
  #watchGap(ms: number, mayForgiveStall: boolean): void {
    const dueAt = Date.now() + ms;
    this.#gapTimer = setTimeout(() => {
      this.#gapTimer = undefined;
      const stalled = Date.now() - dueAt > this.#o.interByteTimeoutMs;
      if (stalled && mayForgiveStall) this.#watchGap(this.#o.interByteTimeoutMs, false);
      else this.#parse(true);
    }, ms);
  }

  /** Collects dropped bytes so a stretch of garbage is reported once, with its first problem. */
  #drop(bytes: Uint8Array, reason: LineNoise['reason'], message: string): void {
    if (this.#dropped.length === 0) {
      this.#dropReason = reason;
      this.#dropMessage = message;
    }
    this.#dropped.push(...bytes);
  }

  #reportDropped(): void {
    if (this.#dropped.length === 0) return;
    const bytes = Uint8Array.from(this.#dropped);
    this.#dropped = [];
    this.#o.onNoise?.({
      reason: this.#dropReason,
      bytes,
      message: `dropped ${bytes.length} byte(s) (${hex(bytes)}): ${this.#dropMessage}`,
    });
  }

  #stopGapTimer(): void {
    if (this.#gapTimer) clearTimeout(this.#gapTimer);
    this.#gapTimer = undefined;
  }
}
