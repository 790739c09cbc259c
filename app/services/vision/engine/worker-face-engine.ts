/**
 * `WorkerFaceEngine`: the main thread's side of the face-analysis engine. The model runs in a
 * worker thread (`human-worker.ts`), never on the thread that serves the UI or the flow; this
 * class only posts images and waits for answers. A worker that dies or hangs is ended and
 * started again on the next call; the calls it had reject with a `FaceEngineError`.
 */
import { Worker } from 'node:worker_threads';
import {
  FaceEngineError,
  type AnalyzeOptions,
  type FaceAnalysis,
  type FaceEngine,
  type FaceEngineErrorCode,
  type FaceImage,
  type PersonMask,
  type SegmentOptions,
} from './face-engine.ts';
import type { LiveCheck, LiveCheckRequest, LiveFrameChecker } from './live-check.ts';
import type { WorkerLiveCheck } from './live-check.ts';
import type {
  EngineWorkerSettings,
  FromWorker,
  ToWorker,
  WireImage,
  WorkerAnalysis,
  WorkerMask,
  WorkerReady,
  WorkerStats,
} from './worker-protocol.ts';
import { workerEntry } from './worker-entry.ts';

export interface WorkerFaceEngineOptions extends Partial<
  Omit<EngineWorkerSettings, 'maxSide' | 'live' | 'rotation' | 'iris' | 'segmentation'>
> {
  readonly maxSide?: Partial<EngineWorkerSettings['maxSide']>;
  readonly segmentation?: Partial<EngineWorkerSettings['segmentation']>;
  readonly rotation?: Partial<EngineWorkerSettings['rotation']>;
  readonly iris?: Partial<EngineWorkerSettings['iris']>;
  readonly live?: Partial<EngineWorkerSettings['live']>;
  /**
   * A call that takes longer is rejected with `engine-timeout` and the worker is restarted.
   * `segment()` has the `still` timeout.
   */
  readonly timeoutMs?: { readonly live?: number; readonly still?: number; readonly start?: number };
  /** Receives what tfjs and human print to the console in the worker; dropped when unset. */
  readonly onWorkerOutput?: (text: string, level: string) => void;
}

export const DEFAULT_ENGINE_SETTINGS: EngineWorkerSettings = {
  backend: 'auto',
  // Mesh and iris run on fixed-size crops (192 and 64 px), so a larger image only costs time.
  maxSide: { live: 1280, still: 1600 },
  liveDetector: 'short-range',
  maxDetected: 5,
  minConfidence: 0.5,
  // Live: no upright rotation of the crop (it costs a rotation of the whole frame per face; roll
  // stays right to about ±20°, beyond it is under-read but still clearly tilted). Still: exact.
  rotation: { live: false, still: true },
  iris: { live: true, still: true },
  live: { cacheSensitivity: 0.7, skipFrames: 10, skipTime: 1000 },
  // RVM keeps hair and leaves no patches of a busy background (selfie and meet do not); at 512 px
  // it takes ~0.5 s on wasm, 1024 px ~0.7 s (the mask is scaled up to the image's size).
  segmentation: { model: 'rvm', maxSide: 512 },
};

/** Bounds of `SegmentOptions.maxSide`. */
const SEGMENT_SIDE = { min: 64, max: 4096 };

const DEFAULT_TIMEOUTS = { live: 10_000, still: 60_000, start: 120_000 };

interface Pending {
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: FaceEngineError) => void;
  readonly timer: NodeJS.Timeout;
}

interface Running {
  readonly worker: Worker;
  readonly ready: Promise<WorkerReady>;
  readonly pending: Map<number, Pending>;
  /** Why the worker is being ended, for the calls it still had. */
  endReason?: { code: FaceEngineErrorCode; message: string };
}

export class WorkerFaceEngine implements FaceEngine, LiveFrameChecker {
  readonly settings: EngineWorkerSettings;
  readonly #timeouts: typeof DEFAULT_TIMEOUTS;
  readonly #onOutput: ((text: string, level: string) => void) | undefined;
  #running: Running | undefined;
  #info: WorkerReady | undefined;
  #nextId = 1;
  #closed = false;
  #starts = 0;

