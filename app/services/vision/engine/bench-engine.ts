/**
 * Speed figures of the face engine on this machine: live analysis of 640x424 frames with one
 * face (frames per second, latency p50/p95), the analysis of a 6000x4000 JPEG still, and person
 * segmentation of the portrait (the first call, which loads the model, and at 512 and 1024 px).
 */
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import type { FaceAnalysis } from './face-engine.ts';
import { WorkerFaceEngine, type WorkerFaceEngineOptions } from './worker-face-engine.ts';
import type { WorkerReady } from './worker-protocol.ts';

export interface FaceEngineBench {
  readonly backend: string;
  readonly wasm?: WorkerReady['wasm'];
  /** Worker start: model load plus warm-up, ms. */
  readonly startMs: number;
  readonly live: {
    readonly width: number;
    readonly height: number;
    readonly frames: number;
    /** Frames analysed per second, one after the other. */
    readonly fps: number;
    readonly p50Ms: number;
    readonly p95Ms: number;
    readonly maxMs: number;
    /** Mean time in the worker: decoding the JPEG, and the models. */
    readonly meanDecodeMs: number;
    readonly meanInferenceMs: number;
    /** Frames in which exactly one face was found. */
    readonly framesWithOneFace: number;
  };
  readonly still: {
    readonly width: number;
    readonly height: number;
    readonly bytes: number;
    /** Median of the runs, ms, as the caller sees it (decode, scale-down, analysis). */
    readonly ms: number;
    readonly runsMs: readonly number[];
    readonly faces: number;
  };
  /** `segment()` of the portrait as given (JPEG); absent when `segmentRuns` is 0. */
  readonly segment?: {
    readonly model: string;
    readonly width: number;
    readonly height: number;
    /** The first call, ms: loads the segmentation model (and runs it once), at the default maxSide. */
    readonly firstMs: number;
    readonly firstLoadMs: number;
    /** Per `maxSide` (the longer side the model sees): median of the runs, ms, as the caller sees it. */
    readonly bySide: ReadonlyArray<{
      readonly maxSide: number;
      readonly ms: number;
      /** Median time of the model alone, ms. */
      readonly inferenceMs: number;
      readonly runsMs: readonly number[];
    }>;
  };
}

export interface BenchFaceEngineOptions {
  /** A portrait JPEG/PNG with one face (the frames and the still are made from it). */
  readonly portrait: string | Buffer;
  /** Live frames measured (after 5 warm-up frames). Default 60. */
  readonly frames?: number;
  /** Still runs (the median is reported). Default 3. */
  readonly stillRuns?: number;
  /** `segment()` runs per maxSide (the median is reported); 0 skips segmentation. Default 3. */
  readonly segmentRuns?: number;
  /** Engine settings; the figures are for `backend: 'wasm'` (the default here). */
  readonly engine?: WorkerFaceEngineOptions;
}

const LIVE = { width: 640, height: 424 };
const STILL = { width: 6000, height: 4000 };
const SEGMENT_SIDES = [512, 1024];

/** Live-view-like frames: the portrait on a grey backdrop, shifting a few pixels from frame to frame. */
export async function makeLiveFrames(portrait: Buffer, count: number): Promise<Buffer[]> {
  const person = await sharp(portrait).autoOrient().resize({ height: LIVE.height, fit: 'inside' }).toBuffer();
  const { width = 0 } = await sharp(person).metadata();
  const frames: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const shift = (i % 6) - 3;
    frames.push(
      await sharp({ create: { ...LIVE, channels: 3, background: { r: 200, g: 200, b: 196 } } })
        .composite([
          { input: person, left: Math.max(0, Math.round((LIVE.width - width) / 2) + shift), top: 0 },
        ])
        .jpeg({ quality: 85 })
        .toBuffer(),
    );
  }
  return frames;
}

