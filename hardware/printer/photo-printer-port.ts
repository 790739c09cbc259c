import type { DeviceStatus, Unsubscribe } from '../device-status.ts';

/** Reasons use IPP's printer-state-reasons keywords where IPP has one. */
export type PrinterReason =
  | 'media-empty'
  | 'media-low'
  | 'media-jam'
  | 'marker-supply-low'
  | 'marker-supply-empty'
  | 'paused'
  | 'offline'
  | 'timeout'
  | (string & {});

export interface PhotoPrinterStatus extends DeviceStatus {
  readonly state: 'idle' | 'processing' | 'stopped';
  readonly reasons: readonly PrinterReason[];
  /** Prints left with the loaded media, or null when neither printer nor config can tell. */
  readonly mediaRemaining: number | null;
}

/** One sheet to print: a JPEG at the media's size and resolution. */
export interface PrintSheet {
  readonly jobName: string;
  readonly media: string;
  readonly copies: number;
  readonly data: Buffer;
}

export type PrintJobState = 'pending' | 'processing' | 'completed' | 'stopped' | 'aborted' | 'canceled';

export interface PrintJobProgress {
  readonly jobId: string;
  readonly state: PrintJobState;
  readonly reasons: readonly string[];
}

export interface PhotoPrinter {
  readonly kind: string;
  open(): Promise<void>;
  close(): Promise<void>;
  status(): PhotoPrinterStatus;
  onStatus(listener: (status: PhotoPrinterStatus) => void): Unsubscribe;
  /**
   * Prints a sheet and resolves when the job has completed. Rejects with a DeviceError whose
   * code names the cause (`media-jam`, `media-empty`, `offline`, ...) when it did not.
   */
  print(sheet: PrintSheet, onProgress?: (progress: PrintJobProgress) => void): Promise<PrintJobProgress>;
}
