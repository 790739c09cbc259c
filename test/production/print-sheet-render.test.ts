import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  cutMarks,
  encodePrintJpeg,
  planPrintSheet,
  renderPrintSheet,
  type PrintSheetPlan,
  type Rect,
} from '../../app/services/production/print-sheet.ts';

/** A colour no white sheet, grey mark or dark text has. */
const magenta = { r: 200, g: 30, b: 120 };

/** A photo of the plan's size in one flat colour, so every photo pixel is known. */
const flatPhoto = (plan: PrintSheetPlan): Promise<Buffer> =>
  sharp({ create: { width: plan.photo.width, height: plan.photo.height, channels: 3, background: magenta } })
    .png()
    .toBuffer();

interface Decoded {
  data: Buffer;
  width: number;
  height: number;
}

async function decode(jpeg: Buffer): Promise<Decoded> {
  const { data, info } = await sharp(jpeg).raw().toBuffer({ resolveWithObject: true });
  expect(info.channels).toBe(3);
  return { data, width: info.width, height: info.height };
}

const pixel = (img: Decoded, x: number, y: number) => {
  const i = (y * img.width + x) * 3;
  return { r: img.data[i]!, g: img.data[i + 1]!, b: img.data[i + 2]! };
};

const near = (
  a: { r: number; g: number; b: number },
  b: { r: number; g: number; b: number },
  tolerance: number,
) => Math.abs(a.r - b.r) <= tolerance && Math.abs(a.g - b.g) <= tolerance && Math.abs(a.b - b.b) <= tolerance;

const luma = (p: { r: number; g: number; b: number }) => 0.299 * p.r + 0.587 * p.g + 0.114 * p.b;

function* pixelsIn(r: Rect, inset = 0): Generator<[number, number]> {
  for (let y = r.top + inset; y < r.top + r.height - inset; y++) {
    for (let x = r.left + inset; x < r.left + r.width - inset; x++) yield [x, y];
  }
}

const photoRects = (plan: PrintSheetPlan): Rect[] =>
  plan.placements.map((p) => ({ ...p, width: plan.photo.width, height: plan.photo.height }));

const overlaps = (a: Rect, b: Rect) =>
  a.left < b.left + b.width &&
  b.left < a.left + a.width &&
  a.top < b.top + b.height &&
  b.top < a.top + a.height;

/**
 * The ICC profile's description. sharp attaches an ICC v4 profile whose `desc` tag is
 * multi-localised Unicode (UTF-16BE), so "sRGB" is not found by searching the bytes as text.
 */
function iccDescription(icc: Buffer): string {
  const tags = icc.readUInt32BE(128);
  for (let i = 0; i < tags; i++) {
    const entry = 132 + i * 12;
    if (icc.toString('latin1', entry, entry + 4) !== 'desc') continue;
    const at = icc.readUInt32BE(entry + 4);
    const type = icc.toString('latin1', at, at + 4);
    if (type === 'desc') return icc.toString('latin1', at + 12, at + 12 + icc.readUInt32BE(at + 8) - 1);
    if (type === 'mluc') {
      const length = icc.readUInt32BE(at + 20);
      const offset = icc.readUInt32BE(at + 24);
      const utf16 = Buffer.from(icc.subarray(at + offset, at + offset + length));
      return utf16.swap16().toString('utf16le');
    }
  }
  return '';
}

/** The JFIF header's density, if the file starts with one: units (1 = dots per inch), x, y. */
function jfifDensity(jpeg: Buffer): { units: number; x: number; y: number } | undefined {
  if (jpeg.readUInt16BE(2) !== 0xffe0 || jpeg.toString('latin1', 6, 11) !== 'JFIF\0') return undefined;
  return { units: jpeg[13]!, x: jpeg.readUInt16BE(14), y: jpeg.readUInt16BE(16) };
}

/** The first quantisation table, which the encoder derives from the quality. */
function firstQuantTable(jpeg: Buffer): number[] {
  let at = 2;
  while (at < jpeg.length) {
    const marker = jpeg.readUInt16BE(at);
    const length = jpeg.readUInt16BE(at + 2);
    if (marker === 0xffdb) return [...jpeg.subarray(at + 5, at + 5 + 64)];
    at += 2 + length;
  }
  throw new Error('no quantisation table');
}

