import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
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

/** Writes a fresh key with owner-only permissions, atomically (a half key is worse than none). */
function createKeyFile(file: string): Buffer {
  const key = randomBytes(32);
  const tmp = join(dirname(file), `.master.key.${process.pid}.tmp`);
  // A crash here on an earlier start leaves a temp file; with the same pid (a container) 'wx' would fail forever.
  rmSync(tmp, { force: true });
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, key);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw error;
  }
  closeSync(fd);
  renameSync(tmp, file);
  const dirFd = openSync(dirname(file), 'r');
  try {
    fsyncSync(dirFd);
  } finally {
    closeSync(dirFd);
  }
  return key;
}
