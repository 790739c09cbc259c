import { readFileSync } from 'node:fs';
import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { writeFileAtomic } from '../../../config/durable-file.ts';
import { open, seal } from './sealed-box.ts';
import { VaultError } from './vault-error.ts';

/**
 * Holds the device master key and does the only two things the vault needs with it: wrap a
 * session's data key, and key the lookup of receipt codes. An OS keyring or a TPM can implement
 * this without ever handing the master key out.
 */
export interface KeyProvider {
  wrapKey(dataKey: Buffer, aad: string): Buffer;
  unwrapKey(wrapped: Buffer, aad: string): Buffer;
  /** A keyed one-way fingerprint (receipt codes are looked up by it, never stored). */
  fingerprint(value: string): string;
}

/** The master key in a file only the kiosk's user can read (created 0600 on first run). */
export class FileKeyProvider implements KeyProvider {
  readonly #wrapKey: Buffer;
  readonly #lookupKey: Buffer;

  private constructor(master: Buffer) {
    this.#wrapKey = Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), 'vault key wrapping', 32));
    this.#lookupKey = Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), 'vault lookup', 32));
    master.fill(0);
  }

  static openOrCreate(file: string): FileKeyProvider {
    let master: Buffer;
    try {
      master = readFileSync(file);
    } catch (error) {
      if ((error as { code?: string }).code !== 'ENOENT') {
        throw new VaultError('master-key-unreadable', `cannot read the vault master key ${file}`, {
          cause: error,
        });
      }
      master = createKeyFile(file);
    }
    if (master.length !== 32) {
      throw new VaultError(
        'master-key-unreadable',
        `the vault master key ${file} has ${master.length} bytes, not 32`,
      );
    }
    return new FileKeyProvider(master);
  }

  wrapKey(dataKey: Buffer, aad: string): Buffer {
    return seal(this.#wrapKey, dataKey, `key:${aad}`);
  }

  unwrapKey(wrapped: Buffer, aad: string): Buffer {
    return open(this.#wrapKey, wrapped, `key:${aad}`);
  }

  fingerprint(value: string): string {
    return createHmac('sha256', this.#lookupKey).update(value).digest('hex');
  }
}

/** A fresh key, written whole or not at all, readable by the owner only. */
function createKeyFile(file: string): Buffer {
  const key = randomBytes(32);
  writeFileAtomic(file, key, 0o600);
  return key;
}
