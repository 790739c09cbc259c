import { BoothError, type ProductionCode } from '../../../core/errors.ts';

export type ProductionErrorCode = Extract<ProductionCode, 'image-corrupt' | 'production-failed'>;

export class ProductionError extends BoothError<ProductionErrorCode> {
  constructor(code: ProductionErrorCode, message: string) {
    super(code, message);
    this.name = 'ProductionError';
  }
}
