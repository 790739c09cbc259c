import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import Database from 'better-sqlite3';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPortraits } from '../../app/booth/create-devices.ts';

const root = new URL('../../', import.meta.url).pathname;

type ImageKind = 'jpeg' | 'png' | 'webp' | 'jpeg-base64' | 'png-base64';

const jpegSoi = Buffer.from([0xff, 0xd8, 0xff]);
const pngSignature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
// Base64 of a JPEG starts `/9j/`, of a PNG `iVBORw0KGgo`; an encoded image is a long run.
const base64Images: [ImageKind, RegExp][] = [
  ['jpeg-base64', /(?<![A-Za-z0-9+/=])\/9j\/[A-Za-z0-9+/]{60,}/],
  ['png-base64', /(?<![A-Za-z0-9+/=])iVBORw0KGgo[A-Za-z0-9+/]{60,}/],
];

/** Every image signature in a file's bytes, with its offset. */
function imageSignatures(bytes: Buffer): { kind: ImageKind; offset: number }[] {
  const found: { kind: ImageKind; offset: number }[] = [];
  for (let at = bytes.indexOf(jpegSoi); at >= 0; at = bytes.indexOf(jpegSoi, at + 1)) {
    found.push({ kind: 'jpeg', offset: at });
  }
  for (let at = bytes.indexOf(pngSignature); at >= 0; at = bytes.indexOf(pngSignature, at + 1)) {
    found.push({ kind: 'png', offset: at });
  }
  for (let at = bytes.indexOf('RIFF'); at >= 0; at = bytes.indexOf('RIFF', at + 1)) {
    if (bytes.toString('latin1', at + 8, at + 12) === 'WEBP') found.push({ kind: 'webp', offset: at });
  }
  const text = bytes.toString('latin1');
  for (const [kind, pattern] of base64Images) {
    const match = pattern.exec(text);
    if (match) found.push({ kind, offset: match.index });
  }
  return found;
}

/**
 * Whether a JPEG decoder reads an image header at `offset`. Sealed vault files are random
 * bytes, where FF D8 FF turns up by chance (about once in 16 MB); a real JPEG also parses.
 */
async function decodesAsJpeg(bytes: Buffer, offset: number): Promise<boolean> {
  try {
    const meta = await sharp(bytes.subarray(offset)).metadata();
    return meta.format === 'jpeg' && (meta.width ?? 0) > 0;
  } catch {
    return false;
  }
}

/** Every regular file under `dir`, skipping the paths `skip` says no to. */
function walk(dir: string, skip: (path: string) => boolean = () => false): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (skip(path)) continue;
    if (entry.isDirectory()) files.push(...walk(path, skip));
    else if (lstatSync(path).isFile()) files.push(path);
  }
  return files;
}

function runCli(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'bin/kiosk.js'), ...args], { cwd: root, env });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

