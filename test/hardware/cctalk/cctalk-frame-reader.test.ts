import { describe, expect, it } from 'vitest';
import {
  CcTalkFrameReader,
  type LineNoise,
} from '../../../hardware/payment/cctalk/driver/cctalk-frame-reader.ts';
import { encodeFrame, hex, type CcTalkFrame } from '../../../hardware/payment/cctalk/driver/cctalk-frame.ts';
import type { ChecksumMode } from '../../../hardware/payment/cctalk/driver/cctalk-link.ts';
import { SeededRandom } from '../../../hardware/sim/seeded-random.ts';

const gapMs = 15;
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function reader(checksum: ChecksumMode = 'simple8') {
  const frames: CcTalkFrame[] = [];
  const raw: string[] = [];
  const noise: LineNoise[] = [];
  const r = new CcTalkFrameReader({
    checksum,
    interByteTimeoutMs: gapMs,
    onFrame: (frame, bytes) => {
      frames.push(frame);
      raw.push(hex(bytes));
    },
    onNoise: (n) => noise.push(n),
  });
  return { r, frames, raw, noise };
}

const reply = (data: number[] = [], checksum: ChecksumMode = 'simple8') =>
  encodeFrame({ destination: 1, source: 2, header: 0, data: Uint8Array.from(data) }, checksum);

describe('CcTalkFrameReader', () => {
  it('reads frames delivered a byte at a time, and several in one chunk', () => {
    const { r, raw, noise } = reader();
    const one = reply([1, 2, 3]);
    for (const byte of one) r.push(Uint8Array.of(byte));
    r.push(Uint8Array.from([...reply(), ...reply([9])]));
    expect(raw).toEqual([hex(one), hex(reply()), hex(reply([9]))]);
    expect(noise).toEqual([]);
    expect(r.pending).toBe(0);
    r.close();
  });

  it('reads frames split anywhere across chunks', () => {
    const { r, raw } = reader('crc16');
    const stream = Uint8Array.from([
      ...reply([5, 6], 'crc16'),
      ...reply([], 'crc16'),
      ...reply([7], 'crc16'),
    ]);
    r.push(stream.subarray(0, 3));
    r.push(stream.subarray(3, 9));
    r.push(stream.subarray(9));
    expect(raw).toHaveLength(3);
    r.close();
  });

  it('finds the frame behind garbage and reports the garbage once', async () => {
    const { r, raw, noise } = reader();
    r.push(Uint8Array.from([0x55, 0xaa, 0x00, 0x13, 0x37, ...reply([4])]));
    // 0xAA claims 170 data bytes: the reader waits for them until the line goes quiet.
    await wait(gapMs * 3);
    expect(raw).toEqual([hex(reply([4]))]);
    expect(noise).toHaveLength(1);
    expect(hex(noise[0]!.bytes)).toBe('55 AA 00 13 37');
    r.close();
  });

  it('drops a frame with a bad checksum and reads the good one after it', async () => {
    const { r, frames, noise } = reader();
    const bad = reply([1]);
    bad[bad.length - 1]! ^= 0xff;
    r.push(Uint8Array.from([...bad, ...reply([2])]));
    // Resynchronising byte by byte may meet a "frame" reaching past the data so far: the reader
    // then waits for the line to go quiet before it gives that one up.
    await wait(gapMs * 3);
    expect(frames.map((f) => [...f.data])).toEqual([[2]]);
    expect(noise[0]).toMatchObject({ reason: 'bad-checksum' });
    expect(noise.reduce((dropped, n) => dropped + n.bytes.length, 0)).toBe(bad.length);
    r.close();
  });

  it('drops a byte claiming an impossible length', () => {
    const { r, frames, noise } = reader();
    r.push(Uint8Array.from([0x01, 0xfe, ...reply([3])]));
    expect(frames.map((f) => [...f.data])).toEqual([[3]]);
    expect(noise[0]).toMatchObject({ reason: 'bad-length' });
    r.close();
  });

  it('gives up a partial frame after a quiet gap and reads the next frame cleanly', async () => {
    const { r, raw, noise } = reader();
    r.push(reply([1, 2, 3]).subarray(0, 5));
    await wait(gapMs * 3);
    expect(noise).toEqual([
      expect.objectContaining({ reason: 'incomplete', message: expect.stringMatching(/quiet/) }),
    ]);
    expect(r.pending).toBe(0);
    r.push(reply([8]));
    expect(raw).toEqual([hex(reply([8]))]);
    r.close();
  });

  it('keeps a frame whose bytes come slower than a chunk but within the gap', async () => {
    const { r, raw, noise } = reader();
    const frame = reply([1, 2]);
    r.push(frame.subarray(0, 3));
    await wait(gapMs / 3);
    r.push(frame.subarray(3));
    expect(raw).toEqual([hex(frame)]);
    expect(noise).toEqual([]);
    r.close();
  });

  it('does not give up a frame because the process stalled past the gap', async () => {
    const { r, raw, noise } = reader();
    const frame = reply([1, 2]);
    r.push(frame.subarray(0, 3));
    const until = Date.now() + gapMs * 4;
    while (Date.now() < until) {
      // busy: the event loop is blocked while the rest of the frame is on its way
    }
    setImmediate(() => r.push(frame.subarray(3))); // the rest, read as soon as the loop runs again
    await wait(gapMs * 3);
    expect(raw).toEqual([hex(frame)]);
    expect(noise).toEqual([]);
    r.close();
  });

  it('reports a held partial frame on reset', () => {
    const { r, noise } = reader();
    r.push(Uint8Array.of(1, 3, 2));
    r.reset();
    expect(noise).toEqual([expect.objectContaining({ reason: 'incomplete', bytes: Uint8Array.of(1, 3, 2) })]);
    expect(r.pending).toBe(0);
    r.close();
  });

  it('never throws on random bytes, and reads the first frame after the line goes quiet', async () => {
    const random = new SeededRandom('cctalk-reader');
    for (const checksum of ['simple8', 'crc16'] as const) {
      const { r, raw } = reader(checksum);
      for (let chunk = 0; chunk < 50; chunk++) {
        const garbage = Uint8Array.from({ length: random.int(1, 40) }, () => random.int(0, 255));
        expect(() => r.push(garbage)).not.toThrow();
      }
      await wait(gapMs * 3);
      raw.length = 0;
      r.push(reply([6, 6], checksum));
      expect(raw).toEqual([hex(reply([6, 6], checksum))]);
      r.close();
    }
  });
});
