/**
 * The portrait fixtures as a booth's camera might also take them: brighter and darker, turned a
 * little, nearer and farther, more compressed, slightly out of focus, under warmer or cooler
 * lamps (sharp). The mouth and
 * expression figure measures its checks on every variant; the tests use the same variants.
 */
import sharp, { type Sharp } from 'sharp';

export interface PortraitVariant {
  /** `clean`, `brightness 0.7`, `rotate -5°`, ... */
  readonly name: string;
  readonly make: (data: Buffer) => Promise<Buffer>;
}

const jpeg = (s: Sharp, quality = 92) => s.jpeg({ quality }).toBuffer();

async function scaled(data: Buffer, factor: number): Promise<Buffer> {
  const { width = 0 } = await sharp(data).metadata();
  return jpeg(sharp(data).resize({ width: Math.round(width * factor) }));
}

/** Each a change a customer or a booth could cause, small enough that the photo is still usable. */
export const PORTRAIT_VARIANTS: readonly PortraitVariant[] = [
  { name: 'clean', make: (d) => jpeg(sharp(d)) },
  { name: 'brightness 0.7', make: (d) => jpeg(sharp(d).linear(0.7, 0)) },
  { name: 'brightness 1.25', make: (d) => jpeg(sharp(d).linear(1.25, 0)) },
  { name: 'rotate -5°', make: (d) => jpeg(sharp(d).rotate(-5, { background: '#a0a0a0' })) },
  { name: 'rotate 5°', make: (d) => jpeg(sharp(d).rotate(5, { background: '#a0a0a0' })) },
  { name: 'scale 0.7', make: (d) => scaled(d, 0.7) },
  { name: 'scale 1.5', make: (d) => scaled(d, 1.5) },
  { name: 'jpeg quality 40', make: (d) => jpeg(sharp(d), 40) },
  { name: 'jpeg quality 70', make: (d) => jpeg(sharp(d), 70) },
  { name: 'blur 1', make: (d) => jpeg(sharp(d).blur(1)) },
  { name: 'blur 1.5', make: (d) => jpeg(sharp(d).blur(1.5)) },
  // Lamps that are not daylight: red up and blue down (tungsten-like), and the other way.
  { name: 'warm light', make: (d) => jpeg(sharp(d).linear([1.1, 1, 0.8], [0, 0, 0])) },
  { name: 'cool light', make: (d) => jpeg(sharp(d).linear([0.85, 1, 1.15], [0, 0, 0])) },
];
