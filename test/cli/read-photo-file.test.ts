import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { maxPhotoFileBytes, readPhotoFile } from '../../app/cli/read-photo-file.ts';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'read-photo-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('readPhotoFile', () => {
  it('reads a regular file whole', async () => {
    const file = join(dir, 'a.jpg');
    const bytes = Buffer.from('JPEG-ish bytes '.repeat(1000));
    writeFileSync(file, bytes);
    expect((await readPhotoFile(file)).equals(bytes)).toBe(true);
  });

  it('refuses a device, a directory and a pipe without reading them', async () => {
    await expect(readPhotoFile('/dev/zero')).rejects.toThrow('not a regular file (a device)');
    await expect(readPhotoFile(dir)).rejects.toThrow('not a regular file (a directory)');
    const fifo = join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    // Opening a FIFO for reading waits for a writer: give it one that writes nothing.
    const writer = import('node:fs').then((fs) => fs.openSync(fifo, 'w'));
    await expect(readPhotoFile(fifo)).rejects.toThrow('not a regular file (a pipe)');
    (await import('node:fs')).closeSync(await writer);
  });

  it('refuses a file over the cap by its size, before reading it', async () => {
    const big = join(dir, 'big.jpg');
    writeFileSync(big, '');
    truncateSync(big, maxPhotoFileBytes + 1); // sparse: no disk used
    await expect(readPhotoFile(big)).rejects.toThrow(
      `${maxPhotoFileBytes + 1} bytes is more than a photo may have (64 MB)`,
    );
    await expect(readPhotoFile(big, 10)).rejects.toThrow(/more than a photo may have/);
  });

  it('a missing file keeps its ENOENT code for the command to report', async () => {
    await expect(readPhotoFile(join(dir, 'nope.jpg'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