  constructor(options: WorkerFaceEngineOptions = {}) {
    const { maxSide, rotation, iris, live, segmentation, timeoutMs, onWorkerOutput, ...rest } = options;
    this.settings = {
      ...DEFAULT_ENGINE_SETTINGS,
      ...rest,
      maxSide: { ...DEFAULT_ENGINE_SETTINGS.maxSide, ...maxSide },
      rotation: { ...DEFAULT_ENGINE_SETTINGS.rotation, ...rotation },
      iris: { ...DEFAULT_ENGINE_SETTINGS.iris, ...iris },
      live: { ...DEFAULT_ENGINE_SETTINGS.live, ...live },
      segmentation: { ...DEFAULT_ENGINE_SETTINGS.segmentation, ...segmentation },
    };
    checkSegmentSide(this.settings.segmentation.maxSide);
    this.#timeouts = { ...DEFAULT_TIMEOUTS, ...timeoutMs };
    this.#onOutput = onWorkerOutput;
  }

  /** Starts an engine and waits until its models are loaded and warmed up. */
  static async start(options: WorkerFaceEngineOptions = {}): Promise<WorkerFaceEngine> {
    const engine = new WorkerFaceEngine(options);
    try {
      await engine.start();
    } catch (error) {
      await engine.close();
      throw error;
    }
    return engine;
  }

  /** What the running worker reported when it became ready (backend, versions, load and warm-up time). */
  get info(): WorkerReady | undefined {
    return this.#info;
  }

  /** How often a dead or hung worker was replaced. */
  get restarts(): number {
    return Math.max(0, this.#starts - 1);
  }

  /** Starts the worker (load models, warm up) unless it runs. Idempotent. */
  start(): Promise<WorkerReady> {
    if (this.#closed)
      return Promise.reject(new FaceEngineError('engine-closed', 'the face engine was closed'));
    return this.#ensure().ready;
  }

  async analyze(image: FaceImage, options: AnalyzeOptions): Promise<FaceAnalysis> {
    const t0 = performance.now();
    const wire = toWire(image);
    const analysis = await this.#call(
      (id) => ({ type: 'analyze', id, mode: options.mode, image: wire }),
      transferOf(wire),
      this.#timeouts[options.mode],
    );
    return { ...(analysis as WorkerAnalysis), ms: Math.round((performance.now() - t0) * 10) / 10 };
  }

  /**
   * A live frame analysed and checked in the worker: decoded there once, the pixel checks run on
   * those pixels, and only the report comes back (see `LiveFrameChecker`).
   */
  async checkLive(image: FaceImage, request: LiveCheckRequest): Promise<LiveCheck> {
    const t0 = performance.now();
    const wire = toWire(image);
    const check = await this.#call(
      (id) => ({ type: 'check-live', id, image: wire, request }),
      transferOf(wire),
      this.#timeouts.live,
    );
    return { ...(check as WorkerLiveCheck), ms: Math.round((performance.now() - t0) * 10) / 10 };
  }

