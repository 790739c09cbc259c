import { randomUUID } from 'node:crypto';
import type { PhotoPurpose, PhotoStore } from './photo-store.ts';

/** Keeps a session's images in memory only, until the session ends. */
export class MemoryPhotoStore implements PhotoStore {
  #photos = new Map<string, { sessionId: string; purpose: PhotoPurpose; data: Buffer }>();

  async put(sessionId: string, purpose: PhotoPurpose, data: Buffer): Promise<string> {
    const id = randomUUID();
    this.#photos.set(id, { sessionId, purpose, data });
    return id;
  }

  async get(photoId: string): Promise<Buffer> {
    const photo = this.#photos.get(photoId);
    if (!photo)
      throw Object.assign(new Error(`photo ${photoId} is not in the store`), { code: 'photo-missing' });
    return photo.data;
  }

  async deleteSession(sessionId: string): Promise<void> {
    for (const [id, photo] of this.#photos) if (photo.sessionId === sessionId) this.#photos.delete(id);
  }

  async count(): Promise<number> {
    return this.#photos.size;
  }
}
