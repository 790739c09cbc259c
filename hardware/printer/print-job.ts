import { DeviceError } from '../device-status.ts';
import type { PrintJobProgress, PrintSheet } from './photo-printer-port.ts';

/**
 * What every photo printer refuses before it starts a job, with the same codes whatever the
 * adapter: a sheet that is not a JPEG (an SOI marker followed by a marker byte), and copies
 * that are not a whole number of at least one. Nothing is printed.
 */
export function checkPrintSheet(sheet: PrintSheet): void {
  const data = sheet.data;
  if (data.length < 4 || data[0] !== 0xff || data[1] !== 0xd8 || data[2] !== 0xff) {
    throw new DeviceError('photo-printer', 'document-format-error', 'the sheet is not a JPEG image');
  }
  if (!Number.isInteger(sheet.copies) || sheet.copies < 1) {
    throw new DeviceError(
      'photo-printer',
      'bad-copies',
      `copies must be a whole number of at least 1, not ${sheet.copies}`,
    );
  }
}

/** Reports a job's progress to its listener and returns what it reported (the job's outcome). */
export function jobReporter(
  jobId: string,
  onProgress?: (progress: PrintJobProgress) => void,
): (state: PrintJobProgress['state'], reasons?: string[]) => PrintJobProgress {
  return (state, reasons = []) => {
    const progress = { jobId, state, reasons };
    onProgress?.(progress);
    return progress;
  };
}
