/**
 * The rules the producer judges itself: one person in the still, and the pixel sizes of the
 * encoded files. The crop plan and the measured photo judge the rest.
 */
import { rangeRule, type ProductionRule } from './production-rule.ts';

/** The failed `face.single` rule of a still with `count` faces, where there must be one. */
export function faceCountFailure(count: number): ProductionRule {
  return {
    id: 'face.single',
    pass: false,
    measured: count,
    unit: 'faces',
    min: 1,
    max: 1,
    message: count
      ? `${count} faces in the still; only one person may be in the photo`
      : 'No face in the still',
  };
}

/** A pixel-size rule on an encoded file: both sides in their ranges (the height is the value shown). */
export function sizeRule(
  id: 'photo.size' | 'digital.size',
  file: { width?: number | undefined; height?: number | undefined },
  ranges: { width: { min: number; max: number }; height: { min: number; max: number } },
): ProductionRule {
  const { width = 0, height = 0 } = file;
  const widthOk = width >= ranges.width.min && width <= ranges.width.max;
  const rule = rangeRule(id, widthOk ? height : null, 'px', ranges.height);
  const size = `${width}x${height} px`;
  return {
    ...rule,
    message: widthOk
      ? `${rule.message}; the file is ${size}`
      : `The file is ${size}: its width is out of ${ranges.width.min} to ${ranges.width.max} px`,
  };
}
