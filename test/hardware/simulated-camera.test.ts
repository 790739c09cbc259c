import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import type { CameraStatus, LiveFrame, LiveView } from '../../hardware/camera/camera-port.ts';
import { SimulatedCamera, type SimulatedCameraOptions } from '../../hardware/camera/simulated-camera.ts';
import { SystemClock } from '../../core/clock.ts';
import { SimClock } from '../../core/sim-clock.ts';
import { describeCameraContract } from '../contract/camera-contract.ts';
import { expectDeviceError, looksLikeJpeg, realTime, simulatedTime } from '../contract/device-time.ts';

const portraitDir = fileURLToPath(new URL('../../demo-assets/portraits/', import.meta.url));
const portraits = readdirSync(portraitDir)
  .filter((f) => f.endsWith('.jpg'))
  .sort()
  .map((f) => portraitDir + f);

/** Small frames and a short loop keep the per-test render cheap. */
const small = { frameWidth: 64, loopFrames: 4 } as const;

describeCameraContract('SimulatedCamera on simulated time', async () => {
  const clock = new SimClock();
  return { device: new SimulatedCamera({ clock, portraits, seed: 7, ...small }), time: simulatedTime(clock) };
});

describeCameraContract('SimulatedCamera on the system clock', async () => ({
  device: new SimulatedCamera({
    clock: new SystemClock(),
    portraits,
    seed: 7,
    fps: 100,
    captureMs: 5,
    ...small,
  }),
  time: realTime(),
}));

