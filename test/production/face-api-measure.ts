/**
 * An independent face detector for checking the booth's output: `@vladmandic/face-api` (SSD
 * MobileNet v1 + the 68-point landmark net), which the product does not use (it runs
 * `@vladmandic/human`). Runs on the tfjs wasm backend without tfjs-node, with the wasm binaries
 * and the models read from node_modules (never a URL); images are decoded with sharp.
 *
 * face-api's node-wasm build bundles nothing of tfjs: it requires `@tensorflow/tfjs` and
 * `@tensorflow/tfjs-backend-wasm` (CommonJS). It is loaded with `require` so it and its tfjs are
 * one CommonJS module graph, never mixed with an ESM copy of tfjs-core (whose engine would be a
 * different one). Do not import this next to anything that loads human on the same thread: each
 * brings its own tfjs. The production engine runs human in a worker thread, so that is fine.
 *
 * face-api declares no dependencies: `@tensorflow/tfjs` is here only because the optional
 * `@tensorflow/tfjs-node` depends on it (see `npm ls @tensorflow/tfjs`), so `load` says so
 * plainly when it is missing.
 *
 * Also here: `topOfPersonPx`, the top of the hair read from a plain backdrop's pixels.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import sharp from 'sharp';
import type * as FaceApi from '@vladmandic/face-api/dist/face-api.node-wasm.js';

const require = createRequire(import.meta.url);

/** The tfjs calls used here that face-api's typings of `faceapi.tf` leave out. */
interface TfRuntime {
  setWasmPaths(prefix: string): void;
  setBackend(name: string): Promise<boolean>;
  ready(): Promise<void>;
  getBackend(): string;
  readonly version_core: string;
}

export interface Pt {
  readonly x: number;
  readonly y: number;
}

/** One face found by face-api, in the image's pixels (top-left origin). */
export interface FaceApiFace {
  readonly score: number;
  readonly box: { readonly x: number; readonly y: number; readonly width: number; readonly height: number };
  /** The 68 iBUG points: 0-16 jaw (8 the chin), 36-41 the person's right eye, 42-47 the left. */
  readonly landmarks: readonly Pt[];
}

export interface FaceApiDetection {
  readonly width: number;
  readonly height: number;
  readonly faces: readonly FaceApiFace[];
}

export interface FaceApiDetector {
  readonly backend: string;
  readonly versions: { readonly faceApi: string; readonly tfjs: string };
  readonly loadMs: number;
  /** Faces in a JPEG/PNG (EXIF-oriented), highest score first. */
  detect(image: Buffer): Promise<FaceApiDetection>;
}

let loading: Promise<FaceApiDetector> | undefined;

/** face-api on wasm with SSD MobileNet v1 and the 68-point landmarks loaded (once per process). */
export function loadFaceApi(options: { minConfidence?: number } = {}): Promise<FaceApiDetector> {
  loading ??= load(options.minConfidence ?? 0.3);
  return loading;
}

async function load(minConfidence: number): Promise<FaceApiDetector> {
  const t0 = performance.now();
  try {
    require.resolve('@tensorflow/tfjs');
  } catch {
    throw new Error(
      'face-api cannot run: its node-wasm build requires @tensorflow/tfjs, which is not installed ' +
        '(it comes only with the optional @tensorflow/tfjs-node; add @tensorflow/tfjs@4.22.0 as a devDependency)',
    );
  }
  const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js') as typeof FaceApi;
  const tf = faceapi.tf as unknown as TfRuntime & typeof faceapi.tf;
  const wasmDir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
  tf.setWasmPaths(wasmDir + path.sep); // a directory on disk: the backend reads the binaries with fs
  if (!(await tf.setBackend('wasm'))) throw new Error('face-api: the tfjs wasm backend did not start');
  await tf.ready();
  if (tf.getBackend() !== 'wasm') throw new Error(`face-api: backend is ${tf.getBackend()}, not wasm`);
  const modelDir = path.join(path.dirname(require.resolve('@vladmandic/face-api/package.json')), 'model');
  await faceapi.nets.ssdMobilenetv1.loadFromDisk(modelDir);
  await faceapi.nets.faceLandmark68Net.loadFromDisk(modelDir);
  const detectorOptions = new faceapi.SsdMobilenetv1Options({ minConfidence, maxResults: 10 });

  const detect = async (image: Buffer): Promise<FaceApiDetection> => {
    const { data, info } = await sharp(image)
      .autoOrient()
      .removeAlpha()
      .toColourspace('srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    const input = tf.tensor3d(
      new Int32Array(new Uint8Array(data.buffer, data.byteOffset, data.length)),
      [info.height, info.width, 3],
      'int32',
    );
    try {
      const found = await faceapi.detectAllFaces(input, detectorOptions).withFaceLandmarks();
      const faces = found
        .map((f) => ({
          score: f.detection.score,
          box: {
            x: f.detection.box.x,
            y: f.detection.box.y,
            width: f.detection.box.width,
            height: f.detection.box.height,
          },
          landmarks: f.landmarks.positions.map((p) => ({ x: p.x, y: p.y })),
        }))
        .sort((a, b) => b.score - a.score);
      return { width: info.width, height: info.height, faces };
    } finally {
      input.dispose();
    }
  };

  // One pass on a blank image compiles the wasm kernels, so the first real detection is not slow.
  await detect(
    await sharp({ create: { width: 64, height: 64, channels: 3, background: '#808080' } })
      .png()
      .toBuffer(),
  );
  return {
    backend: tf.getBackend(),
    versions: { faceApi: faceapi.version, tfjs: tf.version_core },
    loadMs: Math.round(performance.now() - t0),
    detect,
  };
}

