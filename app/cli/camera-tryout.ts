import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { SystemClock } from '../../core/clock.ts';
import { errorCode } from '../../core/errors.ts';
import { createCamera } from '../../hardware/camera/index.ts';
import type { Camera } from '../../hardware/camera/camera-port.ts';
import { untilReady } from '../../hardware/device-status.ts';
import type { Gphoto2CameraConfig } from '../../hardware/camera/gphoto2/gphoto2-config.ts';
import type { CliIO } from './cli-io.ts';

/** How long the camera may take to be found and opened before the command gives up. */
const readyWithinMs = 20_000;

/**
 * Opens the camera as the booth would (the same adapter, its camera child and supervision) and
 * waits until it is ready; null, with the reason said, when it does not get there.
 */
async function openReady(config: Gphoto2CameraConfig, scratchDir: string, io: CliIO): Promise<Camera | null> {
  const camera = createCamera(config, { clock: new SystemClock(), seed: 1, scratchDir });
  await camera.open();
  if (await untilReady(camera, readyWithinMs)) return camera;
  io.err(
    `kiosk camera: no camera ready within ${readyWithinMs / 1000} s (${camera.status().reasons.join(', ')})`,
  );
  await camera.close();
  return null;
}

/**
 * `kiosk camera capture --out FILE`: one still, as a session takes it, written to FILE (owner
 * only: it may be somebody's face) and described as one JSON object.
 */
export async function cameraCapture(
  config: Gphoto2CameraConfig,
  options: { scratchDir: string; out: string },
  io: CliIO,
): Promise<number> {
  const camera = await openReady(config, options.scratchDir, io);
  if (!camera) return 1;
  try {
    const started = performance.now();
    const still = await camera.captureStill();
    const ms = Math.round(performance.now() - started);
    writeOwnerOnly(options.out, still.data);
    io.out(
      JSON.stringify({
        file: options.out,
        width: still.width,
        height: still.height,
        bytes: still.data.length,
        ms,
      }),
    );
    return 0;
  } catch (error) {
    io.err(`kiosk camera capture: ${errorCode(error)}: ${(error as Error).message}`);
    return 1;
  } finally {
    await camera.close();
  }
}

/**
 * `kiosk camera liveview --seconds N`: watches the live view as the pose coach would take it
 * (latest frame wins) and prints frames per second, the frame size, how late frames arrive
 * after the camera's timestamp (p50, p95) and how many were dropped, as one JSON object.
 */
export async function cameraLiveView(
  config: Gphoto2CameraConfig,
  options: { scratchDir: string; seconds: number },
  io: CliIO,
): Promise<number> {
  const camera = await openReady(config, options.scratchDir, io);
  if (!camera) return 1;
  const clock = new SystemClock();
  try {
    const view = await camera.startLiveView();
    const late: number[] = [];
    let size = { width: 0, height: 0 };
    const started = performance.now();
    const until = started + options.seconds * 1000;
    try {
      while (performance.now() < until) {
        const frame = await view.next();
        late.push(clock.now() - frame.at);
        size = { width: frame.width, height: frame.height };
      }
    } finally {
      await view.stop();
    }
    const seconds = (performance.now() - started) / 1000;
    late.sort((a, b) => a - b);
    const at = (q: number) => late[Math.min(late.length - 1, Math.floor(q * late.length))] ?? 0;
    io.out(
      JSON.stringify({
        frames: late.length,
        fps: Math.round((late.length / seconds) * 10) / 10,
        ...size,
        lateMs: { p50: at(0.5), p95: at(0.95) },
        dropped: view.dropped,
        maxFps: config.maxFps,
      }),
    );
    return 0;
  } catch (error) {
    io.err(`kiosk camera liveview: ${errorCode(error)}: ${(error as Error).message}`);
    return 1;
  } finally {
    await camera.close();
  }
}

/** Writes `data` to `file` whole or not at all, readable by its owner only. */
function writeOwnerOnly(file: string, data: Buffer): void {
  const temp = `${file}.part`;
  const fd = openSync(temp, 'w', 0o600);
  try {
    writeSync(fd, data);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temp, { force: true });
    throw error;
  }
  closeSync(fd);
  renameSync(temp, file);
}
