/**
 * What an IPP printer's keywords mean to the booth: PWG media names for its media ids, the
 * printer-state-reasons that block printing, IPP synonyms mapped onto the port's reasons, and a
 * job's state as the port's. Pure: no I/O, so the photo printer adapter and its tests share it.
 */
import type { PrintMedia } from '../../../core/print-media.ts';
import type { PhotoPrinterCode } from '../../../core/errors.ts';
import type { PrintJobState } from '../photo-printer-port.ts';
import type { IppJobState } from './ipp-client.ts';
import { plainList, type PlainAttributes } from './ipp-plain.ts';

/** The booth's media ids as PWG self-describing media names. */
export const ippMediaNames: Readonly<Record<PrintMedia, string>> = {
  '4x6': 'na_index-4x6_4x6in',
  '5x7': 'na_5x7_5x7in',
  a6: 'iso_a6_105x148mm',
  // Strips are a 4x6 sheet that the printer cuts in two.
  '2x6-strips': 'na_index-4x6_4x6in',
};

/**
 * Reasons that stop the printer from printing, most telling first. A job refused or stopped on
 * one throws it as its code, so each is a registered photo-printer code (core/errors.ts).
 */
export const blockingReasons = [
  'offline',
  'media-jam',
  'media-empty',
  'marker-supply-empty',
  'door-open',
  'cover-open',
  'input-tray-missing',
  'output-area-full',
  'paused',
] as const satisfies readonly PhotoPrinterCode[];

export type BlockingReason = (typeof blockingReasons)[number];

/** IPP keywords that mean the same as a port reason. */
const reasonAliases: Readonly<Record<string, string>> = {
  'media-needed': 'media-empty',
  'toner-empty': 'marker-supply-empty',
  'toner-low': 'marker-supply-low',
  'moving-to-paused': 'paused',
  shutdown: 'offline',
  'offline-report': 'offline',
};

/** Strips the RFC 8011 severity suffix and maps IPP keywords onto the port's reasons. */
export function portReason(ippReason: string): string {
  const bare = ippReason.replace(/-(report|warning|error)$/, '');
  return reasonAliases[bare] ?? bare;
}

export function printerReasons(attributes: PlainAttributes): string[] {
  return plainList(attributes, 'printer-state-reasons')
    .filter((r): r is string => typeof r === 'string' && r !== 'none')
    .map(portReason);
}

export function isBlocking(reason: string): boolean {
  return (blockingReasons as readonly string[]).includes(reason);
}

export function firstBlocking(reasons: readonly string[]): BlockingReason | undefined {
  return blockingReasons.find((r) => reasons.includes(r));
}

/** The cause a failed job names: a blocking reason, else a supply or media fault the printer names. */
export function firstKnownCause(reasons: readonly string[]): BlockingReason | undefined {
  return (
    firstBlocking(reasons.filter((r) => r !== 'paused')) ??
    (reasons.includes('paused') ? 'paused' : undefined)
  );
}

export function progressState(state: IppJobState): PrintJobState {
  switch (state) {
    case 'pending':
    case 'pending-held':
      return 'pending';
    case 'processing-stopped':
      return 'stopped';
    default:
      return state;
  }
}
