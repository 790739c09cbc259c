import type { Writable } from 'node:stream';

/**
 * Live-view frames travel from the camera child to the booth on a pipe of their own (fd 3), not
 * on the IPC channel: a JPEG is 50-200 kB and comes 25 times a second, and JSON or structured
 * clone of that would cost both processes more than the camera call itself. Each frame is one
 * record, all numbers big-endian:
 *
 *     u32  length of what follows (header + JPEG)
 *     u8   kind (1: live-view frame)
 *     u32  seq: frames the child produced since it started, from 1 (a dropped frame uses one up)
 *     f64  takenAt: the child's wall clock (ms) when the camera handed the frame over
 *     u16  width, u16 height (from the JPEG's SOF; 0 when unknown)
 *     ...  the JPEG
 */
export interface FrameRecord {
  readonly seq: number;
  readonly takenAt: number;
  readonly width: number;
  readonly height: number;
  readonly jpeg: Buffer;
}

const kindLiveFrame = 1;
const lengthBytes = 4;
const headerBytes = 1 + 4 + 8 + 2 + 2;
/** A live-view frame is far below this; a length above it means the stream is out of step. */
export const maxRecordBytes = 32 * 1024 * 1024;

export function encodeFrameRecord(frame: FrameRecord): Buffer {
  const out = Buffer.allocUnsafe(lengthBytes + headerBytes + frame.jpeg.length);
  let at = out.writeUInt32BE(headerBytes + frame.jpeg.length, 0);
  at = out.writeUInt8(kindLiveFrame, at);
  at = out.writeUInt32BE(frame.seq >>> 0, at);
  at = out.writeDoubleBE(frame.takenAt, at);
  at = out.writeUInt16BE(Math.min(frame.width, 0xffff), at);
  at = out.writeUInt16BE(Math.min(frame.height, 0xffff), at);
  frame.jpeg.copy(out, at);
  return out;
}

/**
 * Reassembles records from a byte stream however it is cut: a pipe hands over whatever the
 * kernel had, so a record may come in many chunks and one chunk may hold many records.
 * Chunks are kept as they came until a record is whole, so a large frame is copied once.
 */
export class FrameRecordReader {
  #chunks: Buffer[] = [];
  #buffered = 0;
  #broken: Error | undefined;

  /** Bytes held that do not yet make a whole record. */
  get buffered(): number {
    return this.#buffered;
  }

  /** Takes a chunk; returns the records it completed, oldest first. Throws once out of step. */
  push(chunk: Buffer): FrameRecord[] {
    if (this.#broken) throw this.#broken;
    if (chunk.length === 0) return [];
    this.#chunks.push(chunk);
    this.#buffered += chunk.length;
    const records: FrameRecord[] = [];
    for (;;) {
      if (this.#buffered < lengthBytes) break;
      const length = this.#peekLength();
      if (length < headerBytes || length > maxRecordBytes) {
        this.#broken = new Error(`frame pipe out of step: a record of ${length} bytes`);
        throw this.#broken;
      }
      if (this.#buffered < lengthBytes + length) break;
      this.#take(lengthBytes);
      records.push(this.#decode(this.#take(length)));
    }
    return records;
  }

  #peekLength(): number {
    const first = this.#chunks[0]!;
    if (first.length >= lengthBytes) return first.readUInt32BE(0);
    const head = Buffer.alloc(lengthBytes);
    let filled = 0;
    for (const chunk of this.#chunks) {
      filled += chunk.copy(head, filled, 0, Math.min(chunk.length, lengthBytes - filled));
      if (filled === lengthBytes) break;
    }
    return head.readUInt32BE(0);
  }

  /** The first `n` bytes held (n ≤ buffered), removed. */
  #take(n: number): Buffer {
    this.#buffered -= n;
    const first = this.#chunks[0]!;
    if (first.length > n) {
      this.#chunks[0] = first.subarray(n);
      return first.subarray(0, n);
    }
    if (first.length === n) {
      this.#chunks.shift();
      return first;
    }
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    while (filled < n) {
      const chunk = this.#chunks[0]!;
      const part = Math.min(chunk.length, n - filled);
      chunk.copy(out, filled, 0, part);
      filled += part;
      if (part === chunk.length) this.#chunks.shift();
      else this.#chunks[0] = chunk.subarray(part);
    }
    return out;
  }

  #decode(body: Buffer): FrameRecord {
    const kind = body.readUInt8(0);
    if (kind !== kindLiveFrame) {
      this.#broken = new Error(`frame pipe out of step: a record of kind ${kind}`);
      throw this.#broken;
    }
    return {
      seq: body.readUInt32BE(1),
      takenAt: body.readDoubleBE(5),
      width: body.readUInt16BE(13),
      height: body.readUInt16BE(15),
      // A view, not a copy: the record owns its bytes (a chunk that held only part of it was
      // copied in #take; a chunk shared with the next record is kept alive by this view).
      jpeg: body.subarray(headerBytes),
    };
  }
}

/**
 * The child's end of the frame pipe. A frame is written only when the pipe has room: when the
 * booth is slow to read (its event loop busy), a newer frame is coming anyway, so the older one
 * is dropped here rather than queued (latest frame wins on both sides of the pipe).
 */
export class FramePipeWriter {
  #dropped = 0;

  constructor(private readonly out: Writable) {}

  /** Frames not written because the pipe was backed up. */
  get dropped(): number {
    return this.#dropped;
  }

  /** Writes the frame unless the pipe is backed up; says whether it was written. */
  send(frame: FrameRecord): boolean {
    if (this.out.writableNeedDrain || this.out.destroyed || !this.out.writable) {
      this.#dropped++;
      return false;
    }
    this.out.write(encodeFrameRecord(frame));
    return true;
  }
}
