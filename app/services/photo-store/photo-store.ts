import { BoothError, type StorageCode } from '../../../core/errors.ts';

/** An item a store does not hold (the in-memory store; the vault throws a `VaultError`). */
export class PhotoStoreError extends BoothError<Extract<StorageCode, 'not-found'>> {
  constructor(code: Extract<StorageCode, 'not-found'>, message: string) {
    super(code, message);
    this.name = 'PhotoStoreError';
  }
}

/** Why something personal is kept; the vault uses it for retention and audit. */
export type PhotoPurpose = 'still' | 'live-frame' | 'print-sheet' | 'digital-file' | 'email';

/** What happens to a session's data when it ends: kept for reprints until retention, or wiped now. */
export type SessionKeep = 'retain' | 'wipe';

/**
 * Where every image and email address of a customer goes, and nowhere else. The encrypted vault
 * implements it for the booth; the in-memory store (nothing on disk) serves flow tests.
 */
export interface PhotoStore {
  /** Opens a session's compartment; the receipt code lets an operator find it later. */
  beginSession(sessionId: string, options: { receiptCode: string }): Promise<void>;
  put(sessionId: string, purpose: PhotoPurpose, data: Buffer): Promise<string>;
  get(itemId: string): Promise<Buffer>;
  /** Ids of a session's items, oldest first, optionally of one purpose (for reprints). */
  list(sessionId: string, purpose?: PhotoPurpose): Promise<string[]>;
  endSession(sessionId: string, keep: SessionKeep): Promise<void>;
  /** Removes every trace of a session's data (crypto-shredding in the vault). */
  deleteSession(sessionId: string, reason: string): Promise<void>;
  count(): Promise<number>;
}
