import { BoothError, type OperatorCode } from '../../core/errors.ts';

/** What the operator's services refuse, with a message that says what was wrong. */
export class OperatorError extends BoothError<OperatorCode> {
  constructor(code: OperatorCode, message: string) {
    super(code, message);
    this.name = 'OperatorError';
  }
}
