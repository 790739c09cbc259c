/**
 * libgphoto2's own virtual camera (a PTP Nikon D750 in the `vusb` port driver), built by
 * scripts/build-vcamera.sh into build/vcamera/iolibs/vusb.so with our patch
 * (test/tooling/vcamera/README.md). The tests and `kiosk bench` run the gphoto2 adapter on it;
 * no booth does. This prepares what it serves and tells a child process how to see it: with
 * `env`, libgphoto2 in that process (the gphoto2 CLI, node-gphoto2, the camera child) finds
 * only this camera, on usb:001,001.
 *
 * The camera's state lives in the process that uses it (its card is read once per process), so
 * use it from a child process: a native crash in libgphoto2 then fails one test, not the run.
 */
import { copyFileSync, existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
/** The folder that holds only our vusb.so: libgphoto2's IOLIBS. */
export const vcameraIolibs = path.join(repoRoot, 'build/vcamera/iolibs');
/** The model auto-detect lists (libgphoto2's name for the USB id the camera has). */
export const VIRTUAL_CAMERA_MODEL = 'Nikon DSC D750';
/** The port auto-detect lists it on. */
export const VIRTUAL_CAMERA_PORT = 'usb:001,001';

export type VirtualCameraFault = 'unplug' | 'claim' | null;

export interface VirtualCameraOptions {
  /** A folder the caller owns (made when missing): the card, the live view frames, the fault file. */
  readonly dir: string;
  /** Portrait JPEGs. Each is on the card full-size; the first is what a capture returns. */
  readonly portraits: readonly string[];
  /** Live view frames a second (default 30; 0 = as fast as asked). */
  readonly liveViewFps?: number;
  /** Width of the live view frames made from the portraits (default 640). */
  readonly liveViewWidth?: number;
}

export interface VirtualCamera {
  /** Merge into a child's environment: IOLIBS and the VCAMERA_* variables. */
  readonly env: Record<string, string>;
  /** unplug: detect finds nothing, opening gives -52, calls on an open camera -7 (and that
   * camera stays dead); claim: opening gives -53; null: healthy. Read on every call: live. */
  setFault(kind: VirtualCameraFault): void;
  /** Makes the next captures return this JPEG (full-size), in a child already running too. */
  setCapture(file: string): void;
  /** False, with a reason, when build/vcamera/iolibs/vusb.so has not been built. */
  readonly available: boolean;
  readonly reason?: string;
  /** The camera's card (DCIM/100NIKON/DSC_0001.JPG ...). */
  readonly cardDir: string;
  /** What a capture returns (a copy of the first portrait at first). */
  readonly captureFile: string;
  /** The live view frames, in the order the camera serves them (in turn, from the start). */
  readonly liveViewFrames: readonly string[];
  readonly faultFile: string;
}

export interface Availability {
  available: boolean;
  /** Why not, when not. */
  reason?: string;
}

/** Whether the virtual camera is built; no files are made. */
export function virtualCameraAvailability(): Availability {
  const so = path.join(vcameraIolibs, 'vusb.so');
  if (existsSync(so)) return { available: true };
  return {
    available: false,
    reason: `${path.relative(repoRoot, so)} is not built: run bash scripts/build-vcamera.sh (as root the first time) or npm run setup`,
  };
}

/**
 * Whether the gphoto2 adapter can run on the virtual camera here: the camera built and
 * node-gphoto2 installed and compiled (an optional dependency: it needs libgphoto2-dev and a
 * compiler at install time).
 */
export function gphoto2VirtualCameraAvailability(): Availability {
  const camera = virtualCameraAvailability();
  if (!camera.available) return camera;
  try {
    const manifest = createRequire(import.meta.url).resolve('gphoto2/package.json');
    const addon = path.join(path.dirname(manifest), 'build', 'Release', 'gphoto2.node');
    if (!existsSync(addon))
      return { available: false, reason: `npm gphoto2 is installed but not built (${addon})` };
  } catch {
    return { available: false, reason: 'npm gphoto2 is not installed (npm install, with libgphoto2-dev)' };
  }
  return { available: true };
}

/**
 * Portraits for the virtual camera, made one size (so its live view frames are too) into
 * `dir`: upright, cropped to `size`, baseline JPEG.
 */
export async function virtualCameraPortraits(
  from: readonly string[],
  dir: string,
  size: { width: number; height: number } = { width: 600, height: 800 },
): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  return Promise.all(
    from.map(async (file) => {
      const out = path.join(dir, path.basename(file));
      await sharp(file)
        .rotate()
        .resize(size.width, size.height, { fit: 'cover' })
        .jpeg({ quality: 90 })
        .toFile(out);
      return out;
    }),
  );
}

export async function prepareVirtualCamera(options: VirtualCameraOptions): Promise<VirtualCamera> {
  const { dir, portraits, liveViewFps = 30, liveViewWidth = 640 } = options;
  if (portraits.length === 0) throw new Error('prepareVirtualCamera: give at least one portrait');
  if (!(liveViewFps >= 0)) throw new Error(`prepareVirtualCamera: liveViewFps ${liveViewFps} is not >= 0`);

  // The card: a capture needs a DCIM folder and a JPEG on it.
  const cardDir = path.join(dir, 'card');
  const shots = path.join(cardDir, 'DCIM', '100NIKON');
  mkdirSync(shots, { recursive: true });
  portraits.forEach((portrait, i) =>
    copyFileSync(portrait, path.join(shots, `DSC_${String(i + 1).padStart(4, '0')}.JPG`)),
  );
  const captureFile = path.join(dir, 'capture.jpg');
  copyFileSync(portraits[0]!, captureFile);

  // Live view: smaller frames without metadata (ptp2 cuts a frame at its first JPEG end
  // marker, which an EXIF thumbnail would have), turned upright first.
  const liveViewDir = path.join(dir, 'liveview');
  mkdirSync(liveViewDir, { recursive: true });
  const liveViewFrames = await Promise.all(
    portraits.map(async (portrait, i) => {
      const frame = path.join(liveViewDir, `frame-${String(i).padStart(3, '0')}.jpg`);
      await sharp(portrait)
        .rotate()
        .resize({ width: liveViewWidth, withoutEnlargement: true })
        .jpeg({ quality: 80 })
        .toFile(frame);
      return frame;
    }),
  );

  const faultFile = path.join(dir, 'fault');
  writeFileSync(faultFile, '');

  const env: Record<string, string> = {
    IOLIBS: vcameraIolibs,
    VCAMERA_DIR: cardDir,
    VCAMERA_CAPTURE: captureFile,
    VCAMERA_LIVEVIEW_DIR: liveViewDir,
    VCAMERA_LIVEVIEW_FPS: String(liveViewFps),
    VCAMERA_FAULT_FILE: faultFile,
  };
  return {
    env,
    setFault: (kind) => writeFileSync(faultFile, kind ?? ''),
    setCapture: (file) => {
      // whole or not at all: a capture reads the file by the size it had when it was taken
      copyFileSync(file, `${captureFile}.new`);
      renameSync(`${captureFile}.new`, captureFile);
    },
    ...virtualCameraAvailability(),
    cardDir,
    captureFile,
    liveViewFrames,
    faultFile,
  };
}
