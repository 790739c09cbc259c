import { BoothError, type ErrorCode } from '../../core/errors.ts';

/** What the booth's session services refuse themselves (`unknown-product`, `not-compliant`, `voucher-locked`). */
export class BoothServiceError extends BoothError<
  Extract<ErrorCode, 'unknown-product' | 'not-compliant' | 'voucher-locked'>
> {
  constructor(
    code: Extract<ErrorCode, 'unknown-product' | 'not-compliant' | 'voucher-locked'>,
    message: string,
  ) {
    super(code, message);
    this.name = 'BoothServiceError';
  }
}
