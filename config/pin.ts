import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';

const saltBytes = 16;

/** Opens operator mode as `technician` while no PIN is set (app/operator/operator-access.ts). */
export const demoPin = '0000';
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

/**
 * Why `pin` cannot be a role's new PIN, or null when it can: 4 to 12 digits, not the demo PIN
 * (it is in the manual: as a PIN it would open the booth to anyone who read it, and no longer be
 * reported as the demo PIN to change), not the other role's PIN (the pad could not tell them
 * apart and would always open the technician's).
 */
export function newPinProblem(pin: string, otherRoleHash: string | null): string | null {
  if (!/^\d{4,12}$/.test(pin)) return 'a PIN must be 4 to 12 digits';
  if (pin === demoPin) return `${demoPin} is the demo PIN: choose another`;
  if (otherRoleHash && verifySecret(pin, otherRoleHash))
    return "that is the other role's PIN: choose another";
  return null;
}
