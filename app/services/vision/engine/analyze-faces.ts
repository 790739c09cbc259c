/** One face analysis in the worker: decode, run human, and turn its faces into the engine's. */
import type { FaceResult, Result } from '@vladmandic/human';
import { decode } from './decode-image.ts';
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

  async analyze(mode: 'live' | 'still', image: WireImage): Promise<WorkerAnalysis> {
    const { human, tf } = this.runtime;
    const t0 = performance.now();
    const decoded = await decode(image, this.settings.maxSide[mode]);
    const t1 = performance.now();

    const pixels = new Float32Array(decoded.rgb.length);
    for (let i = 0; i < pixels.length; i++) pixels[i] = decoded.rgb[i]!;
    const tensor = tf.tensor3d(pixels, [decoded.height, decoded.width, 3], 'float32');
    let result: Result;
    try {
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
      timings: { decode: round1(t1 - t0), inference: round1(t2 - t1) },
      analysisScale: scale,
    };
  }
}
