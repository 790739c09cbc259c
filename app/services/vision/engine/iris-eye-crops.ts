import type { GraphModelLike, Tf, TfTensor } from './human-tf.ts';

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
export function orientEyeCropsForIris(model: GraphModelLike, tf: Tf, kernels: readonly string[]): void {
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
