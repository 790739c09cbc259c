import { pino, type Logger, type DestinationStream } from 'pino';

export type { Logger };

/**
 * Paths that may carry personal data if someone ever logs a whole object. pino replaces them
 * before the line is written, so a careless `log.info({ session })` cannot leak.
 */
export const redactedPaths = [
  'email',
  '*.email',
  'receiptCode',
  '*.receiptCode',
  'data',
  '*.data',
  'image',
  '*.image',
  'path',
  '*.path',
  'pin',
  '*.pin',
  'token',
  '*.token',
];

/** Structured JSON lines on stdout (or a given stream), one object a line. */
export function createLogger(options: { level?: string; destination?: DestinationStream } = {}): Logger {
  return pino(
    {
      level: options.level ?? process.env.KIOSK_LOG_LEVEL ?? 'info',
      base: undefined,
      redact: { paths: redactedPaths, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
}

/** A logger that drops everything, for tests and the simulator's quiet mode. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
