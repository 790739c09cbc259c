import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SystemClock } from '../../core/clock.ts';
import { newReceiptCode } from '../../core/receipt-code.ts';
import type { LiveFrame, LiveView } from '../../hardware/camera/camera-port.ts';
import { demoPortraits } from '../../hardware/camera/demo-portraits.ts';
import { Gphoto2Camera } from '../../hardware/camera/gphoto2/adapter/gphoto2-camera.ts';
import { gphoto2CameraSchema } from '../../hardware/camera/gphoto2/gphoto2-config.ts';
import { untilReady } from '../../hardware/device-status.ts';
import {
  gphoto2VirtualCameraAvailability,
  prepareVirtualCamera,
  virtualCameraPortraits,
  type Availability,
} from '../../hardware/camera/gphoto2/virtual-camera.ts';
import { runLiveCoaching } from '../booth/live-coaching.ts';
import { PhotoVault } from '../services/vault/photo-vault.ts';
import type { LiveFrameChecker } from '../services/vision/engine/live-check.ts';
import { EnginePoseCoach } from '../services/vision/live/engine-pose-coach.ts';
import type { PoseCoach } from '../services/vision/pose-coach.ts';
import { SteadyPoseCoach } from '../services/vision/steady-pose-coach.ts';
import { atLeast, atMost, type BenchLine } from './bench-figure.ts';
import { round } from './measure.ts';

/** The virtual camera's own pace; the booth's default maxFps (25) caps what the adapter takes. */
const cameraFps = 30;
/** No camera step of the bench waits longer than this (a hang is a failed figure, not a stuck bench). */
const stepTimeoutMs = 20_000;

export const cameraFigureNames = {
  fps: `camera live view on the virtual D750, camera ${cameraFps} fps, maxFps 25 (frames per second)`,
  coaching: 'camera frame to the basic pose coach hint on the virtual D750 (p95)',
  engineCoaching: 'camera frame to the face engine pose coach hint, every check, on the virtual D750 (p95)',
  capture: 'capture to still in the vault on the virtual D750 (median)',
  respawn: 'camera child killed -9 to its first new live view frame (median)',
} as const;

export interface CameraBenchOptions {
  /** A folder the bench owns: the camera's card and frames, its scratch folder, a vault. */
  work: string;
  /** How long live view is watched (frames per second), and how long it is coached. */
  liveViewSeconds?: number;
  coachingSeconds?: number;
  captures?: number;
  kills?: number;
  /**
   * What a capture returns (a DSLR-size JPEG, e.g. 6000 x 4000), grown to `stillBytes`; the
   * first portrait (600 x 800) as it is by default.
   */
  still?: Buffer;
  /** The bytes a still is grown to: 8 MB, a 24 MP DSLR's fine JPEG, by default. */
  stillBytes?: number;
  /**
   * The JPEGs the camera's live view serves in turn (e.g. 640 x 424, a DSLR's live view); the
   * demo portraits made 600 x 800 by default.
   */
  liveFrames?: readonly Buffer[];
  /** With an engine, live view is coached by the face engine's coach too (every check). */
  engine?: LiveFrameChecker;
  /** Whether the virtual camera and node-gphoto2 are there; looked up by default. */
  availability?: Availability;
}

/**
 * The DSLR adapter (`Gphoto2Camera`, its camera child and supervision, the booth's default
 * config) on libgphoto2's virtual D750 (hardware/camera/gphoto2/virtual-camera.ts), paced at
 * 30 fps: live view delivered, the booth's live coaching loop on those frames, capture into a
 * real vault, and the child's respawn after a SIGKILL. Without the virtual camera or
 * node-gphoto2 the figures are skipped, saying why.
 */
