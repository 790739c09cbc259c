import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  encodeFrameRecord,
  FramePipeWriter,
  FrameRecordReader,
  maxRecordBytes,
  type FrameRecord,
} from '../../../hardware/camera/gphoto2/driver/frame-record.ts';
import { SeededRandom } from '../../../hardware/sim/seeded-random.ts';

const frame = (seq: number, bytes: number): FrameRecord => ({
  seq,
  takenAt: 1_700_000_000_000 + seq * 40.5,
  width: 640 + (seq % 1000),
  height: 480,
  jpeg: Buffer.from(Array.from({ length: bytes }, (_, i) => (i * 7 + seq) & 0xff)),
});

const plain = (r: FrameRecord) => ({ ...r, jpeg: [...r.jpeg] });

describe('frame records', () => {
  it('round-trip every field, a record at a time', () => {
    const reader = new FrameRecordReader();
    for (const f of [frame(1, 100), frame(2, 0), frame(0xffffffff, 3)]) {
      const [got, ...rest] = reader.push(encodeFrameRecord(f));
      expect(rest).toEqual([]);
      expect(plain(got!)).toEqual(plain(f));
    }
    expect(reader.buffered).toBe(0);
  });

  it('reassemble records however the pipe cuts them: byte by byte, mid-header, many in a chunk', () => {
    const frames = [frame(1, 5000), frame(2, 17), frame(3, 70_000), frame(4, 1)];
    const stream = Buffer.concat(frames.map(encodeFrameRecord));
    const random = new SeededRandom(3);
    for (let round = 0; round < 20; round++) {
      const reader = new FrameRecordReader();
      const got: FrameRecord[] = [];
      let at = 0;
      while (at < stream.length) {
        // Mostly small cuts (through headers and length fields), some large ones.
        const size = round === 0 ? 1 : random.int(1, random.next() < 0.7 ? 9 : 80_000);
        got.push(...reader.push(stream.subarray(at, at + size)));
        at += size;
      }
      expect(got.map(plain)).toEqual(frames.map(plain));
      expect(reader.buffered).toBe(0);
    }
  });

  it('hold a partial record until it is whole', () => {
    const reader = new FrameRecordReader();
    const bytes = encodeFrameRecord(frame(9, 1000));
    expect(reader.push(bytes.subarray(0, 2))).toEqual([]);
    expect(reader.push(bytes.subarray(2, 600))).toEqual([]);
    expect(reader.buffered).toBe(600);
    expect(reader.push(bytes.subarray(600))).toHaveLength(1);
  });

  it('refuse a stream out of step (a length past the bound, an unknown kind), for good', () => {
    const tooLong = Buffer.alloc(8);
    tooLong.writeUInt32BE(maxRecordBytes + 1, 0);
    const reader = new FrameRecordReader();
    expect(() => reader.push(tooLong)).toThrow(/out of step/);
    expect(() => reader.push(encodeFrameRecord(frame(1, 1)))).toThrow(/out of step/);

    const wrongKind = encodeFrameRecord(frame(1, 4));
    wrongKind.writeUInt8(7, 4);
    expect(() => new FrameRecordReader().push(wrongKind)).toThrow(/kind 7/);
  });
});

describe('FramePipeWriter', () => {
  it('writes while the pipe has room and drops (counting) while it is backed up', async () => {
    const chunks: Buffer[] = [];
    let release: (() => void) | undefined;
    const slow = new Writable({
      highWaterMark: 1000,
      write(chunk: Buffer, _enc, done) {
        chunks.push(chunk);
        release = done; // the reader is busy until released
      },
    });
    const writer = new FramePipeWriter(slow);
    expect(writer.send(frame(1, 2000))).toBe(true); // above the high-water mark: backed up now
    expect(writer.send(frame(2, 10))).toBe(false);
    expect(writer.send(frame(3, 10))).toBe(false);
    expect(writer.dropped).toBe(2);
    const drained = new Promise((resolve) => slow.once('drain', resolve));
    release!();
    await drained;
    expect(writer.send(frame(4, 10))).toBe(true);
    release!();
    const reader = new FrameRecordReader();
    expect(chunks.flatMap((c) => reader.push(c)).map((r) => r.seq)).toEqual([1, 4]);
  });

  it('drops into a closed pipe instead of throwing', () => {
    const pipe = new PassThrough();
    pipe.destroy();
    const writer = new FramePipeWriter(pipe);
    expect(writer.send(frame(1, 10))).toBe(false);
    expect(writer.dropped).toBe(1);
  });
});
