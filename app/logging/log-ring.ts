/**
 * The booth's recent log lines in memory, for a technician (`GET /logs`, `kiosk diag logs`, the
 * support bundle). It is fed the lines pino has already written out: the logger's redaction and
 * scrubber (logger.ts) ran before a line gets here, so nothing personal reaches the ring that
 * would not reach stdout. Bounded: the oldest line goes when a new one comes.
 */

/** pino's numeric levels, by name. */
export const logLevels = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 } as const;
export type LogLevelName = keyof typeof logLevels;

export interface RingLine {
  /** Increases by one per line for the life of the process: `since` for the next read. */
  seq: number;
  /** The line's pino level (30 info, 40 warn, …). */
  level: number;
  /** Epoch ms, from the line's own ISO `time`. */
  at: number;
  /** The JSON line as pino wrote it, without its newline. */
  line: string;
}

export class LogRing {
  readonly capacity: number;
  readonly #lines: RingLine[] = [];
  readonly #listeners = new Set<(line: RingLine) => void>();
  #seq = 0;

  constructor(capacity = 2_000) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error('a log ring holds at least one line');
    this.capacity = capacity;
  }

  /** A pino destination's `write`: one or more JSON lines. */
  write(chunk: string): void {
    for (const line of chunk.split('\n')) {
      if (line.trim() === '') continue;
      this.#push(line);
    }
  }

  /** The lines after `since` (a seq) at `minLevel` or above, oldest first, at most `limit`. */
  read(options: { since?: number; minLevel?: number; limit?: number } = {}): RingLine[] {
    const since = options.since ?? 0;
    const minLevel = options.minLevel ?? 0;
    const out = this.#lines.filter((l) => l.seq > since && l.level >= minLevel);
    return options.limit !== undefined ? out.slice(-options.limit) : out;
  }

  /** The seq of the newest line (0 before any). */
  get lastSeq(): number {
    return this.#seq;
  }

  /** Told every new line; returns the unsubscribe. */
  subscribe(listener: (line: RingLine) => void): () => void {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }

  #push(line: string): void {
    let level = logLevels.info as number;
    let at = Date.now();
    try {
      const parsed = JSON.parse(line) as { level?: unknown; time?: unknown };
      if (typeof parsed.level === 'number') level = parsed.level;
      if (typeof parsed.time === 'string' && !Number.isNaN(Date.parse(parsed.time)))
        at = Date.parse(parsed.time);
      else if (typeof parsed.time === 'number') at = parsed.time;
    } catch {
      // Not JSON (nothing in the booth writes that): kept as an info line, as it came.
    }
    const entry: RingLine = { seq: ++this.#seq, level, at, line };
    this.#lines.push(entry);
    if (this.#lines.length > this.capacity) this.#lines.splice(0, this.#lines.length - this.capacity);
    for (const listener of [...this.#listeners]) {
      try {
        listener(entry);
      } catch {
        // A listener (an SSE client gone) must never fail the logger.
      }
    }
  }
}

/** A level name (`warn`) or number (`40`) as pino's number; null when it is neither. */
export function parseLogLevel(value: string): number | null {
  if (Object.hasOwn(logLevels, value)) return logLevels[value as LogLevelName];
  const n = Number(value);
  return Number.isInteger(n) && n >= 0 && n <= 100 ? n : null;
}
