import sharp from 'sharp';

/** The tallest band one `GS v 0` command carries: some printers garble taller raster images. */
export const maxRasterBandRows = 255;

/** A 1-bit image, rows of `widthBytes` bytes, most significant bit leftmost, 1 = black dot. */
export interface MonoImage {
  readonly widthBytes: number;
  readonly height: number;
  readonly bits: Buffer;
}

/**
 * Turns any image sharp reads (PNG, JPEG, ...) into black and white dots at most `maxDots` wide
 * (576 on 80 mm paper, 384 on 58 mm), flattening transparency onto white.
 */
export async function monoImage(image: Buffer, maxDots: number, threshold = 128): Promise<MonoImage> {
  const { data, info } = await sharp(image)
    .flatten({ background: '#ffffff' })
    .resize({ width: maxDots, withoutEnlargement: true })
    .greyscale()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const widthBytes = Math.ceil(info.width / 8);
  const bits = Buffer.alloc(widthBytes * info.height);
  for (let y = 0; y < info.height; y++) {
    for (let x = 0; x < info.width; x++) {
      if (data[(y * info.width + x) * info.channels]! < threshold) {
        bits[y * widthBytes + (x >> 3)]! |= 0x80 >> (x & 7);
      }
    }
  }
  return { widthBytes, height: info.height, bits };
}

/**
 * The image as `GS v 0` (print raster bit image, normal density) commands of at most `bandRows`
 * rows each, top to bottom. node-thermal-printer sends one command for the whole image, which
 * some printers garble past 255 rows; bands print the same picture on all of them.
 */
export function rasterBands(image: MonoImage, bandRows = maxRasterBandRows): Buffer {
  if (!Number.isInteger(bandRows) || bandRows < 1 || bandRows > maxRasterBandRows) {
    throw new RangeError(`a raster band has 1 to ${maxRasterBandRows} rows, not ${bandRows}`);
  }
  const parts: Buffer[] = [];
  for (let top = 0; top < image.height; top += bandRows) {
    const rows = Math.min(bandRows, image.height - top);
    parts.push(
      Buffer.from([
        0x1d,
        0x76,
        0x30,
        0x00,
        image.widthBytes & 0xff,
        image.widthBytes >> 8,
        rows & 0xff,
        rows >> 8,
      ]),
      image.bits.subarray(top * image.widthBytes, (top + rows) * image.widthBytes),
    );
  }
  return Buffer.concat(parts);
}
