import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';

/**
 * Writes a file so that it is either whole or absent, even across a power cut: a temp file in
 * the same folder, every byte written and fsynced, renamed over the target, the folder fsynced.
 * On failure the temp file is removed and the old file is untouched.
 *
 * `sync: false` keeps the temp file and the rename (whole or absent across a killed process) but
 * skips both fsyncs, so a power cut may lose the file: only for throwaway data (simulated sessions).
 */
export function writeFileAtomic(
  file: string,
  content: string | Buffer,
  mode = 0o600,
  options: { sync?: boolean } = {},
): void {
  const sync = options.sync ?? true;
  const temp = join(dirname(file), `.${basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  const data = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  const fd = openSync(temp, 'w', mode);
  try {
    try {
      // write(2) may take fewer bytes than asked (a filling disk): keep going until all are down.
      for (let done = 0; done < data.length;) {
        const written = writeSync(fd, data, done, data.length - done);
        if (written <= 0) throw new Error(`short write to ${temp}`);
        done += written;
      }
      if (sync) fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  if (sync) syncDir(dirname(file));
}

/** Makes a folder's entries (a rename, an unlink) durable. */
export function syncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
