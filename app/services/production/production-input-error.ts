import { BoothError, type ProductionInputCode } from '../../../core/errors.ts';

/**
 * What sheet planning, sheet encoding and digital-file encoding refuse before they make anything
 * (the registry's `productionInput` codes: `sheet-too-small`, `invalid-quality`, …).
 */
export class ProductionInputError extends BoothError<ProductionInputCode> {
  constructor(code: ProductionInputCode, message: string) {
    super(code, message);
    this.name = 'ProductionInputError';
  }
}
