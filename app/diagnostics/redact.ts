/**
 * What leaves the booth in a support bundle is scrubbed twice: the config loses its secrets by
 * key (PIN hashes, tokens, keys, passwords), and every text that goes in loses anything shaped
 * like an email address or a receipt code, wherever it came from (a log line, an operator's
 * unit name). A technician needs neither to fix a booth.
 */

/** Keys whose values are secrets or identify a person, at any depth of the config. */
const secretKey = /pin|token|password|secret|hash|key$|^user$|address$|^from$/i;
const removed = '[removed]';

/** Deliberately loose: anything with an @ between word characters and a dot after it. */
const emailLike = /[^\s"'<>@,;:()[\]\\]+@[^\s"'<>@,;:()[\]\\]+\.[^\s"'<>@,;:()[\]\\]+/g;
/** Crockford base-32, `XXXXX-XXXXX` (core/receipt-code.ts), also without its dash. */
const receiptCodeLike = /\b[0-9A-HJKMNP-TV-Z]{5}-?[0-9A-HJKMNP-TV-Z]{5}\b/g;

/** A copy of the config with every secret and address removed. */
export function redactConfig(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactConfig);
  if (typeof value === 'string') return scrubText(value);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = secretKey.test(key) && item !== null ? removed : redactConfig(item);
  }
  return out;
}

/** Text with email addresses and receipt codes replaced. */
export function scrubText(text: string): string {
  return text.replace(emailLike, '[email removed]').replace(receiptCodeLike, '[code removed]');
}
