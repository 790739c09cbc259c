/** Why an image is kept; the privacy vault uses it for retention and audit. */
export type PhotoPurpose = 'still' | 'print-sheet' | 'digital-file';

/**
 * Where every image of a customer goes, and nowhere else. The in-memory store keeps nothing on
 * disk; the encrypted vault (a later part) implements the same port.
 */
export interface PhotoStore {
  put(sessionId: string, purpose: PhotoPurpose, data: Buffer): Promise<string>;
  get(photoId: string): Promise<Buffer>;
  /** Removes every image of a session. */
  deleteSession(sessionId: string): Promise<void>;
  count(): Promise<number>;
}
