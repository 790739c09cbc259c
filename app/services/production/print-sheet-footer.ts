import { mmToPx, type Rect } from './print-sheet-geometry.ts';

/** The footer's text height (the strip it sits in is planned with the sheet). */
const footerTextMm = 2.5;
const footerTextColour = '#333333';

const escapeXml = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!,
  );

/**
 * One footer line as SVG the size of the footer strip. The text shrinks when a long document
 * name would not fit the width (estimated from DejaVu Sans's average advance, since SVG has no
 * text measuring), rather than being clipped mid-word.
 */
export function footerSvg(text: string, area: Rect, dpi: number): Buffer {
  const averageAdvanceEm = 0.62;
  const nominal = mmToPx(footerTextMm, dpi);
  const fitting = (area.width * 0.95) / Math.max(1, [...text].length * averageAdvanceEm);
  const size = Math.max(1, Math.min(nominal, Math.floor(fitting)));
  // Baseline so capitals (about 0.73 em in DejaVu Sans) sit in the middle of the strip.
  const baseline = Math.round((area.height + 0.73 * size) / 2);
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${area.width}" height="${area.height}">` +
      `<text x="${area.width / 2}" y="${baseline}" text-anchor="middle" ` +
      `font-family="DejaVu Sans, sans-serif" font-size="${size}" fill="${footerTextColour}">` +
      `${escapeXml(text)}</text></svg>`,
  );
}