describe('SimulatedCamera', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  /** An open simulated camera on its own SimClock (10 fps, 600 ms per capture). */
  async function openCamera(options: Partial<SimulatedCameraOptions> = {}) {
    const clock = new SimClock();
    const camera = new SimulatedCamera({ clock, portraits, seed: 7, ...small, ...options });
    const time = simulatedTime(clock);
    await time.settle(camera.open());
    cleanups.push(() => camera.close());
    const next = (view: LiveView) => time.settle(view.next());
    return { clock, camera, time, next };
  }

  /** Whether a promise has settled, without waiting for it. */
  function watch<T>(promise: Promise<T>) {
    const state = { settled: false, value: undefined as T | undefined, error: undefined as unknown };
    promise.then(
      (value) => Object.assign(state, { settled: true, value }),
      (error: unknown) => Object.assign(state, { settled: true, error }),
    );
    return state;
  }

  const digest = (data: Buffer) => createHash('sha256').update(data).digest('hex').slice(0, 16);

  describe('on simulated time', () => {
    it('produces one frame every 1000/fps ms, and leaves no frame timer behind when the view stops', async () => {
      const { clock, camera, next } = await openCamera({ fps: 10 });
      const t0 = clock.now();
      const view = await camera.startLiveView();
      const frames: LiveFrame[] = [];
      for (let i = 0; i < 4; i++) frames.push(await next(view));
      expect(frames.map((f) => f.at - t0)).toEqual([100, 200, 300, 400]);
      expect(frames.map((f) => f.seq - frames[0]!.seq)).toEqual([0, 1, 2, 3]);
      expect(view.dropped).toBe(0);
      expect(clock.pendingTimers).toBe(1);
      await view.stop();
      expect(clock.pendingTimers).toBe(0);
    });

    it('takes captureMs of simulated time per still', async () => {
      const { clock, camera, time } = await openCamera({ captureMs: 600 });
      const t0 = clock.now();
      const still = await time.settle(camera.captureStill());
      expect(still.at - t0).toBe(600);
      expect(clock.now() - t0).toBe(600);
    });

    it('close() with a live view running stops its frame timer', async () => {
      const { clock, camera, next } = await openCamera();
      const view = await camera.startLiveView();
      await next(view);
      await camera.close();
      expect(clock.pendingTimers).toBe(0);
      expect(camera.status()).toEqual({ online: false, ready: false, reasons: ['closed'] });
    });
  });

  describe('what it sees', () => {
    it('captures the portrait at full size and streams frameWidth-wide frames of its aspect; usePortrait changes both', async () => {
      const { camera, time, next } = await openCamera({ frameWidth: 80 });
      for (const index of [0, 3, 1]) {
        await camera.usePortrait(index);
        const source = await sharp(portraits[index]!).metadata();
        const still = await time.settle(camera.captureStill());
        expect({ width: still.width, height: still.height }).toEqual({
          width: source.width,
          height: source.height,
        });
        const view = await camera.startLiveView();
        const frame = await next(view);
        expect(frame.width).toBe(80);
        expect(frame.height).toBe(Math.round((80 * source.height!) / source.width!));
        const decoded = await sharp(frame.data).metadata();
        expect([decoded.width, decoded.height]).toEqual([frame.width, frame.height]);
        await view.stop();
      }
    });

    it('sways: consecutive live-view frames differ, and the motion loop repeats', async () => {
      const { camera, next } = await openCamera({ loopFrames: 4 });
      const view = await camera.startLiveView();
      const frames: string[] = [];
      for (let i = 0; i < 8; i++) frames.push(digest((await next(view)).data));
      expect(new Set(frames.slice(0, 4)).size).toBe(4);
      expect(frames.slice(4)).toEqual(frames.slice(0, 4));
    });
  });

  describe('determinism under a seed', () => {
    /** Everything a run shows: portrait choice, frame times and bytes, stills, garbage bytes. */
    async function record(seed: number) {
      const { camera, time, next } = await openCamera({ seed });
      const view = await camera.startLiveView();
      const log: unknown[] = [];
      for (let i = 0; i < 6; i++) {
        const f = await next(view);
        log.push([f.seq, f.at, f.width, f.height, digest(f.data)]);
      }
      await view.stop();
      const still = await time.settle(camera.captureStill());
      log.push(['still', still.at, still.width, still.height, digest(still.data)]);
      camera.injectFault('garbage');
      const junkStill = await time.settle(camera.captureStill());
      log.push(['garbage-still', junkStill.at, digest(junkStill.data)]);
      const junkView = await camera.startLiveView();
      const junk = await next(junkView);
      log.push(['garbage', junk.seq, junk.at, digest(junk.data)]);
      await junkView.stop();
      return log;
    }

    it('the same seed gives the same frames, stills and garbage; another seed gives another stream', async () => {
      const a = await record(11);
      const b = await record(11);
      expect(b).toEqual(a);
      const c = await record(12);
      expect(c).not.toEqual(a);
      // The frames themselves differ, not just some bookkeeping.
      const frameDigests = (log: unknown[]) => log.slice(0, 6).map((entry) => (entry as unknown[])[4]);
      expect(frameDigests(c)).not.toEqual(frameDigests(a));
    });
  });

  describe('latest frame wins', () => {
    it('a slow consumer always gets a frame at most one frame period old, and the skipped ones are counted', async () => {
      const { clock, camera, next } = await openCamera({ fps: 10 });
      const view = await camera.startLiveView();
      const frames: LiveFrame[] = [];
      let ageMax = 0;
      for (let i = 0; i < 20; i++) {
        if (i > 0) await clock.advance(350); // the consumer analyses the last frame
        const frame = await next(view);
        ageMax = Math.max(ageMax, clock.now() - frame.at);
        frames.push(frame);
      }
      expect(ageMax).toBeLessThan(100);
      let gaps = 0;
      for (let i = 1; i < frames.length; i++) gaps += frames[i]!.seq - frames[i - 1]!.seq - 1;
      expect(view.dropped).toBeGreaterThanOrEqual(40);
      // Every frame seen after the first, plus every dropped one, is every frame produced.
      expect(gaps).toBe(view.dropped);
      expect(frames.at(-1)!.seq - frames[0]!.seq + 1).toBe(frames.length + view.dropped);
    });

    it('a consumer that keeps up drops nothing and sees every frame in order', async () => {
      const { camera, next } = await openCamera();
      const view = await camera.startLiveView();
      const seqs: number[] = [];
      for (let i = 0; i < 10; i++) seqs.push((await next(view)).seq);
      expect(view.dropped).toBe(0);
      expect(seqs).toEqual(seqs.map((_, i) => seqs[0]! + i));
    });
  });

  describe('faults', () => {
    it('supports disconnect, timeout and garbage, and refuses the rest naming what it supports', async () => {
      const { camera } = await openCamera();
      expect([...camera.supportedFaults].sort()).toEqual(['disconnect', 'garbage', 'timeout']);
      for (const fault of ['jam', 'out-of-paper'] as const) {
        expect(() => camera.injectFault(fault)).toThrow(/disconnect, timeout, garbage/);
      }
      expect(camera.activeFaults.size).toBe(0);
      expect(camera.status()).toEqual({ online: true, ready: true, reasons: [] });
    });

    it('disconnect: offline and not ready, the live view fails, stream and capture are refused', async () => {
      const { clock, camera, time, next } = await openCamera();
      const heard: CameraStatus[] = [];
      camera.onStatus((s) => heard.push(s));
      const view = await camera.startLiveView();
      await next(view);
      const waiting = view.next();

      camera.injectFault('disconnect');
      expect(camera.activeFaults).toEqual(new Set(['disconnect']));
      expect(camera.status()).toEqual({ online: false, ready: false, reasons: ['disconnected'] });
      expect(heard.at(-1)).toEqual(camera.status());
      await expectDeviceError(time.settle(waiting), 'camera', 'disconnected');
      await expectDeviceError(time.settle(view.next()), 'camera', 'disconnected');
      await expectDeviceError(camera.startLiveView(), 'camera', 'disconnected');
      await expectDeviceError(camera.captureStill(), 'camera', 'disconnected');
      // The dead stream's frame timer is gone, not ticking on into a closed view.
      expect(clock.pendingTimers).toBe(0);
      await view.stop();
    });

    it('disconnect while a still is being taken fails the capture', async () => {
      const { clock, camera, time } = await openCamera({ captureMs: 600 });
      const capture = watch(camera.captureStill());
      await clock.advance(300);
      expect(capture.settled).toBe(false);
      camera.injectFault('disconnect');
      await time.until(() => capture.settled, 10_000);
      expect(capture.error).toMatchObject({ name: 'DeviceError', device: 'camera', code: 'disconnected' });
    });

    it('after a disconnect is cleared the camera is ready, streams with honest frame accounting and captures', async () => {
      const { clock, camera, time, next } = await openCamera({ fps: 10 });
      const before = await camera.startLiveView();
      await next(before);
      camera.injectFault('disconnect');
      await expectDeviceError(time.settle(before.next()), 'camera', 'disconnected');
      await clock.advance(1_000);

      camera.clearFault('disconnect');
      expect(camera.status()).toEqual({ online: true, ready: true, reasons: [] });
      expect(camera.activeFaults.size).toBe(0);
      const view = await camera.startLiveView();
      const t0 = clock.now();
      const frames: LiveFrame[] = [];
      for (let i = 0; i < 4; i++) frames.push(await next(view));
      expect(frames.map((f) => f.at - t0)).toEqual([100, 200, 300, 400]);
      expect(frames.map((f) => f.seq - frames[0]!.seq)).toEqual([0, 1, 2, 3]);
      expect(view.dropped).toBe(0);
      expect(clock.pendingTimers).toBe(1);
      expect(looksLikeJpeg((await time.settle(camera.captureStill())).data)).toBe(true);
    });

    it('timeout: online but not ready, no frames arrive, a capture fails after 10x captureMs; clearing it brings frames back', async () => {
      const { clock, camera, time, next } = await openCamera({ captureMs: 600 });
      const view = await camera.startLiveView();
      await next(view);
      camera.injectFault('timeout');
      expect(camera.status()).toEqual({ online: true, ready: false, reasons: ['timeout'] });

      const waiting = watch(view.next());
      expect(await time.until(() => waiting.settled, 5_000)).toBe(false);

      const t0 = clock.now();
      const capture = watch(camera.captureStill());
      await clock.advance(5_999);
      expect(capture.settled).toBe(false);
      await clock.advance(1);
      expect(capture.error).toMatchObject({ name: 'DeviceError', device: 'camera', code: 'timeout' });
      expect(clock.now() - t0).toBe(6_000);

      camera.clearFault('timeout');
      expect(camera.status()).toEqual({ online: true, ready: true, reasons: [] });
      expect(await time.until(() => waiting.settled, 1_000)).toBe(true);
      expect(looksLikeJpeg(waiting.value!.data)).toBe(true);
      expect(waiting.value!.at).toBeGreaterThan(t0);
      expect(looksLikeJpeg((await time.settle(camera.captureStill())).data)).toBe(true);
    });

    it('garbage: the camera still looks fine but frames and stills are undecodable; clearing it brings JPEGs back', async () => {
      const { camera, time, next } = await openCamera();
      camera.injectFault('garbage');
      expect(camera.status()).toEqual({ online: true, ready: true, reasons: [] });

      const junkStill = await time.settle(camera.captureStill());
      expect(junkStill.data).toHaveLength(4096);
      await expect(sharp(junkStill.data).metadata()).rejects.toThrow();
      const view = await camera.startLiveView();
      const junk = await next(view);
      expect(junk.data).toHaveLength(2048);
      expect(looksLikeJpeg(junk.data)).toBe(false);
      await expect(sharp(junk.data).metadata()).rejects.toThrow();

      camera.clearFault('garbage');
      const frame = await next(view);
      expect(frame.seq).toBe(junk.seq + 1);
      expect((await sharp(frame.data).metadata()).width).toBe(frame.width);
      expect(looksLikeJpeg((await time.settle(camera.captureStill())).data)).toBe(true);
    });

    it('faults add up in the status, and clearFault() with no argument clears them all', async () => {
      const { camera } = await openCamera();
      camera.injectFault('timeout');
      camera.injectFault('disconnect');
      camera.injectFault('garbage');
      expect(camera.status()).toEqual({ online: false, ready: false, reasons: ['disconnected', 'timeout'] });
      camera.clearFault('disconnect');
      expect(camera.status()).toEqual({ online: true, ready: false, reasons: ['timeout'] });
      camera.clearFault();
      expect(camera.activeFaults.size).toBe(0);
      expect(camera.status()).toEqual({ online: true, ready: true, reasons: [] });
      await camera.close();
      camera.injectFault('disconnect');
      expect(camera.status()).toEqual({ online: false, ready: false, reasons: ['closed', 'disconnected'] });
    });
  });
});
