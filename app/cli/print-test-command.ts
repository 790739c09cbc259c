import { DeviceError } from '../../hardware/device-status.ts';
import { IppPhotoPrinter, ippMediaNames } from '../../hardware/printer/ipp-photo-printer.ts';
import type { PrintJobProgress } from '../../hardware/printer/photo-printer-port.ts';
import { calibrationDpi as dpi, renderCalibrationSheet } from '../services/production/calibration-sheet.ts';
import type { CliIO } from './cli-io.ts';
import { isPrintMedia, printMediaIds } from '../../core/print-media.ts';
import { UsageError } from './usage.ts';

export interface PrintTestOptions {
  readonly printer: string | undefined;
  readonly media: string | undefined;
  /** A job not ended after this long fails `timeout` (ms). Default 2 minutes. */
  readonly jobTimeoutMs?: number;
}

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