const work = mkdtempSync(join(tmpdir(), 'kiosk-no-images-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const portrait = readFileSync(demoPortraits()[0]!);

describe('the image detector', () => {
  const kinds = (bytes: Buffer) => imageSignatures(bytes).map((f) => f.kind);

  it('flags a real JPEG, also in the middle of other bytes', () => {
    expect(kinds(portrait)).toContain('jpeg');
    expect(imageSignatures(portrait)[0]).toEqual({ kind: 'jpeg', offset: 0 });
    const inside = Buffer.concat([Buffer.from('{"log":"x"}\n'), portrait]);
    expect(imageSignatures(inside)).toContainEqual({ kind: 'jpeg', offset: 12 });
  });

  it('flags PNG and WebP files', async () => {
    expect(kinds(await sharp(portrait).png().toBuffer())).toContain('png');
    expect(kinds(await sharp(portrait).webp().toBuffer())).toContain('webp');
  });

  it('flags base64-encoded images in text', async () => {
    const json = Buffer.from(JSON.stringify({ still: portrait.toString('base64') }));
    expect(kinds(json)).toContain('jpeg-base64');
    const dataUrl = `<img src="data:image/png;base64,${(await sharp(portrait).png().toBuffer()).toString('base64')}">`;
    expect(kinds(Buffer.from(dataUrl))).toContain('png-base64');
  });

  it('passes text and random bytes without signatures', () => {
    expect(imageSignatures(Buffer.from('{"sessions":10,"completed":9}\n'))).toEqual([]);
    const noise = randomBytes(4096);
    for (let at = noise.indexOf(jpegSoi); at >= 0; at = noise.indexOf(jpegSoi)) noise[at] = 0;
    expect(imageSignatures(noise)).toEqual([]);
  });

  it('tells a JPEG inside sealed-looking bytes from a chance FF D8 FF', async () => {
    const hidden = Buffer.concat([randomBytes(5000), portrait, randomBytes(100)]);
    expect(await decodesAsJpeg(hidden, 5000)).toBe(true);
    expect(await decodesAsJpeg(portrait.subarray(0, 2000), 0)).toBe(true); // a header is enough
    const chance = Buffer.concat([jpegSoi, randomBytes(5000)]);
    expect(await decodesAsJpeg(chance, 0)).toBe(false);
  });
});

describe('after `kiosk simulate`, images exist only sealed in the vault', () => {
  const tmp = join(work, 'tmp');
  const dataDir = join(work, 'data');
  const vaultDir = join(dataDir, 'vault');
  const blobDir = join(vaultDir, 'blobs');
  let run: { code: number | null; out: string; err: string };

  beforeAll(async () => {
    mkdirSync(tmp);
    const env: NodeJS.ProcessEnv = { ...process.env, TMPDIR: tmp, TMP: tmp, TEMP: tmp };
    delete env.KIOSK_DATA_DIR;
    run = await runCli(['simulate', '--sessions', '10', '--seed', '5', '--data-dir', dataDir], env);
  }, 180_000);

  it('ran the sessions and kept the completed ones in the vault', () => {
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.out) as { sessions: number; completed: number };
    expect(report.sessions).toBe(10);
    expect(report.completed).toBeGreaterThan(0);
    const db = new Database(join(vaultDir, 'index.sqlite'), { readonly: true, fileMustExist: true });
    try {
      const sessions = db
        .prepare('SELECT count(*) AS n, sum(simulated) AS simulated FROM sessions')
        .get() as {
        n: number;
        simulated: number;
      };
      expect(sessions.n).toBe(report.completed);
      expect(sessions.simulated).toBe(sessions.n);
      const files = (db.prepare('SELECT file FROM items').all() as { file: string }[]).map((r) => r.file);
      // Every sealed file belongs to an item, and every item has its file: nothing stray.
      expect(new Set(readdirSync(blobDir))).toEqual(new Set(files));
      expect(files.length).toBeGreaterThanOrEqual(report.completed);
    } finally {
      db.close();
    }
  });

  it('leaves no image data in the temp directory', () => {
    const files = walk(tmp);
    const found = files.flatMap((file) =>
      imageSignatures(readFileSync(file)).map((f) => ({ file: relative(tmp, file), ...f })),
    );
    expect(found).toEqual([]);
  });

  it('leaves no image data in the data directory outside the vault files', () => {
    const vaultFiles = (path: string) =>
      path === blobDir ||
      path === join(vaultDir, 'master.key') ||
      (dirname(path) === vaultDir && basename(path).startsWith('index.sqlite'));
    const files = walk(dataDir, vaultFiles);
    // The walk sees the run's own files (so it looked in the right place).
    expect(files).toContain(join(dataDir, 'simulation', 'credit-journal.sqlite'));
    const found = files.flatMap((file) =>
      imageSignatures(readFileSync(file)).map((f) => ({ file: relative(dataDir, file), ...f })),
    );
    expect(found).toEqual([]);
  });

  it('keeps the vault files sealed: no sealed file is or holds a readable image', async () => {
    const blobs = readdirSync(blobDir);
    expect(blobs.length).toBeGreaterThan(0);
    const readable: { file: string; kind: string; offset: number }[] = [];
    for (const name of blobs) {
      const bytes = readFileSync(join(blobDir, name));
      expect(bytes.length).toBeGreaterThan(1000);
      expect(bytes.subarray(0, 2).equals(Buffer.from([0xff, 0xd8])), `${name} starts with a JPEG SOI`).toBe(
        false,
      );
      for (const found of imageSignatures(bytes)) {
        // A chance FF D8 FF in ciphertext is not an image; one a decoder reads is.
        if (found.kind === 'jpeg' && !(await decodesAsJpeg(bytes, found.offset))) continue;
        readable.push({ file: name, ...found });
      }
    }
    expect(readable).toEqual([]);
  });
});
