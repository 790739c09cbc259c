import { createRequire } from 'node:module';
import { describeGpResult } from './gphoto2-result.ts';

/**
 * node-gphoto2 (npm `gphoto2` 0.3.2, a NAN addon over libgphoto2) as the camera child uses it.
 * Only the child loads it: a crash in the addon or in libgphoto2 kills the process it is in.
 *
 * Its quirks, read from its source (src/camera.cc, src/camera_helpers.cc):
 * - every call answers `(code)` on failure, a bare libgphoto2 number, never an Error;
 * - `list()` answers the cameras only (no error), each a fresh Camera object; a Camera object
 *   of a camera that was unplugged keeps failing (-1) after it is back, so after a loss the
 *   child is replaced rather than the object reused;
 * - there is no close: the USB interface is released when the process ends;
 * - `takePicture({ preview: true })` hands data back only through a file (`targetPath`, a
 *   mkstemp template) or a socket; without one it leaks the frame and answers an empty path.
 *   The file is left behind when the call fails, so the child's folder is its own and is
 *   removed with the child;
 * - `takePicture({ download: true })` downloads the still into memory and, with `keep: false`,
 *   deletes it from the camera (no customer's photo stays on the card).
 */

type Callback<T> = (error: number | undefined, value: T) => void;

/** The addon's Camera object (what `list()` gives). */
interface AddonCamera {
  readonly model: string;
  readonly port: string;
  takePicture(options: Record<string, unknown>, callback: Callback<string | Buffer>): void;
  getConfig(simple: boolean, callback: Callback<unknown>): void;
  setConfigValue(key: string, value: string | number, callback: (error?: number) => void): void;
}

interface AddonGPhoto2 {
  list(callback: (cameras: AddonCamera[]) => void): void;
  setLogLevel(level: number): void;
  on(event: 'log', listener: (level: number, domain: string, message: string) => void): void;
}

interface Addon {
  GPhoto2: new () => AddonGPhoto2;
}

/** A libgphoto2 call's outcome: failures are values here, with libgphoto2's code. */
export type GpOutcome<T> = { ok: true; value: T } | { ok: false; gpCode: number; message: string };

/** One camera as the child drives it. */
export interface CameraHandle {
  readonly model: string;
  readonly port: string;
  /** One live-view frame into a new file made from `template` (ending in XXXXXX); its path. */
  preview(template: string): Promise<GpOutcome<string>>;
  /** Trigger, download into memory, delete from the camera. */
  capture(): Promise<GpOutcome<Buffer>>;
  /** The configuration tree, simplified (see camera-summary.ts). */
  config(): Promise<GpOutcome<unknown>>;
  /** Sets one config value by its name (`f-number`, `iso`…), as the camera lists its choices. */
  setSetting(key: string, value: string | number): Promise<GpOutcome<void>>;
}

export interface CameraLibrary {
  /** The cameras on the bus now, each a fresh handle. */
  list(): Promise<CameraHandle[]>;
}

function outcome<T>(code: number | undefined, value: T, what: string): GpOutcome<T> {
  if (code === undefined || code === 0) return { ok: true, value };
  return { ok: false, gpCode: code, message: `${what}: ${describeGpResult(code)}` };
}

function wrapCamera(camera: AddonCamera): CameraHandle {
  return {
    model: camera.model,
    port: camera.port,
    preview: (template) =>
      new Promise((resolve) =>
        camera.takePicture({ preview: true, targetPath: template }, (code, path) =>
          resolve(outcome(code, String(path), 'live-view frame')),
        ),
      ),
    capture: () =>
      new Promise((resolve) =>
        camera.takePicture({ download: true, keep: false }, (code, data) => {
          const result = outcome(code, data, 'capture');
          if (result.ok && !Buffer.isBuffer(result.value))
            resolve({ ok: false, gpCode: -1, message: 'capture: the camera handed over no image data' });
          else resolve(result as GpOutcome<Buffer>);
        }),
      ),
    config: () =>
      new Promise((resolve) =>
        camera.getConfig(true, (code, tree) => resolve(outcome(code, tree, 'config'))),
      ),
    setSetting: (key, value) =>
      new Promise((resolve) =>
        camera.setConfigValue(key, value, (code) => resolve(outcome(code, undefined, `setting ${key}`))),
      ),
  };
}

/**
 * Loads the addon. Throws when it is not installed or was not built (npm `gphoto2` needs
 * Debian's libgphoto2-dev and a compiler at install time).
 */
export function loadCameraLibrary(options: { logLevel?: number; log?: (line: string) => void } = {}) {
  const require = createRequire(import.meta.url);
  const addon = require('gphoto2') as Addon;
  const gphoto = new addon.GPhoto2();
  if (options.logLevel !== undefined && options.logLevel >= 0) {
    gphoto.setLogLevel(options.logLevel);
    const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
    gphoto.on('log', (level, domain, message) => log(`gphoto2[${level}] ${domain}: ${message}`));
  }
  const library: CameraLibrary = {
    list: () => new Promise((resolve) => gphoto.list((cameras) => resolve(cameras.map(wrapCamera)))),
  };
  return library;
}
