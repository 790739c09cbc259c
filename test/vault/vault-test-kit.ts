import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { PhotoPurpose } from '../../app/services/photo-store/photo-store.ts';
import { VaultError, type VaultErrorCode } from '../../app/services/vault/vault-error.ts';

export const repoRoot = new URL('../../', import.meta.url).pathname;

export const allPurposes: readonly PhotoPurpose[] = [
  'still',
  'live-frame',
  'print-sheet',
  'digital-file',
  'email',
];

/** A fresh directory under the OS temp dir; `cleanup()` removes it with everything in it. */
export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `kiosk-vault-${prefix}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** JPEG start-of-image + APP0/JFIF header, the bytes any photo file would begin with. */
export const jpegHeader = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]);

/** Something shaped like a JPEG with a text marker inside that must never appear on disk. */
export function fakeJpeg(marker: string, filler = 2_000): Buffer {
  const body = Buffer.alloc(filler);
  for (let i = 0; i < filler; i++) body[i] = (i * 31) & 0xff;
  return Buffer.concat([
    jpegHeader,
    Buffer.from(marker),
    body,
    Buffer.from(marker),
    Buffer.from([0xff, 0xd9]),
  ]);
}

/** Every regular file below `dir`, as absolute paths. */
export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(path));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}

/** The files below `dir` whose bytes contain `needle`. */
export function filesContaining(dir: string, needle: Buffer | string): string[] {
  const bytes = typeof needle === 'string' ? Buffer.from(needle) : needle;
  return filesUnder(dir).filter((file) => readFileSync(file).includes(bytes));
}

export function modeOf(path: string): number {
  return statSync(path).mode & 0o777;
}

/** Runs `work` and returns the VaultError it threw; fails the test if it returned or threw something else. */
export async function vaultError(work: () => unknown): Promise<VaultError> {
  let result: unknown;
  try {
    result = await work();
  } catch (error) {
    if (error instanceof VaultError) return error;
    throw error;
  }
  throw new Error(`expected a VaultError, but got a result: ${String(result)}`);
}

export async function expectVaultError(work: () => unknown, code: VaultErrorCode): Promise<VaultError> {
  const error = await vaultError(work);
  expect(error.code, error.message).toBe(code);
  expect(error.name).toBe('VaultError');
  return error;
}
