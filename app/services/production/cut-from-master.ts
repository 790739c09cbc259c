/**
 * Cutting an output from the master image: the centred part of the output's width, scaled to
 * the output's pixels. The print photo and the digital file are cut from the same master, so
 * the backdrop is treated once and both show the same crop.
 */
import sharp from 'sharp';
import type { RawRgb } from './render-crop.ts';

/** The centred part of the master `widthPx` wide, scaled to `size`. */
export async function cutFromMaster(
  raw: RawRgb,
  widthPx: number,
  size: { width: number; height: number },
): Promise<RawRgb> {
  const w = Math.min(raw.width, Math.round(widthPx));
  const left = Math.floor((raw.width - w) / 2);
  const { data, info } = await sharp(raw.data, { raw: { width: raw.width, height: raw.height, channels: 3 } })
    .extract({ left, top: 0, width: w, height: raw.height })
    .resize(size.width, size.height, { fit: 'fill', kernel: 'lanczos3' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** The same part of the master's person mask, scaled to `size`. */
export async function cutMask(
  mask: { data: Uint8Array; width: number; height: number },
  widthPx: number,
  size: { width: number; height: number },
) {
  const w = Math.min(mask.width, Math.round(widthPx));
  const left = Math.floor((mask.width - w) / 2);
  const { data } = await sharp(Buffer.from(mask.data), {
    raw: { width: mask.width, height: mask.height, channels: 1 },
  })
    .extract({ left, top: 0, width: w, height: mask.height })
    .resize(size.width, size.height, { fit: 'fill' })
    .extractChannel(0) // sharp widens one channel to three on the way out otherwise
    .raw()
    .toBuffer({ resolveWithObject: true });
  return {
    data: new Uint8Array(data.buffer, data.byteOffset, data.length),
    width: size.width,
    height: size.height,
  };
}
