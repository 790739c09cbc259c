import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { VaultError } from './vault-error.ts';

const version = 1;
const ivBytes = 12;
const tagBytes = 16;

/**
 * AES-256-GCM with a random 96-bit nonce: `[version][iv][tag][ciphertext]`. The associated data
 * binds a box to where it belongs (item id, session, purpose), so a file moved to another row
 * or another session fails to open instead of showing someone else's photo.
 */
export function seal(key: Buffer, plaintext: Buffer, aad: string): Buffer {
  const iv = randomBytes(ivBytes);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([Buffer.from([version]), iv, cipher.getAuthTag(), body]);
}

export function open(key: Buffer, box: Buffer, aad: string): Buffer {
  if (box.length < 1 + ivBytes + tagBytes || box[0] !== version) {
    throw new VaultError('tampered', 'the sealed data is truncated or of an unknown format');
  }
  const iv = box.subarray(1, 1 + ivBytes);
  const tag = box.subarray(1 + ivBytes, 1 + ivBytes + tagBytes);
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(box.subarray(1 + ivBytes + tagBytes)), decipher.final()]);
  } catch (error) {
    throw new VaultError('tampered', 'the sealed data failed authentication (tampered or wrong key)', {
      cause: error,
    });
  }
}
