import { randomUUID } from 'node:crypto';
import { PhotoStoreError, type PhotoPurpose, type PhotoStore, type SessionKeep } from './photo-store.ts';

/** Keeps a session's data in memory only, and drops it when the session ends. For flow tests. */
export class MemoryPhotoStore implements PhotoStore {
  #items = new Map<string, { sessionId: string; purpose: PhotoPurpose; data: Buffer }>();

  async beginSession(): Promise<void> {}

  async put(sessionId: string, purpose: PhotoPurpose, data: Buffer): Promise<string> {
    const id = randomUUID();
    this.#items.set(id, { sessionId, purpose, data });
    return id;
  }

  async get(itemId: string): Promise<Buffer> {
    const item = this.#items.get(itemId);
    if (!item) throw new PhotoStoreError('not-found', `item ${itemId} is not in the store`);
    return item.data;
  }

  async list(sessionId: string, purpose?: PhotoPurpose): Promise<string[]> {
    return [...this.#items]
      .filter(([, item]) => item.sessionId === sessionId && (!purpose || item.purpose === purpose))
      .map(([id]) => id);
  }

  async endSession(sessionId: string, _keep: SessionKeep): Promise<void> {
    await this.deleteSession(sessionId);
  }

  async deleteSession(sessionId: string): Promise<void> {
    for (const [id, item] of this.#items) if (item.sessionId === sessionId) this.#items.delete(id);
  }

  async count(): Promise<number> {
    return this.#items.size;
  }
}
