import type { ProductionInputCode } from '../../../core/errors.ts';
import { ProductionInputError } from './production-input-error.ts';

/** The `productionInput` codes sheet planning, rendering and print encoding refuse with. */
type PrintSheetErrorCode = Extract<
  ProductionInputCode,
  | 'sheet-too-small'
  | 'invalid-copies'
  | 'invalid-photo-size'
  | 'invalid-sheet-options'
  | 'unknown-media'
  | 'photo-size-mismatch'
  | 'invalid-quality'
>;

export function productionError(code: PrintSheetErrorCode, message: string): ProductionInputError {
  return new ProductionInputError(code, message);
}
