import sharp from 'sharp';
import { mediaSizes, type PrintMedia } from '../../../core/print-media.ts';
import { encodePrintJpeg, mmToPx } from './print-sheet.ts';

/** The calibration sheet is drawn at this resolution. */
export const calibrationDpi = 300;
const dpi = calibrationDpi;

/** The calibration sheet: white, a 10 mm grid, a grey ramp, colour patches and a caption. */
export async function renderCalibrationSheet(
  media: PrintMedia,
): Promise<{ data: Buffer; width: number; height: number }> {
  const { widthMm: wMm, heightMm: hMm } = mediaSizes[media];
  const width = mmToPx(wMm, dpi);
  const height = mmToPx(hMm, dpi);
  const step = (10 / 25.4) * dpi; // unrounded: a rounded step would drift the grid off true mm
  const parts: string[] = [];
  for (let x = 0; x <= width; x += step) {
    parts.push(`<line x1="${x.toFixed(1)}" y1="0" x2="${x.toFixed(1)}" y2="${height}" />`);
  }
  for (let y = 0; y <= height; y += step) {
    parts.push(`<line x1="0" y1="${y.toFixed(1)}" x2="${width}" y2="${y.toFixed(1)}" />`);
  }
  const margin = Math.round(step);
  const inner = width - 2 * margin;
  const rampSteps = 11;
  const ramp = Array.from({ length: rampSteps }, (_, i) => {
    const level = Math.round((255 * i) / (rampSteps - 1));
    const w = inner / rampSteps;
    return `<rect x="${(margin + i * w).toFixed(1)}" y="${margin * 2}" width="${w.toFixed(1)}" height="${margin * 2}" fill="rgb(${level},${level},${level})" />`;
  });
  const colours = ['#ff0000', '#00ff00', '#0000ff', '#00ffff', '#ff00ff', '#ffff00', '#000000', '#e0b090'];
  const patch = inner / 4;
  const patches = colours.map((c, i) => {
    const x = margin + (i % 4) * patch;
    const y = margin * 5 + Math.floor(i / 4) * patch;
    return `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${patch.toFixed(1)}" height="${patch.toFixed(1)}" fill="${c}" />`;
  });
  const textY = margin * 5 + 2 * patch + margin * 1.5;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
<rect width="100%" height="100%" fill="#ffffff" />
<g stroke="#b0b0b0" stroke-width="2">${parts.join('')}</g>
${ramp.join('')}
${patches.join('')}
<text x="${width / 2}" y="${textY.toFixed(1)}" font-family="sans-serif" font-size="${Math.round(margin * 0.8)}" text-anchor="middle" fill="#000000">booth test print</text>
<text x="${width / 2}" y="${(textY + margin).toFixed(1)}" font-family="sans-serif" font-size="${Math.round(margin * 0.4)}" text-anchor="middle" fill="#333333">${media} · ${dpi} dpi · 10 mm grid</text>
</svg>`;
  const data = await encodePrintJpeg(
    sharp(Buffer.from(svg)).resize(width, height).flatten({ background: '#ffffff' }),
    dpi,
  );
  return { data, width, height };
}
