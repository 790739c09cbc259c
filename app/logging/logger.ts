import { pino, type Logger, type DestinationStream } from 'pino';
import type { LogRing } from './log-ring.ts';

export type { Logger };

/** Keys that may carry personal data if someone ever logs a whole object, at any depth. */
export const redactedKeys = ['email', 'receiptCode', 'data', 'image', 'path', 'pin', 'token'] as const;

/**
 * The same keys as pino redaction paths (top level and one level down). pino replaces them
 * before the line is written, so a careless `log.info({ session })` cannot leak.
 */
export const redactedPaths = redactedKeys.flatMap((key) => [key, `*.${key}`]);

const censor = '[redacted]';
const sensitive = new Set<string>(redactedKeys);
/** A run this long of base64 characters is an encoded image or key, never something to log. */
const longBase64 = /[A-Za-z0-9+/=]{200,}/;

/**
 * pino's paths only reach one level down, and bytes under an unlisted key would be written out
 * as numbers. This copy of a log object censors the sensitive keys at any depth, every Buffer,
 * typed array or ArrayBuffer, and long base64 strings. Errors are left to pino's serializer
 * (their listed keys are still caught by the paths above).
 */
export function scrubLogObject(obj: Record<string, unknown>): Record<string, unknown> {
  return scrub(obj, new Set()) as Record<string, unknown>;
}

function scrub(value: unknown, ancestors: Set<object>): unknown {
  if (typeof value === 'string') return longBase64.test(value) ? censor : value;
  if (typeof value !== 'object' || value === null) return value;
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return censor;
  if (value instanceof Error || typeof (value as { toJSON?: unknown }).toJSON === 'function') return value;
  if (ancestors.has(value)) return '[Circular]';
  ancestors.add(value);
  try {
    if (Array.isArray(value)) return value.map((item) => scrub(item, ancestors));
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      out[key] = sensitive.has(key) ? censor : scrub(item, ancestors);
    }
    return out;
  } finally {
    ancestors.delete(value);
  }
}

/** Structured JSON lines on stdout (or a given stream), one object a line. */
export function createLogger(
  options: {
    level?: string;
    destination?: DestinationStream;
    /** Also keeps every line written (already redacted and scrubbed) in this ring: the technician's log tail. */
    ring?: LogRing;
  } = {},
): Logger {
  const destination = options.destination ?? pino.destination({ dest: 1, sync: true });
  const ring = options.ring;
  const logger = pino(
    {
      level: options.level ?? process.env.KIOSK_LOG_LEVEL ?? 'info',
      base: undefined,
      redact: { paths: redactedPaths, censor },
      formatters: { log: scrubLogObject },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    ring
      ? {
          write(line: string) {
            destination.write(line);
            ring.write(line);
          },
        }
      : destination,
  );
  // pino gives child bindings no formatter, so `log.child({ session })` is scrubbed here; children
  // inherit this method from the root, so grandchildren are scrubbed too.
  const child = logger.child;
  logger.child = function (this: Logger, bindings, childOptions) {
    return child.call(this, scrubLogObject(bindings), childOptions);
  } as typeof logger.child;
  return logger;
}

/** A logger that drops everything, for tests and the simulator's quiet mode. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
