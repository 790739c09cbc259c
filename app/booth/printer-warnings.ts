import type { PhotoPrinter } from '../../hardware/printer/photo-printer-port.ts';
import type { Logger } from '../logging/logger.ts';

/**
 * Reasons that do not stop the booth but need an operator soon: paper or ribbon running low.
 * (Blocking reasons are device health and put the booth out of service instead.)
 */
const warningReasons = new Set(['media-low', 'marker-supply-low', 'toner-low', 'ink-low']);

/**
 * Logs a warning for operators when the photo printer starts (or stops) reporting a supply
 * running low, once per change rather than on every status poll.
 */
export function watchPrinterWarnings(printer: PhotoPrinter, logger: Logger): () => void {
  let last = '';
  const look = () => {
    const status = printer.status();
    const warnings = status.reasons.filter((r) => warningReasons.has(r)).sort();
    const key = warnings.join(',');
    if (key === last) return;
    last = key;
    if (warnings.length > 0)
      logger.warn({ warnings, mediaRemaining: status.mediaRemaining }, 'photo printer: supplies low');
    else logger.info('photo printer: supplies fine again');
  };
  look();
  return printer.onStatus(look);
}
