import sharp from 'sharp';
import { ProductionInputError } from './production-input-error.ts';

/**
 * The digital photo file for an online application: one JPEG whose size in bytes is inside the
 * authority's range (many upload forms reject a file over, say, 240 kB, and some one under
 * 10 kB). The JPEG quality is searched, since file size cannot be asked of the encoder directly.
 */

/** Decoded photo pixels, 8-bit RGB, row by row. */
export interface RgbImage {
  data: Buffer;
  width: number;
  height: number;
  channels: 3;
}

export interface ByteRange {
  min: number;
  max: number;
}

export interface EncodeWithinBytesOptions {
  /**
   * Highest quality normally used: above about 95 a JPEG grows much faster than it gains
   * detail. Exceeded only when a file would otherwise be under the range's minimum.
   */
  maxQuality?: number;
  /** Lowest quality accepted: below it compression artefacts would fail a photo check. */
  minQuality?: number;
}

export interface DigitalFile {
  jpeg: Buffer;
  quality: number;
  bytes: number;
  /** Whether `bytes` is inside the range; when not, `jpeg` is the closest the booth could make. */
  fits: boolean;
}

const defaultOptions: Required<EncodeWithinBytesOptions> = { maxQuality: 95, minQuality: 40 };

/**
 * Encodes the photo as the digital file at one quality: sRGB ICC profile attached (portals
 * assume sRGB, and some validators reject a file without a profile), baseline scan (some
 * portals' validators reject progressive JPEGs), 4:2:0 chroma (a smaller file; the portal
 * shows the photo on screen, not at print size), no EXIF.
 */
export async function encodeDigitalJpeg(image: RgbImage, quality: number): Promise<Buffer> {
  return sharp(image.data, { raw: { width: image.width, height: image.height, channels: image.channels } })
    .withIccProfile('srgb')
    .jpeg({ quality, progressive: false, chromaSubsampling: '4:2:0' })
    .toBuffer();
}

function checkInput(image: RgbImage, bytes: ByteRange, o: Required<EncodeWithinBytesOptions>): void {
  if (
    !Number.isInteger(image.width) ||
    !Number.isInteger(image.height) ||
    image.width < 1 ||
    image.height < 1 ||
    image.channels !== 3 ||
    image.data.length !== image.width * image.height * 3
  ) {
    throw new ProductionInputError(
      'invalid-image',
      `expected ${image.width}x${image.height} RGB pixels (${image.width * image.height * 3} bytes), ` +
        `got ${image.data.length} bytes with ${image.channels} channels`,
    );
  }
  if (
    !Number.isInteger(bytes.min) ||
    !Number.isInteger(bytes.max) ||
    bytes.min < 0 ||
    bytes.min > bytes.max
  ) {
    throw new ProductionInputError(
      'invalid-byte-range',
      `the file size range must be whole bytes with min <= max, not ${bytes.min}..${bytes.max}`,
    );
  }
  const q = (n: number) => Number.isInteger(n) && n >= 1 && n <= 100;
  if (!q(o.minQuality) || !q(o.maxQuality) || o.minQuality > o.maxQuality) {
    throw new ProductionInputError(
      'invalid-quality',
      `qualities must be whole numbers from 1 to 100 with minQuality <= maxQuality, ` +
        `not ${o.minQuality}..${o.maxQuality}`,
    );
  }
}

/**
 * The highest quality in `low..high` whose file is at most `max` bytes, by binary search
 * (JPEG size grows with quality), so about log2 of the range's length encodes. The quality one
 * above the answer was encoded and found too large, or is `high + 1`, which the caller knows.
 */
async function highestUnder(
  encode: (quality: number) => Promise<Buffer>,
  low: number,
  high: number,
  max: number,
): Promise<{ quality: number; jpeg: Buffer } | undefined> {
  let best: { quality: number; jpeg: Buffer } | undefined;
  while (low <= high) {
    const quality = Math.floor((low + high) / 2);
    const jpeg = await encode(quality);
    if (jpeg.length <= max) {
      best = { quality, jpeg };
      low = quality + 1;
    } else {
      high = quality - 1;
    }
  }
  return best;
}

/**
 * Encodes the photo at the highest quality whose file is at most `bytes.max`. A file still under
 * `bytes.min` at maxQuality is tried at higher qualities up to 100; a file over `bytes.max` even
 * at minQuality is not made worse. In both cases the closest file comes back with `fits: false`,
 * so the booth can tell the customer rather than hand over a file the portal rejects.
 */
export async function encodeWithinBytes(
  image: RgbImage,
  bytes: ByteRange,
  options: EncodeWithinBytesOptions = {},
): Promise<DigitalFile> {
  const o = {
    maxQuality: options.maxQuality ?? defaultOptions.maxQuality,
    minQuality: options.minQuality ?? defaultOptions.minQuality,
  };
  checkInput(image, bytes, o);
  // Remembered, so the fallback to minQuality does not encode again what the search already did.
  const encoded = new Map<number, Promise<Buffer>>();
  const encode = (quality: number): Promise<Buffer> => {
    let jpeg = encoded.get(quality);
    if (!jpeg) encoded.set(quality, (jpeg = encodeDigitalJpeg(image, quality)));
    return jpeg;
  };
  const result = (quality: number, jpeg: Buffer): DigitalFile => ({
    jpeg,
    quality,
    bytes: jpeg.length,
    fits: jpeg.length >= bytes.min && jpeg.length <= bytes.max,
  });

  const atMax = await encode(o.maxQuality);
  if (atMax.length <= bytes.max) {
    if (atMax.length >= bytes.min || o.maxQuality === 100) return result(o.maxQuality, atMax);
    // Too small: the highest quality above the usual cap that still stays under max.
    const higher = await highestUnder(encode, o.maxQuality + 1, 100, bytes.max);
    return higher ? result(higher.quality, higher.jpeg) : result(o.maxQuality, atMax);
  }
  const lower = await highestUnder(encode, o.minQuality, o.maxQuality - 1, bytes.max);
  if (lower) return result(lower.quality, lower.jpeg);
  // Over max even at minQuality: the smallest file allowed, reported as not fitting.
  return result(o.minQuality, await encode(o.minQuality));
}
