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

  /**
   * Opens the key in `file`. A missing file is made into a fresh key only with `create` (a
   * vault with nothing sealed yet): anywhere else a new key would silently make every stored
   * photo unreadable, so a missing key is `master-key-missing` and the operator decides.
   */
  static open(file: string, options: { create: boolean; refusal?: string }): FileKeyProvider {
    const state = masterKeyState(file);
    if (state.state === 'missing') {
      if (!options.create)
        throw new VaultError(
          'master-key-missing',
          options.refusal ?? `the vault master key ${file} is missing`,
        );
      return new FileKeyProvider(createKeyFile(file));
    }
    if (state.state === 'unreadable') throw state.error;
    return new FileKeyProvider(state.key);
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

/** Whether the key file is there and usable, without creating anything. */
export function masterKeyState(
  file: string,
): { state: 'ok'; key: Buffer } | { state: 'missing' } | { state: 'unreadable'; error: VaultError } {
  let key: Buffer;
  try {
    key = readFileSync(file);
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return { state: 'missing' };
    return {
      state: 'unreadable',
      error: new VaultError('master-key-unreadable', `cannot read the vault master key ${file}`, {
        cause: error,
      }),
    };
  }
  if (key.length !== 32) {
    key.fill(0);
    return {
      state: 'unreadable',
      error: new VaultError(
        'master-key-unreadable',
        `the vault master key ${file} has ${key.length} bytes, not 32`,
      ),
    };
  }
  return { state: 'ok', key };
}

/** Writes a new key in place of a lost one (`kiosk vault reset-key`, once the vault is emptied). */
export function replaceKeyFile(file: string): void {
  createKeyFile(file).fill(0);
}

/** A fresh key, written whole or not at all, readable by the owner only. */
function createKeyFile(file: string): Buffer {
  const key = randomBytes(32);
  writeFileAtomic(file, key, 0o600);
  return key;
}