describe('renderPrintSheet', () => {
  const plan = planPrintSheet({ widthMm: 35, heightMm: 45 }, 4);
  let sheet: Buffer;
  let pixels: Decoded;

  beforeAll(async () => {
    sheet = await renderPrintSheet(await flatPhoto(plan), plan, { footerText: 'Schengen visa · 2026-11-25' });
    pixels = await decode(sheet);
  });

  it('is a sheet-sized JPEG at the plan dpi, sRGB, 4:4:4, baseline', async () => {
    const meta = await sharp(sheet).metadata();
    expect(meta).toMatchObject({
      format: 'jpeg',
      width: plan.width,
      height: plan.height,
      density: 300,
      chromaSubsampling: '4:4:4',
      isProgressive: false,
      hasProfile: true,
    });
    expect(iccDescription(meta.icc!)).toContain('sRGB');
    expect(jfifDensity(sheet)).toEqual({ units: 1, x: 300, y: 300 });
  });

  it('is encoded at quality 95 (same quantisation as a quality-95 encode)', async () => {
    const reference = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#808080' } })
      .jpeg({ quality: 95, chromaSubsampling: '4:4:4' })
      .toBuffer();
    expect(firstQuantTable(sheet)).toEqual(firstQuantTable(reference));
  });

  it('puts the photo pixels exactly where the plan says', () => {
    for (const photo of photoRects(plan)) {
      // Every pixel of each photo (but the outermost two, where JPEG rings against white).
      for (const [x, y] of pixelsIn(photo, 2)) {
        if (!near(pixel(pixels, x, y), magenta, 16)) throw new Error(`pixel ${x},${y} is not the photo`);
      }
      // And nothing of it outside: just past each edge is not magenta.
      for (const [x, y] of [
        [photo.left - 3, photo.top + 100],
        [photo.left + photo.width + 2, photo.top + 100],
        [photo.left + 100, photo.top - 3],
        [photo.left + 100, photo.top + photo.height + 2],
      ] as const) {
        expect(luma(pixel(pixels, x, y))).toBeGreaterThan(240);
      }
    }
    // The middle of the gutter between the columns is white.
    const [a, b] = photoRects(plan);
    const gutterX = Math.round((a!.left + a!.width + b!.left) / 2);
    expect(near(pixel(pixels, gutterX, a!.top + 200), { r: 255, g: 255, b: 255 }, 4)).toBe(true);
  });

  it('draws cut marks in the gutters, never over a photo, the footer or the margins', async () => {
    const marks = cutMarks(plan);
    expect(marks.length).toBe(plan.placements.length * 8);
    for (const mark of marks) {
      for (const photo of photoRects(plan)) expect(overlaps(mark, photo)).toBe(false);
      for (const footer of plan.footers) expect(overlaps(mark, footer)).toBe(false);
      expect(mark.left).toBeGreaterThanOrEqual(plan.printable.left);
      expect(mark.top).toBeGreaterThanOrEqual(plan.printable.top);
      // Thin: about 0.2 mm (2 px at 300 dpi) across.
      expect(Math.min(mark.width, mark.height)).toBe(2);
      // Grey on the print.
      const centre = pixel(pixels, mark.left + (mark.width >> 1), mark.top + (mark.height >> 1));
      expect(luma(centre)).toBeGreaterThan(90);
      expect(luma(centre)).toBeLessThan(200);
    }
    const unmarked = await decode(await renderPrintSheet(await flatPhoto(plan), plan, { cutMarks: false }));
    for (const mark of marks) {
      expect(luma(pixel(unmarked, mark.left, mark.top))).toBeGreaterThan(240);
    }
  });

  it('writes the footer text in dark grey inside the footer strip, and nothing without it', async () => {
    const footer = plan.footers[0]!;
    const dark = (img: Decoded, area: Rect) => {
      let count = 0;
      for (const [x, y] of pixelsIn(area)) if (luma(pixel(img, x, y)) < 110) count++;
      return count;
    };
    expect(dark(pixels, footer)).toBeGreaterThan(200);
    // The strip between the photos and the footer stays clear of text.
    const lastRowBottom = Math.max(...photoRects(plan).map((p) => p.top + p.height));
    const between = {
      left: footer.left,
      top: lastRowBottom + 3,
      width: footer.width,
      height: footer.top - lastRowBottom - 3,
    };
    expect(dark(pixels, between)).toBe(0);

    const plain = await decode(await renderPrintSheet(await flatPhoto(plan), plan));
    expect(dark(plain, footer)).toBe(0);
  });

  it('escapes the footer text as XML', async () => {
    const out = await decode(
      await renderPrintSheet(await flatPhoto(plan), plan, { footerText: 'A&B <visa> "x"' }),
    );
    let dark = 0;
    for (const [x, y] of pixelsIn(plan.footers[0]!)) if (luma(pixel(out, x, y)) < 110) dark++;
    expect(dark).toBeGreaterThan(100);
  });

  it('writes the dpi it was planned at', async () => {
    const small = planPrintSheet({ widthMm: 33, heightMm: 48 }, 2, { media: 'a6', dpi: 200 });
    const out = await renderPrintSheet(await flatPhoto(small), small);
    const meta = await sharp(out).metadata();
    expect(meta).toMatchObject({ width: small.width, height: small.height, density: 200 });
    expect(jfifDensity(out)).toEqual({ units: 1, x: 200, y: 200 });
  });

  it('renders 2x6 strips with a footer per strip and nothing on the cut line', async () => {
    const strips = planPrintSheet({ widthMm: 35, heightMm: 45 }, 6, { media: '2x6-strips' });
    const out = await decode(
      await renderPrintSheet(await flatPhoto(strips), strips, { footerText: 'EU passport' }),
    );
    for (let y = 0; y < out.height; y++) {
      expect(luma(pixel(out, strips.cuts[0]!, y))).toBeGreaterThan(240);
    }
    for (const footer of strips.footers) {
      let dark = 0;
      for (const [x, y] of pixelsIn(footer)) if (luma(pixel(out, x, y)) < 110) dark++;
      expect(dark).toBeGreaterThan(100);
    }
  });

  it('refuses a photo of another size, a quality under 95 and text without a footer', async () => {
    const wrong = await sharp({ create: { width: 400, height: 531, channels: 3, background: magenta } })
      .jpeg()
      .toBuffer();
    await expect(renderPrintSheet(wrong, plan)).rejects.toMatchObject({
      code: 'photo-size-mismatch',
      message: expect.stringContaining('400x531'),
    });
    await expect(renderPrintSheet(await flatPhoto(plan), plan, { quality: 90 })).rejects.toMatchObject({
      code: 'invalid-quality',
    });
    const bare = planPrintSheet({ widthMm: 35, heightMm: 45 }, 4, { footer: false });
    await expect(renderPrintSheet(await flatPhoto(bare), bare, { footerText: 'x' })).rejects.toMatchObject({
      code: 'invalid-sheet-options',
    });
  });
});

describe('encodePrintJpeg', () => {
  it('gives the single photo file the same sRGB, density and quality treatment, without camera EXIF', async () => {
    const fromCamera = await sharp({ create: { width: 413, height: 531, channels: 3, background: magenta } })
      .withExif({ IFD0: { Make: 'SecretCam', Model: 'X1' } })
      .jpeg()
      .toBuffer();
    const out = await encodePrintJpeg(sharp(fromCamera), 300);
    const meta = await sharp(out).metadata();
    expect(meta).toMatchObject({ width: 413, height: 531, density: 300, chromaSubsampling: '4:4:4' });
    expect(iccDescription(meta.icc!)).toContain('sRGB');
    expect(jfifDensity(out)).toEqual({ units: 1, x: 300, y: 300 });
    expect(meta.exif?.toString('latin1')).not.toContain('SecretCam');
    await expect(encodePrintJpeg(sharp(fromCamera), 300, { quality: 94 })).rejects.toMatchObject({
      code: 'invalid-quality',
    });
  });
});