const mean = (points: readonly Pt[]): Pt => ({
  x: points.reduce((s, p) => s + p.x, 0) / points.length,
  y: points.reduce((s, p) => s + p.y, 0) / points.length,
});

/** The landmarks an ID photo's geometry is measured from, in image pixels. */
export function idPhotoPoints(face: FaceApiFace): {
  /** Centre of the person's right eye (image left): mean of landmarks 36-41. */
  rightEye: Pt;
  /** Centre of the person's left eye (image right): mean of landmarks 42-47. */
  leftEye: Pt;
  /** Landmark 8, the lowest jaw point. */
  chin: Pt;
  /** Half-way between the jaw's ends (landmarks 0 and 16), beside the ears. */
  faceCentre: Pt;
} {
  const lm = face.landmarks;
  if (lm.length !== 68) throw new Error(`expected 68 landmarks, got ${lm.length}`);
  return {
    rightEye: mean(lm.slice(36, 42)),
    leftEye: mean(lm.slice(42, 48)),
    chin: lm[8]!,
    faceCentre: mean([lm[0]!, lm[16]!]),
  };
}

/**
 * The highest row (image pixels, from the top) where the person starts in a band of columns,
 * found from the pixels alone: the first row, scanning down, in which a run of `minRun` adjacent
 * pixels inside `[left, right]` all differ from the backdrop by more than `threshold` (RGB
 * distance). The backdrop colour is the mean of the photo's two top corners (`corner` px square).
 * Meant for photos whose backdrop was replaced by a plain colour; null when no row qualifies.
 */
export async function topOfPersonPx(
  photo: Buffer,
  band: { left: number; right: number },
  options: { threshold?: number; minRun?: number; corner?: number } = {},
): Promise<{ row: number; backdrop: readonly [number, number, number] } | null> {
  const threshold = options.threshold ?? 60;
  const minRun = options.minRun ?? 3;
  const corner = options.corner ?? 8;
  const { data, info } = await sharp(photo)
    .autoOrient()
    .removeAlpha()
    .toColourspace('srgb')
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  const { width, height } = info;
  const at = (x: number, y: number, c: number) => data[(y * width + x) * 3 + c]!;
  const sum = [0, 0, 0];
  for (let y = 0; y < corner; y++) {
    for (const x0 of [0, width - corner]) {
      for (let x = x0; x < x0 + corner; x++) for (let c = 0; c < 3; c++) sum[c]! += at(x, y, c);
    }
  }
  const n = 2 * corner * corner;
  const backdrop = [sum[0]! / n, sum[1]! / n, sum[2]! / n] as const;
  const left = Math.max(0, Math.floor(band.left));
  const right = Math.min(width - 1, Math.ceil(band.right));
  for (let y = 0; y < height; y++) {
    let run = 0;
    for (let x = left; x <= right; x++) {
      const d = Math.hypot(at(x, y, 0) - backdrop[0], at(x, y, 1) - backdrop[1], at(x, y, 2) - backdrop[2]);
      run = d > threshold ? run + 1 : 0;
      if (run >= minRun) return { row: y, backdrop };
    }
  }
  return null;
}
