import { z } from 'zod';

/**
 * Field types every part of the config schema shares (the booth's own blocks in config/, the
 * device blocks in hardware/<kind>/index.ts), so a bound is the same wherever it applies.
 */

/** The longest wait any setting may ask for. Node clamps a timer past 2^31-1 ms to 1 ms. */
export const maxDurationMs = 24 * 60 * 60 * 1000;

/** A duration in whole milliseconds, above 0, at most 24 hours. */
export const durationMs = () =>
  z
    .number()
    .int('must be a whole number of milliseconds')
    .positive()
    .max(maxDurationMs, `must be at most 24 hours (${maxDurationMs} ms)`);

/** A period in milliseconds where 0 means "never", at most 24 hours. */
export const periodMs = () =>
  z
    .number()
    .int('must be a whole number of milliseconds')
    .min(0)
    .max(maxDurationMs, `must be at most 24 hours (${maxDurationMs} ms)`);

/** A line of text a person reads (names, labels): not empty, at most `max` characters. */
export const text = (max = 120) => z.string().trim().min(1).max(max, `must be at most ${max} characters`);

/** A file system path or device address: not empty, at most 4096 bytes (PATH_MAX). */
export const pathText = () => z.string().min(1).max(4096, 'must be at most 4096 characters');

/** A URL whose scheme is one of `schemes` (checked after parsing, so `FILE://` is caught too). */
export const urlWith = (schemes: readonly string[]) =>
  z
    .string()
    .max(2048, 'must be at most 2048 characters')
    .url()
    .refine(
      (value) => !URL.canParse(value) || schemes.includes(new URL(value).protocol.slice(0, -1)),
      `must be a URL starting with ${schemes
        .map((s) => `${s}://`)
        .join(', ')
        .replace(/, ([^,]*)$/, ' or $1')}`,
    );
