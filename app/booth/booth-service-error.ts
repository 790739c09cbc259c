import { BoothError, type ErrorCode } from '../../core/errors.ts';

/** What the booth's session services refuse themselves (`unknown-product`, `not-compliant`). */
export class BoothServiceError extends BoothError<Extract<ErrorCode, 'unknown-product' | 'not-compliant'>> {
  constructor(code: Extract<ErrorCode, 'unknown-product' | 'not-compliant'>, message: string) {
    super(code, message);
    this.name = 'BoothServiceError';
  }
}
