import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Camera, CameraStatus, LiveFrame, LiveView } from '../../hardware/camera/camera-port.ts';
import { DeviceError } from '../../hardware/device-status.ts';
import { expectDeviceError, looksLikeJpeg, type DeviceTime } from './device-time.ts';

/**
 * What a camera contract run needs. A camera needs no driver: everything the suite checks it can
 * make happen through the port itself. `device` must be fresh and closed.
 */
export interface CameraFixture {
  readonly device: Camera;
  readonly time: DeviceTime;
  /** Releases what the factory set up (a USB session, a child process); the suite closes the device itself. */
  readonly teardown?: () => Promise<void>;
}

/**
 * The contract every `Camera` adapter must meet. Run it with a factory that makes a fresh,
 * closed camera for every test:
 *
 *     describeCameraContract('gphoto2', async () => ({ device: new Gphoto2Camera(...), time: realTime() }));
 */
export function describeCameraContract(name: string, create: () => Promise<CameraFixture>): void {
  describe(`Camera contract: ${name}`, () => {
    let fixture: CameraFixture;
    let camera: Camera;
    let time: DeviceTime;
    const views: LiveView[] = [];

    beforeEach(async () => {
      fixture = await create();
      camera = fixture.device;
      time = fixture.time;
    });

    afterEach(async () => {
      for (const view of views.splice(0)) await time.settle(view.stop()).catch(() => {});
      await time.settle(camera.close()).catch(() => {});
      await fixture.teardown?.();
    });

    const open = () => time.settle(camera.open());
    const startLiveView = async () => {
      const view = await time.settle(camera.startLiveView());
      views.push(view);
      return view;
    };
    const nextFrame = (view: LiveView) => time.settle(view.next());

    it('names its adapter and is neither online nor ready before it is opened, saying why', () => {
      expect(camera.kind).toMatch(/\S/);
      const status = camera.status();
      expect(status.online).toBe(false);
      expect(status.ready).toBe(false);
      expect(status.reasons.length).toBeGreaterThan(0);
    });

    it('refuses to stream or capture before it is opened', async () => {
      await expectDeviceError(time.settle(camera.startLiveView()), 'camera');
      await expectDeviceError(time.settle(camera.captureStill()), 'camera');
    });

    it('is online and ready with no reasons once open, and tells status listeners until they unsubscribe', async () => {
      const seen: CameraStatus[] = [];
      const unsubscribe = camera.onStatus((s) => seen.push(s));
      await open();
      expect(camera.status()).toMatchObject({ online: true, ready: true, reasons: [] });
      expect(seen.length).toBeGreaterThan(0);
      expect(seen.at(-1)).toEqual(camera.status());

      unsubscribe();
      const heard = seen.length;
      await time.settle(camera.close());
      expect(camera.status()).toMatchObject({ online: false, ready: false });
      expect(seen).toHaveLength(heard);
    });

    it('opening an open camera is harmless', async () => {
      await open();
      await open();
      expect(camera.status()).toMatchObject({ online: true, ready: true, reasons: [] });
      const view = await startLiveView();
      expect(looksLikeJpeg((await nextFrame(view)).data)).toBe(true);
    });

    it('captures a full-resolution JPEG still whose size is what it says', async () => {
      await open();
      const before = time.now();
      const still = await time.settle(camera.captureStill());
      expect(still.mime).toBe('image/jpeg');
      expect(looksLikeJpeg(still.data)).toBe(true);
      expect(still.at).toBeGreaterThanOrEqual(before);
      expect(still.at).toBeLessThanOrEqual(time.now());
      const decoded = await sharp(still.data).metadata();
      expect({ width: decoded.width, height: decoded.height }).toEqual({
        width: still.width,
        height: still.height,
      });
      expect(still.width).toBeGreaterThan(0);
      expect(still.height).toBeGreaterThan(0);
    });

    it('streams JPEG live-view frames of one size, with seq rising and times in order', async () => {
      await open();
      const startedAt = time.now();
      const view = await startLiveView();
      const frames: LiveFrame[] = [];
      for (let i = 0; i < 5; i++) frames.push(await nextFrame(view));

      const first = frames[0]!;
      expect(first.width).toBeGreaterThan(0);
      expect(first.height).toBeGreaterThan(0);
      const decoded = await sharp(first.data).metadata();
      expect({ width: decoded.width, height: decoded.height }).toEqual({
        width: first.width,
        height: first.height,
      });
      expect(first.at).toBeGreaterThanOrEqual(startedAt);
      for (const [i, frame] of frames.entries()) {
        expect(frame.mime).toBe('image/jpeg');
        expect(looksLikeJpeg(frame.data)).toBe(true);
        expect({ width: frame.width, height: frame.height }).toEqual({
          width: first.width,
          height: first.height,
        });
        expect(frame.at).toBeLessThanOrEqual(time.now());
        if (i > 0) {
          expect(frame.seq).toBeGreaterThan(frames[i - 1]!.seq);
          expect(frame.at).toBeGreaterThanOrEqual(frames[i - 1]!.at);
        }
      }
    });

    it('latest frame wins: a slow consumer gets the newest frame, never a queue, and every skipped frame is counted', async () => {
      await open();
      const view = await startLiveView();
      const seen = await nextFrame(view);
      const droppedBefore = view.dropped;

      // The consumer is busy while the camera keeps producing.
      expect(await time.until(() => view.dropped >= droppedBefore + 3, 30_000)).toBe(true);
      const resumedAt = time.now();
      const skipped = view.dropped - droppedBefore;
      const latest = await nextFrame(view);
      expect(latest.seq - seen.seq - 1).toBe(skipped);
      expect(latest.at).toBeLessThanOrEqual(resumedAt);

      // Nothing stale is left behind the newest frame: the next one was taken after the pause.
      const fresh = await nextFrame(view);
      expect(fresh.seq).toBeGreaterThan(latest.seq);
      expect(fresh.at).toBeGreaterThanOrEqual(resumedAt);
    });

    it('stop() ends the live view: a waiting consumer is answered, later next() calls reject, stopping again is harmless', async () => {
      await open();
      const view = await startLiveView();
      await nextFrame(view);
      // A frame already held may still be handed over; otherwise the waiter hears the view stopped.
      const waiting = view.next().then(
        (frame): { frame: LiveFrame } => ({ frame }),
        (error: unknown): { error: unknown } => ({ error }),
      );
      await time.settle(view.stop());
      const answer = await time.settle(waiting);
      if ('error' in answer) {
        expect(answer.error).toBeInstanceOf(DeviceError);
        expect(answer.error).toMatchObject({ device: 'camera', code: 'live-view-stopped' });
      } else {
        expect(looksLikeJpeg(answer.frame.data)).toBe(true);
      }
      await expectDeviceError(time.settle(view.next()), 'camera', 'live-view-stopped');
      await time.settle(view.stop());
      expect(camera.status()).toMatchObject({ online: true, ready: true });

      // The camera streams again on request.
      const again = await startLiveView();
      expect(looksLikeJpeg((await nextFrame(again)).data)).toBe(true);
    });

    it('starting a new live view ends the previous one; the new one carries on the frame count', async () => {
      await open();
      const first = await startLiveView();
      const last = await nextFrame(first);
      const second = await startLiveView();
      await expectDeviceError(time.settle(first.next()), 'camera');
      const frame = await nextFrame(second);
      expect(frame.seq).toBeGreaterThan(last.seq);
      expect(looksLikeJpeg(frame.data)).toBe(true);
    });

    it('close() ends a running live view and capture; open() brings both back', async () => {
      await open();
      const view = await startLiveView();
      await nextFrame(view);
      await time.settle(camera.close());
      expect(camera.status()).toMatchObject({ online: false, ready: false });
      expect(camera.status().reasons.length).toBeGreaterThan(0);
      await expectDeviceError(time.settle(view.next()), 'camera');
      await expectDeviceError(time.settle(camera.captureStill()), 'camera');
      await expectDeviceError(time.settle(camera.startLiveView()), 'camera');

      await open();
      expect(camera.status()).toMatchObject({ online: true, ready: true, reasons: [] });
      expect(looksLikeJpeg((await time.settle(camera.captureStill())).data)).toBe(true);
      const again = await startLiveView();
      expect(looksLikeJpeg((await nextFrame(again)).data)).toBe(true);
    });
  });
}