  /**
   * Person mask of an image, at the image's size (see `PersonMask`). Runs in the worker like
   * `analyze()` (one call at a time: a live frame waits while a mask is made). The first call
   * loads the segmentation model; a model that does not load rejects with `engine-start-failed`
   * (the worker keeps running, face analysis is unaffected, and the next call tries again).
   */
  async segment(image: FaceImage, options: SegmentOptions = {}): Promise<PersonMask> {
    const t0 = performance.now();
    const maxSide = options.maxSide ?? this.settings.segmentation.maxSide;
    checkSegmentSide(maxSide);
    const wire = toWire(image);
    const mask = await this.#call(
      (id) => ({ type: 'segment', id, maxSide, image: wire }),
      transferOf(wire),
      this.#timeouts.still,
    );
    return { ...(mask as WorkerMask), ms: Math.round((performance.now() - t0) * 10) / 10 };
  }

  /** Counters and tfjs memory of the worker (for leak checks and diagnostics). */
  async stats(): Promise<WorkerStats> {
    return (await this.#call((id) => ({ type: 'stats', id }), [], this.#timeouts.live)) as WorkerStats;
  }

  async close(): Promise<void> {
    this.#closed = true;
    const running = this.#running;
    if (!running) return;
    this.#end(running, 'engine-closed', 'the face engine was closed');
    await running.worker.terminate();
  }

  async #call(make: (id: number) => ToWorker, transfer: ArrayBuffer[], timeoutMs: number): Promise<unknown> {
    if (this.#closed) throw new FaceEngineError('engine-closed', 'the face engine was closed');
    const running = this.#ensure();
    await running.ready;
    if (running !== this.#running)
      throw new FaceEngineError('engine-crashed', 'the face engine worker stopped');
    const id = this.#nextId++;
    const message = make(id);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const what = message.type === 'segment' ? 'person segmentation' : 'face analysis';
        this.#end(running, 'engine-timeout', `${what} took longer than ${timeoutMs} ms`);
        running.worker.terminate().catch(() => {}); // the worker is being given up on either way
      }, timeoutMs);
      running.pending.set(id, { resolve, reject, timer });
      running.worker.ref();
      running.worker.postMessage(message, transfer);
    });
  }

  #ensure(): Running {
    if (this.#running) return this.#running;
    const { script, eval: isEval } = workerEntry(new URL('./human-worker.ts', import.meta.url));
    this.#starts++;
    const worker = new Worker(script, { eval: isEval, workerData: this.settings });
    const onOutput = this.#onOutput;

    let started = false;
    let settleReady!: { resolve: (r: WorkerReady) => void; reject: (e: FaceEngineError) => void };
    const ready = new Promise<WorkerReady>((resolve, reject) => {
      settleReady = { resolve, reject };
    });
    ready.catch(() => {}); // observed by callers; never an unhandled rejection here
    const running: Running = { worker, ready, pending: new Map() };
    this.#running = running;

    /** The worker is gone or going: a start that had not finished failed; calls in flight fail. */
    const lost = (code: FaceEngineErrorCode, message: string): void => {
      clearTimeout(startTimer);
      if (!started) {
        started = true;
        settleReady.reject(
          new FaceEngineError('engine-start-failed', `the face engine did not start: ${message}`),
        );
      }
      this.#end(running, code, message);
    };
    const startTimer = setTimeout(() => {
      lost('engine-start-failed', `no answer in ${this.#timeouts.start} ms`);
      worker.terminate().catch(() => {}); // the worker is being given up on either way
    }, this.#timeouts.start);

    worker.on('message', (message: FromWorker) => {
      switch (message.type) {
        case 'log':
          onOutput?.(message.text, message.level);
          return;
        case 'ready': {
          clearTimeout(startTimer);
          started = true;
          const { type: _type, ...info } = message;
          this.#info = info;
          settleReady.resolve(info);
          this.#idle(running);
          return;
        }
        case 'start-failed':
          lost('engine-start-failed', message.message);
          worker.terminate().catch(() => {}); // the worker is being given up on either way
          return;
        case 'result':
        case 'checked':
        case 'mask':
        case 'stats':
        case 'error': {
          const call = running.pending.get(message.id);
          if (!call) return;
          running.pending.delete(message.id);
          clearTimeout(call.timer);
          if (message.type === 'error') call.reject(new FaceEngineError(message.code, message.message));
          else if (message.type === 'result') call.resolve(message.analysis);
          else if (message.type === 'checked') call.resolve(message.check);
          else if (message.type === 'mask') call.resolve(message.mask);
          else call.resolve(message.stats);
          this.#idle(running);
          return;
        }
      }
    });
    worker.on('error', (error) => lost('engine-crashed', `the face engine worker failed: ${error.message}`));
    worker.on('exit', (code) => lost('engine-crashed', `the face engine worker exited (code ${code})`));
    return running;
  }

  /** Rejects the worker's calls and forgets it, so the next call starts a new one. */
  #end(running: Running, code: FaceEngineErrorCode, message: string): void {
    running.endReason ??= { code, message };
    for (const [id, call] of running.pending) {
      clearTimeout(call.timer);
      running.pending.delete(id);
      call.reject(new FaceEngineError(running.endReason.code, running.endReason.message));
    }
    if (this.#running === running) this.#running = undefined;
  }

  /** An idle worker does not keep the process alive. */
  #idle(running: Running): void {
    if (running.pending.size === 0) running.worker.unref();
  }
}

function checkSegmentSide(maxSide: number): void {
  if (!Number.isInteger(maxSide) || maxSide < SEGMENT_SIDE.min || maxSide > SEGMENT_SIDE.max) {
    throw new RangeError(
      `segmentation maxSide must be an integer from ${SEGMENT_SIDE.min} to ${SEGMENT_SIDE.max}, got ${maxSide}`,
    );
  }
}

/** The buffer that moves to the worker with a wire image (transferred, so never copied on the way). */
function transferOf(wire: WireImage): ArrayBuffer[] {
  return [(wire.kind === 'encoded' ? wire.data.buffer : wire.rgb.buffer) as ArrayBuffer];
}

/**
 * Copies the caller's bytes into a buffer of their own, which is then moved (not copied) to the
 * worker. The caller's buffer cannot be moved itself: a live frame is shown on the screen after
 * it is coached, and a small Buffer shares Node's pool with others.
 */
function toWire(image: FaceImage): WireImage {
  if ('rgb' in image) {
    return { kind: 'rgb', rgb: new Uint8Array(image.rgb), width: image.width, height: image.height };
  }
  if (!(image.data instanceof Uint8Array)) {
    throw new FaceEngineError('image-invalid', 'image.data must be a Buffer or Uint8Array');
  }
  return { kind: 'encoded', data: new Uint8Array(image.data) };
}
