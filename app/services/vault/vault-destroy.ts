import {
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readdirSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { syncDir, writeFileAtomic } from '../../../config/durable-file.ts';
import { VaultError } from './vault-error.ts';

/** Left in the vault folder once it is destroyed: no vault is ever opened there again. */
const destroyedMarker = 'DESTROYED';

export interface VaultContents {
  sessions: number;
  items: number;
  records: number;
}

/** What the vault holds, counted without its key (for the end-of-service audit line). */
export function countVault(dir: string): VaultContents {
  const file = join(dir, 'index.sqlite');
  if (!existsSync(file)) return { sessions: 0, items: 0, records: 0 };
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const count = (table: string) => {
      const exists = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(table);
      return exists ? (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n : 0;
    };
    return { sessions: count('sessions'), items: count('items'), records: count('records') };
  } finally {
    db.close();
  }
}

/**
 * Crypto-shreds the whole vault at end of service: the master key is overwritten with random
 * bytes, synced, and unlinked first (from then on no wrapped key, and so no sealed file or
 * record, can be opened, copies included), then the index (wrapped keys, audit) and every sealed
 * file are deleted, and a marker says the vault is gone. Each step checks what is left, so a
 * run cut off by a power cut is finished by running it again.
 *
 * Overwriting is no promise on flash (wear levelling may keep the old block); the promise is
 * that the key file is gone from the file system and every wrapped key with it.
 */
export function destroyVault(dir: string): void {
  if (!existsSync(dir)) return;
  const key = join(dir, 'master.key');
  if (existsSync(key)) {
    overwrite(key);
    rmSync(key, { force: true });
    syncDir(dir);
  }
  for (const name of ['index.sqlite', 'index.sqlite-wal', 'index.sqlite-shm', 'index.sqlite-journal']) {
    const file = join(dir, name);
    if (existsSync(file)) {
      overwrite(file);
      rmSync(file, { force: true });
    }
  }
  for (const sub of ['blobs', 'scratch']) {
    const folder = join(dir, sub);
    if (!existsSync(folder)) continue;
    for (const name of readdirSync(folder)) rmSync(join(folder, name), { force: true, recursive: true });
    syncDir(folder);
  }
  writeFileAtomic(join(dir, destroyedMarker), 'this vault was destroyed at end of service\n', 0o600);
  syncDir(dir);
}

export function vaultDestroyed(dir: string): boolean {
  return existsSync(join(dir, destroyedMarker));
}

/** Throws `vault-destroyed` where the vault was destroyed (a booth started after its end of service). */
export function refuseDestroyedVault(dir: string): void {
  if (vaultDestroyed(dir))
    throw new VaultError(
      'vault-destroyed',
      `the vault in ${dir} was destroyed at end of service (kiosk decommission): this booth takes no more photos`,
    );
}

/** Random bytes over the file's whole length, synced, before it is unlinked. */
function overwrite(file: string): void {
  const size = statSync(file).size;
  const fd = openSync(file, 'r+');
  try {
    const chunk = 1 << 20;
    for (let at = 0; at < size; at += chunk)
      writeSync(fd, randomBytes(Math.min(chunk, size - at)), 0, undefined, at);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
