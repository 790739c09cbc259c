import type { Sharp } from 'sharp';
import { productionError } from './print-sheet-error.ts';

export interface EncodePrintJpegOptions {
  /** JPEG quality; at least 95, since the print is the product and artefacts show on glossy media. */
  quality?: number;
}

/**
 * Encodes an image as the printer file: sRGB ICC profile attached (the printer's colour
 * management assumes sRGB otherwise, and some drivers only trust an attached profile), chroma at
 * full resolution (4:4:4: subsampling blurs coloured edges at print size), baseline scan, and
 * the printer's dpi in both EXIF and JFIF so a driver or print dialog prints at true size.
 * Any EXIF of the input (camera make, GPS) is dropped. The sharp instance is consumed.
 */
export async function encodePrintJpeg(
  image: Sharp,
  dpi: number,
  options: EncodePrintJpegOptions = {},
): Promise<Buffer> {
  const quality = options.quality ?? 95;
  if (!Number.isInteger(quality) || quality < 95 || quality > 100) {
    throw productionError(
      'invalid-quality',
      `print JPEG quality must be a whole number from 95 to 100, not ${quality}`,
    );
  }
  if (!Number.isInteger(dpi) || dpi < 1 || dpi > 65535) {
    throw productionError('invalid-sheet-options', `dpi must be a whole number from 1 to 65535, not ${dpi}`);
  }
  const jpeg = await image
    .withIccProfile('srgb')
    // withDensity() keeps the input's EXIF too; an empty withExif() replaces it, so only the
    // resolution is written.
    .withExif({})
    .withDensity(dpi)
    .jpeg({ quality, chromaSubsampling: '4:4:4', progressive: false })
    .toBuffer();
  return withJfifDensity(jpeg, dpi);
}

/**
 * Adds a JFIF header with the density in dots per inch. libvips (sharp 0.35) writes density only
 * as EXIF and no JFIF header at all, yet printer drivers and older software read the JFIF one.
 */
function withJfifDensity(jpeg: Buffer, dpi: number): Buffer {
  if (jpeg[0] !== 0xff || jpeg[1] !== 0xd8) {
    throw productionError('invalid-sheet-options', 'the encoder did not produce a JPEG');
  }
  const app0 = Buffer.alloc(18);
  app0.writeUInt16BE(0xffe0, 0); // APP0 marker
  app0.writeUInt16BE(16, 2); // segment length, without the marker
  app0.write('JFIF\0', 4, 'latin1');
  app0.writeUInt8(1, 9); // version 1.02
  app0.writeUInt8(2, 10);
  app0.writeUInt8(1, 11); // density unit: dots per inch
  app0.writeUInt16BE(dpi, 12);
  app0.writeUInt16BE(dpi, 14);
  // No thumbnail (bytes 16 and 17 stay 0).
  return Buffer.concat([jpeg.subarray(0, 2), app0, jpeg.subarray(2)]);
}
