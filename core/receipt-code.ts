import { randomInt } from 'node:crypto';

/**
 * Crockford's base-32 alphabet: no I, L, O or U, so a code read off a receipt is hard to mistype,
 * and typing is case-insensitive.
 */
const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A receipt code: 10 random characters (50 bits), shown as `XXXXX-XXXXX`. */
export function newReceiptCode(): string {
  let code = '';
  for (let i = 0; i < 10; i++) code += alphabet[randomInt(alphabet.length)];
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

/** Normalises what a person typed (lower case, O for 0, missing dash) to the stored form, or null. */
export function parseReceiptCode(typed: string): string | null {
  const cleaned = typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (!/^[0-9A-HJKMNP-TV-Z]{10}$/.test(cleaned)) return null;
  return `${cleaned.slice(0, 5)}-${cleaned.slice(5)}`;
}
