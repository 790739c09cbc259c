import { BoothError, type VisionCode } from '../../../core/errors.ts';

/** An image the booth cannot decode (frame statistics); the same code as the face engine's. */
export class ImageError extends BoothError<Extract<VisionCode, 'image-corrupt'>> {
  constructor(code: Extract<VisionCode, 'image-corrupt'>, message: string) {
    super(code, message);
    this.name = 'ImageError';
  }
}
