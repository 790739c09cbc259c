export type VaultErrorCode =
  | 'tampered'
  | 'key-destroyed'
  | 'not-found'
  | 'no-session'
  | 'disk-full'
  | 'master-key-unreadable'
  | 'clock-untrusted';

/** A vault failure that says what went wrong; never returns garbage as a photo. */
export class VaultError extends Error {
  override name = 'VaultError';
  constructor(
    readonly code: VaultErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Turns a write failure from the disk into a vault error a flow can act on. */
export function asWriteError(error: unknown, what: string): Error {
  const code = (error as { code?: string }).code;
  if (code === 'ENOSPC' || code === 'EDQUOT' || code === 'SQLITE_FULL') {
    return new VaultError('disk-full', `the disk is full: could not store ${what}`, { cause: error });
  }
  return error as Error;
}
