// The simulation's stand-ins do not make the same thing twice: the producer remembers what it
// made from a still's content, frame stats are remembered per frame buffer.
import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import sharp from 'sharp';
import { SimulatedPhotoProducer } from '../../app/services/production/simulated-photo-producer.ts';
import { frameStats } from '../../app/services/vision/frame-stats.ts';

const portrait = readFileSync(new URL('../../../shared/fixtures/portraits/test0.jpg', import.meta.url));

describe('simulation stand-ins remember their work', () => {
  it('the simulated producer makes the files once per still content, document and copies', async () => {
    const producer = new SimulatedPhotoProducer();
    const first = await producer.produce(portrait, 'schengen-visa', { copies: 4 });
    // The vault hands back a fresh buffer with the same bytes each session.
    const again = await producer.produce(Buffer.from(portrait), 'schengen-visa', { copies: 4 });
    expect(again).toBe(first);
    const other = await producer.produce(portrait, 'schengen-visa', { copies: 2 });
    expect(other).not.toBe(first);
    expect(other.report.sheets[0]!.copies).toBe(2);
    const meta = await sharp(first.files!.photo).metadata();
    expect(meta.format).toBe('jpeg');
  });

  it('made ahead: the first still queues every document and copies it was told of, the same files as made alone', async () => {
    const producer = new SimulatedPhotoProducer({
      makeAhead: { documents: ['schengen-visa', 'us-passport', 'eu-passport'], copies: [4] },
    });
    const alone = new SimulatedPhotoProducer();
    const spy = vi.spyOn(sharp.prototype, 'toBuffer');
    // Each production encodes its photo before its first await. The asked one starts alone, so it
    // has sharp's threads to itself; the queue starts one at a time once it is made.
    const asked = producer.produce(portrait, 'schengen-visa', { copies: 4 });
    expect(spy).toHaveBeenCalledTimes(1);
    const first = await asked;
    const encodedSoFar = spy.mock.calls.length;
    expect(encodedSoFar).toBeGreaterThan(1);
    // Asked for before its turn, the last one in the queue starts at once (it jumps the queue).
    const eu = producer.produce(Buffer.from(portrait), 'eu-passport', { copies: 4 });
    expect(spy.mock.calls.length).toBe(encodedSoFar + 1);
    expect((await eu).report.spec).toBe('eu-passport');
    const us = await producer.produce(Buffer.from(portrait), 'us-passport', { copies: 4 });
    spy.mockRestore();
    expect(first.files!.sheets).toEqual(
      (await alone.produce(portrait, 'schengen-visa', { copies: 4 })).files!.sheets,
    );
    const usAlone = await alone.produce(portrait, 'us-passport', { copies: 4 });
    expect(us.report.sheets).toEqual(usAlone.report.sheets);
    expect(us.files!.sheets).toEqual(usAlone.files!.sheets);
  });

  it('a corrupt still is refused every time, never remembered as made', async () => {
    const producer = new SimulatedPhotoProducer();
    const broken = Buffer.from('not a jpeg');
    await expect(producer.produce(broken, 'schengen-visa', { copies: 4 })).rejects.toThrow();
    await expect(producer.produce(broken, 'schengen-visa', { copies: 4 })).rejects.toThrow();
  });

  it('frame stats of the same buffer are decoded once; equal bytes in another buffer are decoded again', async () => {
    const spy = vi.spyOn(sharp.prototype, 'metadata');
    const a = await frameStats(portrait);
    expect(await frameStats(portrait)).toBe(a);
    expect(spy).toHaveBeenCalledTimes(1);
    const b = await frameStats(Buffer.from(portrait));
    expect(b).not.toBe(a);
    expect(b).toEqual(a);
    expect(spy).toHaveBeenCalledTimes(2);
    spy.mockRestore();
  });
});
