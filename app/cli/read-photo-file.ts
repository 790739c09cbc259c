import type { Stats } from 'node:fs';
import { open } from 'node:fs/promises';

/** The largest photo file a command reads: a DSLR JPEG is 5 to 25 MB; raw-size TIFFs stay under. */
export const maxPhotoFileBytes = 64 * 1024 * 1024;

/**
 * Reads a photo file a person named on the command line, refusing what is not a photo file
 * before reading it whole: a device or pipe (`/dev/zero` would grow without end), a directory,
 * or a file over `maxBytes`. The size is checked on the opened file and the read stops one byte
 * past it, so a file that grows while being read is refused rather than read without end.
 */
export async function readPhotoFile(path: string, maxBytes = maxPhotoFileBytes): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new Error(`not a regular file (${kindOf(stat)})`);
    if (stat.size > maxBytes)
      throw new Error(`${stat.size} bytes is more than a photo may have (${mb(maxBytes)})`);
    const buffer = Buffer.alloc(stat.size + 1);
    let filled = 0;
    while (filled < buffer.length) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    if (filled > stat.size) throw new Error('it grew while being read');
    return buffer.subarray(0, filled);
  } finally {
    await handle.close();
  }
}

function kindOf(stat: Stats): string {
  if (stat.isDirectory()) return 'a directory';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  if (stat.isFIFO()) return 'a pipe';
  if (stat.isSocket()) return 'a socket';
  return 'not a file';
}

const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;
