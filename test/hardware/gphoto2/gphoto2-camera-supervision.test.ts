import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { nodeChildCommand } from '../../../hardware/camera/gphoto2/driver/node-child.ts';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SystemClock } from '../../../core/clock.ts';
import type { CameraStatus, LiveView } from '../../../hardware/camera/camera-port.ts';
import {
  Gphoto2Camera,
  type Gphoto2CameraOptions,
} from '../../../hardware/camera/gphoto2/adapter/gphoto2-camera.ts';
import { expectDeviceError, looksLikeJpeg, realTime } from '../../contract/device-time.ts';
import type { FakeCameraState } from './fake-camera-library.ts';

/**
 * The gphoto2 adapter's supervision, on a fake camera child (the real child's server and
 * protocol over a fake libgphoto2): whatever the camera or its child does, the booth hears it
 * in the status, the calls fail with a DeviceError, and the camera comes back by itself.
 * Short restart waits keep it quick; the real schedule is restart-backoff.test.ts's.
 */

const childScript = new URL('./fake-camera-child.ts', import.meta.url);
const time = realTime(5);
let dir: string;
let base: FakeCameraState;

beforeAll(async () => {
  mkdirSync(join(process.cwd(), 'test-artifacts'), { recursive: true });
  dir = mkdtempSync(join(process.cwd(), 'test-artifacts', 'gphoto2-supervision-'));
  const jpeg = (width: number, height: number, background: string) =>
    sharp({ create: { width, height, channels: 3, background } })
      .jpeg()
      .toBuffer();
  const frames = [];
  for (const [i, color] of ['#203040', '#506070'].entries()) {
    const path = join(dir, `frame-${i}.jpg`);
    writeFileSync(path, await jpeg(64, 48, color));
    frames.push(path);
  }
  const still = join(dir, 'still.jpg');
  writeFileSync(still, await jpeg(320, 240, '#ffffff'));
  base = { frames, still, previewMs: 5 };
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cameras: Gphoto2Camera[] = [];
afterEach(async () => {
  for (const camera of cameras.splice(0)) await camera.close();
});

let rigs = 0;
function rig(state: Partial<FakeCameraState> = {}, options: Partial<Gphoto2CameraOptions> = {}) {
  const stateFile = join(dir, `state-${++rigs}.json`);
  let current: FakeCameraState = { ...base, ...state };
  const write = () => writeFileSync(stateFile, JSON.stringify(current));
  write();
  const scratchDir = join(dir, `scratch-${rigs}`);
  const camera = new Gphoto2Camera({
    clock: new SystemClock(),
    scratchDir,
    env: { FAKE_CAMERA_STATE: stateFile },
    childScript,
    maxFps: 30,
    captureTimeoutMs: 2000,
    focusRetries: 2,
    restartDelaysMs: [50, 100, 200],
    stallMs: 400,
    ...options,
  });
  cameras.push(camera);
  const heard: CameraStatus[] = [];
  camera.onStatus((s) => heard.push(s));
  return {
    camera,
    heard,
    scratchDir,
    /** Changes what the fake camera does, for the child running now and every later one. */
    set(patch: Partial<FakeCameraState>) {
      current = { ...current, ...patch };
      write();
    },
    online: () => time.until(() => camera.status().online, 15_000),
    offline: () => time.until(() => !camera.status().online, 15_000),
  };
}

const alive = (pid: number | undefined) => {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function frameFrom(view: LiveView) {
  const frame = await time.settle(view.next(), 10_000);
  expect(looksLikeJpeg(frame.data)).toBe(true);
  return frame;
}

describe('Gphoto2Camera supervision (fake camera child)', () => {
  it('opens online, streams and captures; close ends the child and removes its folder', async () => {
    const { camera, heard, scratchDir } = rig();
    await camera.open();
    expect(camera.status()).toEqual({ online: true, ready: true, reasons: [] });
    expect(camera.detected).toEqual({ model: 'Nikon DSC D750', port: 'usb:001,001' });
    expect(heard.at(-1)).toEqual(camera.status());
    const view = await camera.startLiveView();
    const frame = await frameFrom(view);
    expect([frame.width, frame.height]).toEqual([64, 48]);
    const still = await camera.captureStill();
    expect([still.width, still.height]).toEqual([320, 240]);
    expect(camera.stillWidth).toBe(320);
    const pid = camera.childPid;
    expect(alive(pid)).toBe(true);
    await camera.close();
    expect(alive(pid)).toBe(false);
    expect(camera.status()).toEqual({ online: false, ready: false, reasons: ['closed'] });
    expect(readdirSync(scratchDir)).toEqual([]);
  });

  it('no camera at open: the booth starts out of service, and the camera is found when it comes', async () => {
    const r = rig({ cameras: [] });
    await r.camera.open();
    expect(r.camera.status()).toEqual({ online: false, ready: false, reasons: ['disconnected'] });
    await expectDeviceError(r.camera.startLiveView(), 'camera', 'disconnected');
    await expectDeviceError(r.camera.captureStill(), 'camera', 'disconnected');
    expect(r.camera.lastFailure).toMatch(/no camera found/);
    r.set({ cameras: [{ model: 'Canon EOS 2000D', port: 'usb:003,002' }] });
    expect(await r.online()).toBe(true);
    expect(r.camera.detected?.model).toBe('Canon EOS 2000D');
    expect(looksLikeJpeg((await r.camera.captureStill()).data)).toBe(true);
  });

  it('a claimed camera (-53) says claimed-by-another-process until the other process lets go', async () => {
    const r = rig({ open: -53 });
    await r.camera.open();
    expect(r.camera.status()).toEqual({
      online: false,
      ready: false,
      reasons: ['claimed-by-another-process'],
    });
    await expectDeviceError(r.camera.startLiveView(), 'camera', 'claimed-by-another-process');
    r.set({ open: 0 });
    expect(await r.online()).toBe(true);
    expect(r.heard.map((s) => s.reasons[0] ?? 'ok')).toEqual(['claimed-by-another-process', 'ok']);
  });

  it('unplugged during live view (-7): the view fails, offline, then back by itself on a new child', async () => {
    const r = rig();
    await r.camera.open();
    const pid = r.camera.childPid;
    const view = await r.camera.startLiveView();
    await frameFrom(view);
    r.set({ preview: -7, cameras: [] });
    await expectDeviceError(time.settle(view.next(), 10_000), 'camera', 'disconnected');
    expect(r.camera.status()).toMatchObject({ online: false, reasons: ['disconnected'] });
    r.set({ preview: 0, cameras: undefined });
    expect(await r.online()).toBe(true);
    expect(r.camera.childPid).not.toBe(pid);
    expect(alive(pid)).toBe(false);
    await frameFrom(await r.camera.startLiveView());
    // Every change was heard: online, lost, online again.
    expect(r.heard.map((s) => s.online)).toEqual([true, false, true]);
  });

  it('the child killed -9 during live view: the view rejects, offline, a new child streams again', async () => {
    const r = rig();
    await r.camera.open();
    const view = await r.camera.startLiveView();
    await frameFrom(view);
    process.kill(r.camera.childPid!, 'SIGKILL');
    await expectDeviceError(time.settle(view.next(), 10_000), 'camera', 'disconnected');
    expect(r.camera.status().online).toBe(false);
    expect(r.camera.lastFailure).toMatch(/SIGKILL/);
    expect(await r.online()).toBe(true);
    await frameFrom(await r.camera.startLiveView());
    const recovery = r.camera.lastRecovery!;
    expect(recovery.firstFrameAt! - recovery.lostAt).toBeGreaterThan(0);
  });

  it('a native crash in the child (SIGSEGV) during a capture fails the capture, not the booth', async () => {
    const r = rig();
    await r.camera.open();
    r.set({ crashOn: 'capture' });
    const error = await expectDeviceError(r.camera.captureStill(), 'camera', 'disconnected');
    expect(error.message).toMatch(/SIGSEGV/);
    r.set({ crashOn: undefined });
    expect(await r.online()).toBe(true);
    expect(looksLikeJpeg((await r.camera.captureStill()).data)).toBe(true);
  });

  it('no frame for stallMs during live view (a preview that hangs) counts as lost', async () => {
    const r = rig();
    await r.camera.open();
    const view = await r.camera.startLiveView();
    await frameFrom(view);
    r.set({ preview: 'hang' });
    await expectDeviceError(time.settle(view.next(), 10_000), 'camera', 'disconnected');
    expect(r.camera.lastFailure).toMatch(/no live-view frame for \d+ ms/);
    r.set({ preview: 0 });
    expect(await r.online()).toBe(true);
  });

  it('a capture that stays busy past focusRetries fails busy; the camera stays up on the same child', async () => {
    const r = rig({ captures: [-110, -110, -110] }, { focusRetries: 1 });
    await r.camera.open();
    const pid = r.camera.childPid;
    await expectDeviceError(r.camera.captureStill(), 'camera', 'busy');
    expect(r.camera.status().online).toBe(true);
    expect(r.camera.childPid).toBe(pid);
    // The next capture gets its own tries: the fake's third busy, then a still.
    r.set({ captures: [] });
    expect(looksLikeJpeg((await r.camera.captureStill()).data)).toBe(true);
  });

  it('a capture that never ends fails timeout after captureTimeoutMs, and the stuck child is replaced', async () => {
    const r = rig({ captures: 'hang' }, { captureTimeoutMs: 1000 });
    await r.camera.open();
    const pid = r.camera.childPid;
    const t0 = Date.now();
    const error = await expectDeviceError(r.camera.captureStill(), 'camera', 'timeout');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
    expect(error.message).toMatch(/captureTimeoutMs/);
    r.set({ captures: [] });
    expect(await r.online()).toBe(true);
    expect(r.camera.childPid).not.toBe(pid);
    expect(alive(pid)).toBe(false);
  });

  it('a child that cannot load the binding fails open with adapter-error and is not restarted', async () => {
    const r = rig({}, { env: { FAKE_CAMERA_FATAL: '1' } });
    await expectDeviceError(r.camera.open(), 'camera', 'adapter-error');
    expect(r.camera.status()).toEqual({ online: false, ready: false, reasons: ['adapter-error'] });
    expect(r.camera.lastFailure).toMatch(/Cannot find module gphoto2/);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(r.camera.childPid).toBeUndefined();
  });

  it('a camera child does not outlive its booth (killed -9): it lets the camera go', async () => {
    const stateFile = join(dir, 'owner-state.json');
    writeFileSync(stateFile, JSON.stringify(base));
    const { command, args } = nodeChildCommand(new URL('./camera-owner.ts', import.meta.url));
    const owner = spawn(command, [...args, join(dir, 'owner-scratch')], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, FAKE_CAMERA_STATE: stateFile },
    });
    const childPid = await new Promise<number>((resolve, reject) => {
      owner.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
      owner.once('exit', () => reject(new Error('the camera owner exited before opening')));
    });
    expect(alive(childPid)).toBe(true);
    owner.kill('SIGKILL');
    expect(await time.until(() => !alive(childPid), 10_000)).toBe(true);
    // Its folder was left behind (the booth died first); the next child in that folder clears it.
    const scratch = join(dir, 'owner-scratch');
    expect(readdirSync(scratch)).toHaveLength(1);
    const next = rig({}, { scratchDir: scratch });
    await next.camera.open();
    expect(readdirSync(scratch)).toEqual([expect.stringMatching(new RegExp(`^child-${process.pid}-`))]);
  });

  it('close while waiting to restart starts no child afterwards', async () => {
    const r = rig({ cameras: [] }, { restartDelaysMs: [300] });
    await r.camera.open();
    await r.camera.close();
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(r.camera.childPid).toBeUndefined();
    expect(r.camera.status().reasons).toEqual(['closed']);
  });
});
