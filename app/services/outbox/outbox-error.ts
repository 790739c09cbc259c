import { BoothError, type OutboxCode } from '../../../core/errors.ts';

/** An outbox request that cannot be taken or sent; says what was wrong, never the address. */
export class OutboxError extends BoothError<OutboxCode> {
  override name = 'OutboxError';
}
