import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';

const saltBytes = 16;
const keyBytes = 32;

/** Hashes an operator PIN or technician token as `scrypt$<salt>$<hash>` (base64). */
export function hashSecret(secret: string, kind: 'pin' | 'token' = 'pin'): string {
  if (kind === 'pin' && !/^\d{4,12}$/.test(secret)) throw new Error('an operator PIN must be 4 to 12 digits');
  if (kind === 'token' && secret.length < 16)
    throw new Error('a technician token must be at least 16 characters');
  const salt = randomBytes(saltBytes);
  const hash = scryptSync(secret, salt, keyBytes);
  return `scrypt$${salt.toString('base64')}$${hash.toString('base64')}`;
}

export function verifySecret(secret: string, stored: string): boolean {
  const parts = stored.split('$');
  const [scheme, salt, hash] = parts;
  if (parts.length !== 3 || scheme !== 'scrypt' || !salt || !hash) return false;
  const saltBuffer = Buffer.from(salt, 'base64');
  const expected = Buffer.from(hash, 'base64');
  // Only what hashSecret makes: a key that decodes to 0 bytes would otherwise match any secret.
  if (saltBuffer.length !== saltBytes || expected.length !== keyBytes) return false;
  const actual = scryptSync(secret, saltBuffer, keyBytes);
  return timingSafeEqual(actual, expected);
}
