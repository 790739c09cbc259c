import type { z } from 'zod';
import { BoothError } from '../core/errors.ts';

export interface ConfigIssue {
  path: string;
  message: string;
}

/** A config that cannot be used, with every wrong field named. */
export class ConfigError extends BoothError<'config-invalid'> {
  constructor(
    readonly source: string,
    readonly issues: ConfigIssue[],
  ) {
    super(
      'config-invalid',
      `${source} is invalid: ${issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ')}`,
    );
    this.name = 'ConfigError';
  }

  static fromZod(source: string, error: z.ZodError): ConfigError {
    return new ConfigError(
      source,
      error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message })),
    );
  }
}
