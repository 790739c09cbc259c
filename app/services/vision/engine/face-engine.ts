/**
 * The face-analysis engine's contract: what a caller hands in, what comes back, and the
 * latest-frame-wins runner for live view. The engine itself (`WorkerFaceEngine`) runs the model
 * in a worker thread; everything here is plain data and runs anywhere.
 */

import { BoothError, type VisionCode } from '../../../../core/errors.ts';

/** An image to analyse: encoded (JPEG, PNG, anything sharp reads) or raw RGB, 3 bytes a pixel. */
export type FaceImage =
  | { readonly data: Buffer | Uint8Array }
  | { readonly rgb: Uint8Array; readonly width: number; readonly height: number };

export interface AnalyzeOptions {
  /**
   * `live`: a live-view frame. The engine may reuse the face boxes of the previous live frames
   * (the detector is skipped while the picture barely changes) and never queues frames when
   * used through a `LatestFrameRunner`.
   * `still`: a captured photo. Always a fresh detection; a large photo is scaled down before
   * analysis (coordinates are scaled back to the photo's pixels).
   */
  readonly mode: 'live' | 'still';
}

/** A point in the pixels of the image as given: x to the right, y down, z depth (see `AnalysedFace.mesh`). */
export type Point3 = [x: number, y: number, z: number];
export type Point2 = [x: number, y: number];
/** `[x, y, width, height]` in pixels of the image as given, top-left origin. */
export type Box = [x: number, y: number, width: number, height: number];

/**
 * Head rotation in degrees, 0/0/0 for a head upright and facing the camera. Signs are defined
 * from the person's point of view in an unmirrored camera image (the person faces the camera,
 * so the person's left is on the image's right):
 * - `roll`: positive when the head tilts towards the person's left shoulder, which turns the
 *   face clockwise in the image (as `sharp().rotate(+deg)` does). Measured on the line through
 *   the eye centres.
 * - `yaw`: positive when the person turns the head to their left (the nose points towards the
 *   image's right edge). Mirroring the image flips the sign.
 * - `pitch`: positive when the person lifts the chin (looks up); negative when looking down.
 */
export interface HeadRotation {
  readonly roll: number;
  readonly yaw: number;
  readonly pitch: number;
}

export interface IrisEstimate {
  readonly center: Point2;
  /** Mean distance from the centre to the four iris contour points, in pixels. */
  readonly radius: number;
}

export interface AnalysedFace {
  /**
   * Tight box around the 468 face-mesh points (brow/forehead to chin, cheek to cheek), clipped
   * to the image. The top of the head and the hair are above it.
   */
  readonly box: Box;
  /** Face-mesh confidence 0..1 (that the crop holds a face). */
  readonly score: number;
  /** Detector confidence 0..1 of the box the mesh was run in. */
  readonly detectorScore: number;
  readonly rotation: HeadRotation;
  /**
   * MediaPipe face-mesh points in image pixels: indices 0..467 are the canonical mesh
   * (see `MESH`), 468..472 the person's LEFT iris (centre, then 4 contour points) and
   * 473..477 the person's RIGHT iris, when the iris model ran (478 points), else 468 points.
   * `z` is relative depth in the same pixel scale, smaller = closer to the camera.
   */
  readonly mesh: readonly Point3[];
  /** The person's left and right iris (the person's left eye is on the image's right). */
  readonly iris?: { readonly left: IrisEstimate; readonly right: IrisEstimate };
  /** Named groups of mesh points (`leftEyeUpper0`, `lipsLowerInner`, `silhouette`, ...), human's naming. */
  readonly annotations: Readonly<Record<string, readonly Point3[]>>;
}

export interface FaceAnalysis {
  /** Size of the image as given (after EXIF orientation); all coordinates are in these pixels. */
  readonly width: number;
  readonly height: number;
  readonly mode: 'live' | 'still';
  /** Faces found, largest box first. */
  readonly faces: readonly AnalysedFace[];
  /** The TensorFlow.js backend that ran the models: `wasm` or `tensorflow` (tfjs-node). */
  readonly backend: string;
  /** Time from `analyze()` to the result, in ms, as the caller saw it. */
  readonly ms: number;
  /** Where the time went inside the worker, in ms. */
  readonly timings: { readonly decode: number; readonly inference: number };
  /** Factor the image was scaled by before the models saw it (1 = not scaled). */
  readonly analysisScale: number;
}

export interface SegmentOptions {
  /**
   * The image is scaled down so its longer side is at most this before the segmentation model
   * sees it (the mask is scaled back up to the image's size). Larger is slower; the default is
   * the engine's setting (512 px for `WorkerFaceEngine`).
   */
  readonly maxSide?: number;
}

/** Where the person is in an image: a soft mask for backdrop replacement and finding the top of the head. */
export interface PersonMask {
  /** Size of the image as given (after EXIF orientation): the mask has one byte per pixel of it. */
  readonly width: number;
  readonly height: number;
  /**
   * Person probability 0..255 (255 = person, 0 = backdrop), one byte per pixel, row-major, in
   * the pixels of the image as given (after EXIF orientation). Soft at the edges: hair strands
   * are partly transparent.
   */
  readonly alpha: Uint8Array;
  /** Time from `segment()` to the result, in ms, as the caller saw it. */
  readonly ms: number;
  /** The segmentation model that made the mask (`rvm`, `selfie`, `meet`). */
  readonly model: string;
  /**
   * Where the time went inside the worker, in ms: decoding (and scaling down), loading the model
   * (the first call only, else 0), the model, and scaling the mask up to the image's size.
   */
  readonly timings: {
    readonly decode: number;
    readonly load: number;
    readonly inference: number;
    readonly resize: number;
  };
}

