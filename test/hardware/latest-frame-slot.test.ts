import { describe, expect, it } from 'vitest';
import type { LiveFrame } from '../../hardware/camera/camera-port.ts';
import { LatestFrameSlot } from '../../hardware/camera/latest-frame-slot.ts';
import { DeviceError } from '../../hardware/device-status.ts';

/** The hand-over every camera adapter streams through, so its backpressure is the same everywhere. */
describe('LatestFrameSlot', () => {
  const frame = (seq: number): LiveFrame => ({
    seq,
    at: seq * 100,
    width: 4,
    height: 3,
    mime: 'image/jpeg',
    data: Buffer.from([0xff, 0xd8, 0xff, seq]),
  });

  /** Lets pending promise callbacks run. */
  const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

  it('hands a frame straight to a waiting consumer, dropping nothing', async () => {
    const slot = new LatestFrameSlot();
    const waiting = slot.next();
    slot.offer(frame(1));
    expect(await waiting).toEqual(frame(1));
    expect(slot.dropped).toBe(0);
  });

  it('keeps only the newest frame for a busy consumer and counts the ones it replaced', async () => {
    const slot = new LatestFrameSlot();
    for (let seq = 1; seq <= 5; seq++) slot.offer(frame(seq));
    expect(slot.dropped).toBe(4);
    expect((await slot.next()).seq).toBe(5);
    // Nothing queued behind it: the next call waits for a new frame.
    let got: LiveFrame | undefined;
    void slot.next().then((f) => (got = f));
    await flush();
    expect(got).toBeUndefined();
    slot.offer(frame(6));
    await flush();
    expect(got?.seq).toBe(6);
    expect(slot.dropped).toBe(4);
  });

  it('lets only one consumer wait at a time', async () => {
    const slot = new LatestFrameSlot();
    const first = slot.next();
    await expect(slot.next()).rejects.toThrow(/only one consumer/);
    slot.offer(frame(1));
    expect((await first).seq).toBe(1);
  });

  it('fail() rejects the waiting consumer and every later next(), discards a held frame and ignores later offers', async () => {
    const slot = new LatestFrameSlot();
    const waiting = slot.next();
    const cause = new DeviceError('camera', 'disconnected', 'cable out');
    slot.fail(cause);
    await expect(waiting).rejects.toBe(cause);
    slot.offer(frame(2));
    await expect(slot.next()).rejects.toBe(cause);
    expect(slot.dropped).toBe(0);

    const held = new LatestFrameSlot();
    held.offer(frame(1));
    held.fail(cause);
    await expect(held.next()).rejects.toBe(cause);
  });

  it('stop() fails the stream with live-view-stopped and calls onStop once, however often it is called', async () => {
    let stops = 0;
    const slot = new LatestFrameSlot(() => {
      stops++;
    });
    const waiting = slot.next();
    await slot.stop();
    await expect(waiting).rejects.toMatchObject({ name: 'DeviceError', code: 'live-view-stopped' });
    await slot.stop();
    expect(stops).toBe(1);
    await expect(slot.next()).rejects.toMatchObject({ code: 'live-view-stopped' });
  });
});