/** A 6000x4000 JPEG like a DSLR still: the portrait scaled up onto a grey backdrop. */
export async function makeLargeStill(portrait: Buffer): Promise<Buffer> {
  const person = await sharp(portrait)
    .autoOrient()
    .resize({ height: STILL.height, fit: 'inside' })
    .toBuffer();
  return sharp({ create: { ...STILL, channels: 3, background: { r: 200, g: 200, b: 196 } } })
    .composite([{ input: person, gravity: 'centre' }])
    .jpeg({ quality: 90 })
    .toBuffer();
}

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
const round1 = (v: number): number => Math.round(v * 10) / 10;

export async function benchFaceEngine(options: BenchFaceEngineOptions): Promise<FaceEngineBench> {
  const portrait = typeof options.portrait === 'string' ? await readFile(options.portrait) : options.portrait;
  const frameCount = options.frames ?? 60;
  const frames = await makeLiveFrames(portrait, Math.min(frameCount, 30));
  const still = await makeLargeStill(portrait);

  const t0 = performance.now();
  const engine = await WorkerFaceEngine.start({ backend: 'wasm', ...options.engine });
  const startMs = performance.now() - t0;
  try {
    for (let i = 0; i < 5; i++) await engine.analyze({ data: frames[i % frames.length]! }, { mode: 'live' });

    const latencies: number[] = [];
    let oneFace = 0;
    let decodeMs = 0;
    let inferenceMs = 0;
    const l0 = performance.now();
    for (let i = 0; i < frameCount; i++) {
      const result: FaceAnalysis = await engine.analyze(
        { data: frames[i % frames.length]! },
        { mode: 'live' },
      );
      latencies.push(result.ms);
      decodeMs += result.timings.decode;
      inferenceMs += result.timings.inference;
      if (result.faces.length === 1) oneFace++;
    }
    const liveElapsed = performance.now() - l0;
    const sorted = [...latencies].sort((a, b) => a - b);

    const runsMs: number[] = [];
    let faces = 0;
    for (let i = 0; i < (options.stillRuns ?? 3); i++) {
      const result = await engine.analyze({ data: still }, { mode: 'still' });
      runsMs.push(result.ms);
      faces = result.faces.length;
    }
    const stillSorted = [...runsMs].sort((a, b) => a - b);

    let segment: FaceEngineBench['segment'];
    const segmentRuns = options.segmentRuns ?? 3;
    if (segmentRuns > 0) {
      const first = await engine.segment({ data: portrait });
      const bySide = [];
      for (const maxSide of SEGMENT_SIDES) {
        const totals: number[] = [];
        const inference: number[] = [];
        for (let i = 0; i < segmentRuns; i++) {
          const mask = await engine.segment({ data: portrait }, { maxSide });
          totals.push(mask.ms);
          inference.push(mask.timings.inference);
        }
        bySide.push({
          maxSide,
          ms: round1(
            percentile(
              [...totals].sort((a, b) => a - b),
              50,
            ),
          ),
          inferenceMs: round1(
            percentile(
              [...inference].sort((a, b) => a - b),
              50,
            ),
          ),
          runsMs: totals,
        });
      }
      segment = {
        model: first.model,
        width: first.width,
        height: first.height,
        firstMs: first.ms,
        firstLoadMs: first.timings.load,
        bySide,
      };
    }

    const info = engine.info!;
    return {
      backend: info.backend,
      ...(info.wasm ? { wasm: info.wasm } : {}),
      startMs: Math.round(startMs),
      live: {
        ...LIVE,
        frames: frameCount,
        fps: round1((frameCount * 1000) / liveElapsed),
        p50Ms: round1(percentile(sorted, 50)),
        p95Ms: round1(percentile(sorted, 95)),
        maxMs: round1(sorted[sorted.length - 1] ?? 0),
        meanDecodeMs: round1(decodeMs / frameCount),
        meanInferenceMs: round1(inferenceMs / frameCount),
        framesWithOneFace: oneFace,
      },
      still: {
        ...STILL,
        bytes: still.length,
        ms: round1(percentile(stillSorted, 50)),
        runsMs,
        faces,
      },
      ...(segment ? { segment } : {}),
    };
  } finally {
    await engine.close();
  }
}
