/**
 * A booth stand-in for the supervision test: opens a Gphoto2Camera on the fake camera child
 * ($FAKE_CAMERA_STATE) and prints the child's pid, then waits to be killed.
 */
import { SystemClock } from '../../../core/clock.ts';
import { Gphoto2Camera } from '../../../hardware/camera/gphoto2/adapter/gphoto2-camera.ts';

const camera = new Gphoto2Camera({
  clock: new SystemClock(),
  scratchDir: process.argv[2]!,
  childScript: new URL('./fake-camera-child.ts', import.meta.url),
  maxFps: 10,
  captureTimeoutMs: 2000,
  focusRetries: 0,
});
await camera.open();
process.stdout.write(`${camera.childPid}\n`);
setInterval(() => {}, 1000);
