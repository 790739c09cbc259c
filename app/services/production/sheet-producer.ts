import sharp from 'sharp';
import { documentPrintSizes } from '../../../config/documents/print-sizes.ts';

export interface SheetLayoutOptions {
  /** Sheet size in inches, landscape. 4×6 is the common dye-sub photo media. */
  sheetInches?: [number, number];
  dpi?: number;
  /** Gap between photos and around the edge, in mm, so they can be cut apart. */
  gapMm?: number;
}

export interface ProducedPhotos {
  /** One JPEG per distinct sheet, at the printer's resolution. */
  sheet: Buffer;
  /** The single photo, for a digital file. */
  photo: Buffer;
}

const mmToPx = (mm: number, dpi: number) => Math.round((mm / 25.4) * dpi);

/**
 * Makes a print sheet from a still: the photo cut to the document's size (centred on the most
 * salient region, which in a booth is the face) and laid out as many times as fit, up to the
 * product's count. The compliant crop from face landmarks replaces the cut later.
 */
export class SheetProducer {
  readonly #sheetInches: [number, number];
  readonly #dpi: number;
  readonly #gapMm: number;

  constructor(options: SheetLayoutOptions = {}) {
    this.#sheetInches = options.sheetInches ?? [6, 4];
    this.#dpi = options.dpi ?? 300;
    this.#gapMm = options.gapMm ?? 3;
  }

  async produce(still: Buffer, documentId: string, photosPerSheet: number): Promise<ProducedPhotos> {
    const size = documentPrintSizes[documentId];
    if (!size)
      throw Object.assign(new Error(`no print size for document "${documentId}"`), {
        code: 'unknown-document',
      });
    const dpi = this.#dpi;
    const photoW = mmToPx(size.widthMm, dpi);
    const photoH = mmToPx(size.heightMm, dpi);
    const photo = await sharp(still, { failOn: 'error' })
      .rotate()
      .resize(photoW, photoH, { fit: 'cover', position: sharp.strategy.attention })
      .jpeg({ quality: 95 })
      .toBuffer();

    const sheetW = Math.round(this.#sheetInches[0] * dpi);
    const sheetH = Math.round(this.#sheetInches[1] * dpi);
    const gap = mmToPx(this.#gapMm, dpi);
    const cols = Math.max(1, Math.floor((sheetW - gap) / (photoW + gap)));
    const rows = Math.max(1, Math.floor((sheetH - gap) / (photoH + gap)));
    const count = Math.min(photosPerSheet, cols * rows);
    if (count < 1 || photoW > sheetW || photoH > sheetH) {
      throw Object.assign(new Error(`a ${size.widthMm}×${size.heightMm} mm photo does not fit the sheet`), {
        code: 'sheet-too-small',
      });
    }
    // Centre the used grid on the sheet.
    const usedCols = Math.min(cols, count);
    const usedRows = Math.ceil(count / usedCols);
    const left0 = Math.round((sheetW - usedCols * photoW - (usedCols - 1) * gap) / 2);
    const top0 = Math.round((sheetH - usedRows * photoH - (usedRows - 1) * gap) / 2);
    const composites = Array.from({ length: count }, (_, i) => ({
      input: photo,
      left: left0 + (i % usedCols) * (photoW + gap),
      top: top0 + Math.floor(i / usedCols) * (photoH + gap),
    }));
    const sheet = await sharp({
      create: { width: sheetW, height: sheetH, channels: 3, background: '#ffffff' },
    })
      .composite(composites)
      .withMetadata({ density: dpi })
      .jpeg({ quality: 92 })
      .toBuffer();
    return { sheet, photo };
  }
}
