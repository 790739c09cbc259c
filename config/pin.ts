import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';

/** Hashes an operator PIN or technician token as `scrypt$<salt>$<hash>` (base64). */
export function hashSecret(secret: string, kind: 'pin' | 'token' = 'pin'): string {
  if (kind === 'pin' && !/^\d{4,12}$/.test(secret)) throw new Error('an operator PIN must be 4 to 12 digits');
  if (kind === 'token' && secret.length < 16)
    throw new Error('a technician token must be at least 16 characters');
  const salt = randomBytes(16);
  const hash = scryptSync(secret, salt, 32);
  return `scrypt$${salt.toString('base64')}$${hash.toString('base64')}`;
}

export function verifySecret(secret: string, stored: string): boolean {
  const [scheme, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = scryptSync(secret, Buffer.from(salt, 'base64'), expected.length);
  return timingSafeEqual(actual, expected);
}