export interface FaceEngine {
  analyze(image: FaceImage, options: AnalyzeOptions): Promise<FaceAnalysis>;
  /**
   * Person segmentation of a still (backdrop replacement, the top of the head). The model is
   * loaded on the first call, so face analysis alone never pays for it.
   */
  segment(image: FaceImage, options?: SegmentOptions): Promise<PersonMask>;
  /** Frees the engine (ends its worker). Calls after this reject with `engine-closed`. */
  close(): Promise<void>;
}

/**
 * The registry's `vision` codes (core/errors.ts): `image-corrupt` (not an image sharp can read),
 * `image-invalid` (a raw RGB input whose size does not match, or an empty image),
 * `engine-start-failed` (models not loaded, backend not started, or the segmentation model did
 * not load), `engine-crashed` (the worker died during the call; restarted on the next),
 * `engine-timeout` (longer than the engine's timeout; the worker is restarted), `engine-closed`,
 * `analysis-failed`.
 */
export type FaceEngineErrorCode = VisionCode;

export class FaceEngineError extends BoothError<FaceEngineErrorCode> {
  constructor(code: FaceEngineErrorCode, message: string) {
    super(code, message);
    this.name = 'FaceEngineError';
  }
}

/**
 * Indices of well-known points of the 468-point MediaPipe face mesh. "left"/"right" are the
 * person's: the person's left eye is on the image's right.
 */
export const MESH = {
  foreheadTop: 10,
  chin: 152,
  noseTip: 1,
  betweenEyes: 168,
  rightCheekEdge: 234,
  leftCheekEdge: 454,
  rightEyeOuter: 33,
  rightEyeInner: 133,
  rightEyeUpperLid: 159,
  rightEyeLowerLid: 145,
  leftEyeOuter: 263,
  leftEyeInner: 362,
  leftEyeUpperLid: 386,
  leftEyeLowerLid: 374,
  mouthLeft: 291,
  mouthRight: 61,
  upperLipInner: 13,
  lowerLipInner: 14,
  upperLipOuter: 0,
  lowerLipOuter: 17,
  /** Iris points exist only in a 478-point mesh: centre, then 4 contour points. */
  leftIrisCenter: 468,
  rightIrisCenter: 473,
} as const;

/** What happened to one frame handed to a `LatestFrameRunner`. */
export type LatestFrameOutcome<T> =
  | { readonly status: 'analysed'; readonly result: T }
  /** A newer frame arrived before this one could start, so it was never analysed. */
  | { readonly status: 'dropped' };

export interface LatestFrameStats {
  readonly submitted: number;
  readonly analysed: number;
  readonly dropped: number;
  readonly failed: number;
}

/**
 * Latest frame wins: at most one analysis runs, and at most one frame waits. A frame that
 * arrives while another is waiting replaces it; the replaced frame's promise resolves
 * `{ status: 'dropped' }` and is counted. So a slow analysis never builds a queue, and the next
 * analysis always starts on the newest frame. A failed analysis rejects only its own promise.
 */
export class LatestFrameRunner<I, O> {
  #running = false;
  #waiting:
    { input: I; resolve: (o: LatestFrameOutcome<O>) => void; reject: (e: unknown) => void } | undefined;
  #submitted = 0;
  #analysed = 0;
  #dropped = 0;
  #failed = 0;
  #idleWaiters: Array<() => void> = [];

  constructor(private readonly run: (input: I) => Promise<O>) {}

  get stats(): LatestFrameStats {
    return {
      submitted: this.#submitted,
      analysed: this.#analysed,
      dropped: this.#dropped,
      failed: this.#failed,
    };
  }

  get busy(): boolean {
    return this.#running;
  }

  submit(input: I): Promise<LatestFrameOutcome<O>> {
    this.#submitted++;
    return new Promise((resolve, reject) => {
      if (!this.#running) {
        this.#start(input, resolve, reject);
        return;
      }
      if (this.#waiting) {
        this.#dropped++;
        this.#waiting.resolve({ status: 'dropped' });
      }
      this.#waiting = { input, resolve, reject };
    });
  }

  /** Resolves when nothing runs and nothing waits. */
  idle(): Promise<void> {
    if (!this.#running && !this.#waiting) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Drops the waiting frame, if any (the running analysis finishes normally). */
  clear(): void {
    if (!this.#waiting) return;
    this.#dropped++;
    this.#waiting.resolve({ status: 'dropped' });
    this.#waiting = undefined;
  }

  #start(input: I, resolve: (o: LatestFrameOutcome<O>) => void, reject: (e: unknown) => void): void {
    this.#running = true;
    let work: Promise<O>;
    try {
      work = this.run(input);
    } catch (error) {
      work = Promise.reject(error);
    }
    work.then(
      (result) => {
        this.#analysed++;
        resolve({ status: 'analysed', result });
        this.#next();
      },
      (error: unknown) => {
        this.#failed++;
        reject(error);
        this.#next();
      },
    );
  }

  #next(): void {
    this.#running = false;
    const waiting = this.#waiting;
    this.#waiting = undefined;
    if (waiting) {
      this.#start(waiting.input, waiting.resolve, waiting.reject);
      return;
    }
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const w of waiters) w();
  }
}

/** A latest-frame-wins front for an engine's live analysis. */
export function liveRunner(engine: FaceEngine): LatestFrameRunner<FaceImage, FaceAnalysis> {
  return new LatestFrameRunner((image) => engine.analyze(image, { mode: 'live' }));
}
