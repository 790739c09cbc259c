import sharp from 'sharp';
import { DeviceError } from '../../hardware/device-status.ts';
import { IppPhotoPrinter, ippMediaNames } from '../../hardware/printer/ipp-photo-printer.ts';
import type { PrintJobProgress } from '../../hardware/printer/photo-printer-port.ts';
import { encodePrintJpeg, mmToPx } from '../services/production/print-sheet.ts';
import type { CliIO } from './cli-io.ts';
import { isPrintMedia, mediaSizes, printMediaIds, type PrintMedia } from '../../core/print-media.ts';
import { UsageError } from './usage.ts';

export interface PrintTestOptions {
  readonly printer: string | undefined;
  readonly media: string | undefined;
  /** A job not ended after this long fails `timeout` (ms). Default 2 minutes. */
  readonly jobTimeoutMs?: number;
}

const dpi = 300;
/**
 * `kiosk print-test --printer URI [--media 4x6]`: prints a calibration sheet (grey ramp, colour
 * patches, a 10 mm grid, "kiosk print-test") through the IPP adapter and prints one JSON object:
 * the job's outcome, the printer's status and timings. Exit 0 when the job completed, 1 when it
 * failed or the printer did not answer.
 */
export async function runPrintTest(options: PrintTestOptions, io: CliIO): Promise<number> {
  if (!options.printer) throw new UsageError('print-test needs --printer URI (e.g. ipp://host/ipp/print)');
  if (!/^(ipps?|https?):\/\//.test(options.printer)) {
    throw new UsageError(
      `--printer must be an ipp://, ipps://, http:// or https:// URI, not "${options.printer}"`,
    );
  }
  const media = options.media ?? '4x6';
  if (!isPrintMedia(media)) {
    throw new UsageError(`--media must be one of ${printMediaIds.join(', ')}, not "${media}"`);
  }
  let printer: IppPhotoPrinter;
  try {
    printer = new IppPhotoPrinter({
      url: options.printer,
      pollMs: 0,
      jobPollMs: 250,
      jobTimeoutMs: options.jobTimeoutMs ?? 120_000,
      requestTimeoutMs: 10_000,
    });
  } catch (error) {
    throw new UsageError(`--printer: ${(error as Error).message}`);
  }

  const started = performance.now();
  const since = (t: number) => Math.round(performance.now() - t);
  const sheet = await renderCalibrationSheet(media);
  const renderMs = since(started);

  const openedAt = performance.now();
  await printer.open();
  const openMs = since(openedAt);
  const printedAt = performance.now();
  const progress: PrintJobProgress[] = [];
  let job: Record<string, unknown>;
  try {
    const result = await printer.print(
      { jobName: 'kiosk print-test', media, copies: 1, data: sheet.data },
      (p) => progress.push(p),
    );
    job = { outcome: 'completed', jobId: result.jobId, state: result.state };
  } catch (error) {
    const last = progress.at(-1);
    job = {
      outcome: 'failed',
      reason: error instanceof DeviceError ? error.code : 'error',
      message: (error as Error).message,
      jobId: last?.jobId || null,
      state: last?.state ?? null,
    };
  }
  const printMs = since(printedAt);
  const status = printer.status();
  const attributes = printer.attributes;
  await printer.close();
  io.out(
    JSON.stringify({
      printer: printer.printerUri,
      media,
      ippMedia: ippMediaNames[media],
      sheet: { width: sheet.width, height: sheet.height, dpi, bytes: sheet.data.length },
      job: { ...job, states: progress.map((p) => p.state) },
      status: {
        online: status.online,
        ready: status.ready,
        state: status.state,
        reasons: status.reasons,
        mediaRemaining: status.mediaRemaining,
        printerState: attributes?.['printer-state'] ?? null,
        markerLevels: attributes?.['marker-levels'] ?? null,
        mediaReady: attributes?.['media-ready'] ?? null,
      },
      timings: { renderMs, openMs, printMs, totalMs: since(started) },
    }),
  );
  return job.outcome === 'completed' ? 0 : 1;
}

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
<text x="${width / 2}" y="${textY.toFixed(1)}" font-family="sans-serif" font-size="${Math.round(margin * 0.8)}" text-anchor="middle" fill="#000000">kiosk print-test</text>
<text x="${width / 2}" y="${(textY + margin).toFixed(1)}" font-family="sans-serif" font-size="${Math.round(margin * 0.4)}" text-anchor="middle" fill="#333333">${media} · ${dpi} dpi · 10 mm grid</text>
</svg>`;
  const data = await encodePrintJpeg(
    sharp(Buffer.from(svg)).resize(width, height).flatten({ background: '#ffffff' }),
    dpi,
  );
  return { data, width, height };
}