export async function benchCamera(options: CameraBenchOptions): Promise<BenchLine[]> {
  const availability = options.availability ?? gphoto2VirtualCameraAvailability();
  if (!availability.available) {
    return figureNames(options).map((name) => ({
      name,
      skipped: `no virtual camera here: ${availability.reason ?? 'not available'}`,
    }));
  }
  const { work } = options;
  mkdirSync(work, { recursive: true });
  const portraits = options.liveFrames
    ? options.liveFrames.map((jpeg, i) => {
        const file = join(work, `live-${String(i).padStart(3, '0')}.jpg`);
        writeFileSync(file, jpeg);
        return file;
      })
    : await virtualCameraPortraits(demoPortraits(), join(work, 'portraits'));
  const vcamera = await prepareVirtualCamera({
    dir: join(work, 'vcamera'),
    portraits,
    liveViewFps: cameraFps,
  });
  if (options.still) {
    const file = join(work, 'still.jpg');
    writeFileSync(file, grownJpeg(options.still, options.stillBytes ?? 8_000_000));
    vcamera.setCapture(file);
  }
  const clock = new SystemClock();
  const { adapter: _adapter, ...settings } = gphoto2CameraSchema.parse({ adapter: 'gphoto2' });
  const camera = new Gphoto2Camera({
    ...settings,
    clock,
    scratchDir: join(work, 'camera-scratch'),
    env: vcamera.env,
  });
  const lines: BenchLine[] = [];
  const leg = async (name: string, measure: () => Promise<BenchLine>) => {
    try {
      lines.push(await measure());
    } catch (error) {
      lines.push({ name, ok: false, error: (error as Error).message });
    }
  };
  try {
    try {
      await within(camera.open(), stepTimeoutMs, 'opening the camera');
      await whenReady(camera);
    } catch (error) {
      // The camera is there but does not come up: every figure of it is broken.
      const message = `the virtual camera did not come up: ${(error as Error).message}`;
      return figureNames(options).map((name) => ({ name, ok: false as const, error: message }));
    }
    const name = cameraFigureNames;
    await leg(name.fps, () => liveViewRate(camera, options.liveViewSeconds ?? 5, settings.maxFps));
    const coachingSeconds = options.coachingSeconds ?? 5;
    await leg(name.coaching, () =>
      coachingLatency(camera, clock, coachingSeconds, name.coaching, () => new SteadyPoseCoach()),
    );
    const engine = options.engine;
    if (engine) {
      // As the booth's default vision (vision.engine "face") coaches, for the same document.
      const coach = () => new EnginePoseCoach({ engine, clock, spec: 'eu-passport' });
      await leg(name.engineCoaching, () =>
        coachingLatency(camera, clock, coachingSeconds, name.engineCoaching, coach),
      );
    }
    await leg(name.capture, () => captureToVault(camera, clock, join(work, 'vault'), options.captures ?? 5));
    await leg(name.respawn, () => respawn(camera, options.kills ?? 3));
  } finally {
    await camera.close();
  }
  return lines;
}

function figureNames(options: CameraBenchOptions): string[] {
  const { engineCoaching, ...always } = cameraFigureNames;
  const names: string[] = Object.values(always);
  if (options.engine) names.splice(2, 0, engineCoaching);
  return names;
}

/** Frames the adapter hands to a consumer that takes each at once, first to last frame. */
async function liveViewRate(camera: Gphoto2Camera, seconds: number, maxFps: number): Promise<BenchLine> {
  const view = await within(camera.startLiveView(), stepTimeoutMs, 'starting live view');
  try {
    const first = await nextFrame(view);
    const firstAt = performance.now();
    const droppedBefore = view.dropped;
    let frames = 0;
    let lastAt = firstAt;
    let size = { width: first.width, height: first.height };
    while (lastAt - firstAt < seconds * 1000) {
      const frame = await nextFrame(view);
      lastAt = performance.now();
      frames++;
      size = { width: frame.width, height: frame.height };
    }
    const fps = round(frames / ((lastAt - firstAt) / 1000), 1);
    return {
      name: cameraFigureNames.fps,
      value: fps,
      unit: 'fps',
      // The adapter never goes over maxFps (25); waiting for the timers puts each frame a
      // little over 40 ms after the last, so a run at the cap measures just under 25.
      ...atLeast(fps, 24),
      detail: {
        frames,
        seconds: round((lastAt - firstAt) / 1000),
        dropped: view.dropped - droppedBefore,
        cameraFps,
        maxFps,
        ...size,
      },
    };
  } finally {
    await view.stop();
  }
}

/**
 * The booth's live coaching loop (runLiveCoaching, as a session's pose runs it) on the camera:
 * from the camera's timestamp on a frame to the hint the coach gives for it.
 */
async function coachingLatency(
  camera: Gphoto2Camera,
  clock: SystemClock,
  seconds: number,
  name: string,
  newCoach: () => PoseCoach,
): Promise<BenchLine> {
  const latencies: number[] = [];
  let firstSeq: number | undefined;
  let lastSeq = 0;
  let fault: string | undefined;
  const stop = runLiveCoaching({
    camera,
    coach: newCoach(),
    clock,
    report: {
      update: () => {},
      fault: (code) => (fault = code),
      frame: (frame) => {
        latencies.push(clock.now() - frame.at);
        firstSeq ??= frame.seq;
        lastSeq = frame.seq;
      },
    },
  });
  const started = performance.now();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  stop();
  const elapsed = (performance.now() - started) / 1000;
  if (fault) throw new Error(`live coaching ended on the camera fault ${fault}`);
  if (latencies.length === 0) throw new Error(`no frame was coached in ${seconds} s`);
  const ms = [...latencies].sort((a, b) => a - b);
  const at = (q: number) => ms[Math.min(ms.length - 1, Math.floor(q * ms.length))]!;
  const p95 = at(0.95);
  return {
    name,
    value: p95,
    unit: 'ms',
    ...atMost(p95, 80),
    detail: {
      frames: latencies.length,
      coachedFps: round(latencies.length / elapsed, 1),
      // Frames the camera gave while the coach was busy with an earlier one (latest wins).
      skipped: lastSeq - firstSeq! + 1 - latencies.length,
      p50Ms: at(0.5),
      p95Ms: p95,
      maxMs: ms.at(-1),
    },
  };
}

/**
 * As a session takes its still: live view on, then stopped as the countdown ends, the capture
 * (trigger, download to a buffer), and the still sealed into a real vault (synced).
 */
