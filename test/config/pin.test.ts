import { describe, expect, it } from 'vitest';
import { hashSecret, verifySecret } from '../../config/pin.ts';
import { boothConfigSchema } from '../../config/schema.ts';

describe('operator PIN and technician token hashes', () => {
  it('a hashed PIN verifies with the same PIN and the hash does not contain the PIN', () => {
    const hash = hashSecret('482913');
    expect(hash).toMatch(/^scrypt\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(hash).not.toContain('482913');
    expect(verifySecret('482913', hash)).toBe(true);
    // The schema takes what set-pin produces.
    expect(boothConfigSchema.parse({ operator: { pins: { operator: hash } } }).operator.pins.operator).toBe(
      hash,
    );
  });

  it('stores a 16-byte salt and a 32-byte key', () => {
    const [scheme, salt, key] = hashSecret('1234').split('$');
    expect(scheme).toBe('scrypt');
    expect(Buffer.from(salt!, 'base64')).toHaveLength(16);
    expect(Buffer.from(key!, 'base64')).toHaveLength(32);
  });

  it('refuses a wrong PIN, including near misses', () => {
    const hash = hashSecret('482913');
    for (const wrong of ['482914', '48291', '4829130', '', ' 482913', '482913 ', '000000']) {
      expect(verifySecret(wrong, hash), wrong).toBe(false);
    }
  });

  it('salts every hash: the same PIN hashes differently and each hash verifies', () => {
    const hashes = Array.from({ length: 5 }, () => hashSecret('1234'));
    expect(new Set(hashes).size).toBe(5);
    expect(new Set(hashes.map((h) => h.split('$')[1])).size).toBe(5);
    for (const h of hashes) expect(verifySecret('1234', h)).toBe(true);
  });

  it('refuses PINs that are not 4 to 12 digits, and short technician tokens', () => {
    for (const bad of ['123', '1234567890123', 'abcd', '12 34', '', '١٢٣٤']) {
      expect(() => hashSecret(bad), bad).toThrow('an operator PIN must be 4 to 12 digits');
    }
    expect(hashSecret('1234')).toBeTruthy();
    expect(hashSecret('123456789012')).toBeTruthy();
    expect(() => hashSecret('short-token', 'token')).toThrow('at least 16 characters');
    const token = 'a-long-technician-token';
    const tokenHash = hashSecret(token, 'token');
    expect(verifySecret(token, tokenHash)).toBe(true);
    expect(verifySecret('a-long-technician-tokeN', tokenHash)).toBe(false);
  });

  it('refuses every malformed stored hash with false, never an exception and never a match', () => {
    const good = hashSecret('1234');
    const [, salt, key] = good.split('$');
    const malformed = [
      '',
      'garbage',
      '1234',
      'scrypt',
      'scrypt$',
      'scrypt$$',
      `scrypt$${salt}$`,
      `scrypt$$${key}`,
      `bcrypt$${salt}$${key}`,
      `SCRYPT$${salt}$${key}`,
      // A key that decodes to nothing: comparing two empty buffers must not count as a match.
      `scrypt$${salt}$=`,
      `scrypt$${salt}$!!!!`,
      // A salt that decodes to nothing.
      `scrypt$=$${key}`,
      // Too short a key to be one set-pin made.
      `scrypt$${salt}$AAAA`,
      // Extra fields.
      `${good}$extra`,
      `scrypt$${salt}$${key}$${key}`,
    ];
    for (const stored of malformed) {
      expect(() => verifySecret('1234', stored), stored).not.toThrow();
      expect(verifySecret('1234', stored), stored).toBe(false);
      expect(verifySecret('0000', stored), stored).toBe(false);
    }
  });

  it('refuses a hash whose key was tampered with', () => {
    const good = hashSecret('1234');
    const [scheme, salt, key] = good.split('$');
    const bytes = Buffer.from(key!, 'base64');
    bytes[0] = bytes[0]! ^ 0xff;
    expect(verifySecret('1234', `${scheme}$${salt}$${bytes.toString('base64')}`)).toBe(false);
    const otherSalt = hashSecret('1234').split('$')[1];
    expect(verifySecret('1234', `${scheme}$${otherSalt}$${key}`)).toBe(false);
  });
});
