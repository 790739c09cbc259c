import { BoothError, isDiskFullCode, type StorageCode } from '../../../core/errors.ts';

/** The registry's `storage` codes (core/errors.ts). */
export type VaultErrorCode = StorageCode;

/** A vault failure that says what went wrong; never returns garbage as a photo. */
export class VaultError extends BoothError<VaultErrorCode> {
  override name = 'VaultError';
}

/** Turns a write failure from the disk into a vault error a flow can act on. */
export function asWriteError(error: unknown, what: string): Error {
  const code = (error as { code?: string }).code;
  if (isDiskFullCode(code)) {
    return new VaultError('disk-full', `the disk is full: could not store ${what}`, { cause: error });
  }
  return error as Error;
}