async function captureToVault(
  camera: Gphoto2Camera,
  clock: SystemClock,
  vaultDir: string,
  captures: number,
): Promise<BenchLine> {
  const vault = new PhotoVault({ dir: vaultDir, clock, retentionDays: 1 });
  try {
    const sessionId = randomUUID();
    await vault.beginSession(sessionId, { receiptCode: newReceiptCode() });
    const toStill: number[] = [];
    const toVault: number[] = [];
    let bytes = 0;
    let size = { width: 0, height: 0 };
    for (let i = 0; i < captures; i++) {
      const view = await within(camera.startLiveView(), stepTimeoutMs, 'starting live view');
      await nextFrame(view);
      view.stop().catch(() => {}); // as the pose ends (runLiveCoaching's stop): not waited for
      const t0 = performance.now();
      const still = await within(camera.captureStill(), stepTimeoutMs, 'capturing');
      const t1 = performance.now();
      await vault.put(sessionId, 'still', still.data);
      const t2 = performance.now();
      toStill.push(t1 - t0);
      toVault.push(t2 - t0);
      bytes = still.data.length;
      size = { width: still.width, height: still.height };
    }
    const seconds = round(median(toVault) / 1000, 3);
    return {
      name: cameraFigureNames.capture,
      value: seconds,
      unit: 's',
      ...atMost(seconds, 1.5),
      detail: {
        captures,
        stillMs: { p50: round(median(toStill)), max: round(Math.max(...toStill)) },
        inVaultMs: { p50: round(median(toVault)), max: round(Math.max(...toVault)) },
        ...size,
        bytes,
      },
    };
  } finally {
    vault.close();
  }
}

/**
 * SIGKILL of the camera child during live view, to the first frame of a new live view on the
 * child the supervisor starts (its first restart wait is 0.5 s). Each kill is on a freshly
 * opened camera, so each is a first loss (later ones in a row wait longer, by design).
 */
async function respawn(camera: Gphoto2Camera, kills: number): Promise<BenchLine> {
  const toFrame: number[] = [];
  const toOnline: number[] = [];
  for (let i = 0; i < kills; i++) {
    if (i > 0) {
      await camera.close();
      await within(camera.open(), stepTimeoutMs, 'opening the camera');
      await whenReady(camera);
    }
    const view = await within(camera.startLiveView(), stepTimeoutMs, 'starting live view');
    await nextFrame(view);
    const pid = camera.childPid;
    if (pid === undefined) throw new Error('the camera has no child to kill');
    const killedAt = performance.now();
    process.kill(pid, 'SIGKILL');
    await nextFrame(view).then(
      () => {
        throw new Error('live view went on after its camera child was killed');
      },
      () => {}, // the view fails: the camera was lost
    );
    await whenReady(camera);
    toOnline.push(performance.now() - killedAt);
    const again = await within(camera.startLiveView(), stepTimeoutMs, 'starting live view again');
    await nextFrame(again);
    toFrame.push(performance.now() - killedAt);
    if (camera.childPid === pid) throw new Error('the camera child was not replaced');
    await again.stop();
  }
  const seconds = round(median(toFrame) / 1000, 3);
  return {
    name: cameraFigureNames.respawn,
    value: seconds,
    unit: 's',
    ...atMost(seconds, 1),
    detail: {
      kills,
      firstFrameMs: toFrame.map((ms) => Math.round(ms)),
      readyMs: toOnline.map((ms) => Math.round(ms)),
      firstRestartWaitMs: 500,
    },
  };
}

/**
 * The JPEG with comment segments of random bytes after its start, up to about `bytes`: the
 * size a DSLR's still has (with its EXIF preview images), without the seconds it takes to
 * encode 24 MP of real detail. Decoders and jpegSize skip comments.
 */
function grownJpeg(jpeg: Buffer, bytes: number): Buffer {
  const segments: Buffer[] = [];
  let missing = bytes - jpeg.length;
  while (missing > 4) {
    const payload = Math.min(65_533, missing - 4);
    const header = Buffer.from([0xff, 0xfe, 0, 0]);
    header.writeUInt16BE(payload + 2, 2);
    segments.push(header, randomBytes(payload));
    missing -= payload + 4;
  }
  return Buffer.concat([jpeg.subarray(0, 2), ...segments, jpeg.subarray(2)]);
}

function nextFrame(view: LiveView): Promise<LiveFrame> {
  return within(view.next(), stepTimeoutMs, 'a live view frame');
}

/** Resolves when the camera is ready (at once when it is); rejects saying why when it is not in time. */
async function whenReady(camera: Gphoto2Camera): Promise<void> {
  if (await untilReady(camera, stepTimeoutMs)) return;
  const failure = camera.lastFailure;
  const why = `${camera.status().reasons.join(', ')}${failure ? `: ${failure}` : ''}`;
  throw new Error(`no the camera ready (${why}) within ${stepTimeoutMs / 1000} s`);
}

function within<T>(work: Promise<T>, ms: number, what: string | (() => string)): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`no ${typeof what === 'string' ? what : what()} within ${ms / 1000} s`));
    }, ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
