/** One face analysis in the worker: decode, run human, and turn its faces into the engine's. */
import type { FaceResult, Result } from '@vladmandic/human';
import { decode, type Decoded } from './decode-image.ts';
import { FaceEngineError } from './face-engine.ts';
import { modeConfig } from './human-config.ts';
import type { Runtime } from './human-runtime.ts';
import { toAnalysedFace } from './mesh-face.ts';
import type { EngineWorkerSettings, WireImage, WorkerAnalysis } from './worker-protocol.ts';
import { round1 } from './worker-wording.ts';

export class FaceAnalyser {
  /** After a still, the next live frame runs the detector (the cached boxes belong to the still). */
  #detectNextLive = true;

  constructor(
    private readonly runtime: Runtime,
    private readonly settings: EngineWorkerSettings,
  ) {}

  /** The models' input as floats, kept from frame to frame: tfjs copies it into its own memory. */
  #floats: Float32Array | undefined;

  /**
   * The pixels as floats, in one array reused while the frame size stays (a 640x424 frame is
   * 3.3 MB of floats: a fresh one per frame kept the garbage collector busy), filled by the
   * typed array's own conversion (the same values as a loop, ~0.4 ms instead of ~2.6).
   */
  #asFloats(rgb: Uint8Array): Float32Array {
    if (this.#floats?.length !== rgb.length) this.#floats = new Float32Array(rgb.length);
    this.#floats.set(rgb);
    return this.#floats;
  }

  /** Images decoded so far: one per `analyze()` (`analyzeDecoded()` reuses the caller's). */
  decodes = 0;

  /** Decodes an image at the mode's size, as `analyze()` does; for callers that need the pixels too. */
  async decode(mode: 'live' | 'still', image: WireImage): Promise<{ decoded: Decoded; ms: number }> {
    const t0 = performance.now();
    const decoded = await decode(image, this.settings.maxSide[mode]);
    this.decodes++;
    return { decoded, ms: round1(performance.now() - t0) };
  }

  async analyze(mode: 'live' | 'still', image: WireImage): Promise<WorkerAnalysis> {
    const { decoded, ms } = await this.decode(mode, image);
    return this.analyzeDecoded(mode, decoded, ms);
  }

  /** Runs the models on pixels `decode()` gave; `decodeMs` is reported as the decode time. */
  async analyzeDecoded(mode: 'live' | 'still', decoded: Decoded, decodeMs: number): Promise<WorkerAnalysis> {
    const { human, tf } = this.runtime;
    const t1 = performance.now();

    const tensor = tf.tensor3d(this.#asFloats(decoded.rgb), [decoded.height, decoded.width, 3], 'float32');
    let result: Result;
    try {
      this.runtime.detector.use(mode);
      result = await human.detect(
        tensor as never,
        modeConfig(this.settings, mode, mode === 'live' && this.#detectNextLive),
      );
    } finally {
      tf.dispose(tensor);
    }
    this.#detectNextLive = mode === 'still';
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
      backend: this.runtime.backend,
      timings: { decode: decodeMs, inference: round1(t2 - t1) },
      analysisScale: scale,
    };
  }
}
