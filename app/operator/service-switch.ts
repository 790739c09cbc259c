import { mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../../config/durable-file.ts';
import type { OperatorRole } from '../../config/schema.ts';
import { OperatorError } from './operator-error.ts';

const stateSchema = z.strictObject({
  maintenance: z.boolean(),
  /** Epoch ms of the last switch. */
  at: z.number().int(),
  by: z.enum(['operator', 'technician', 'cli']),
});

export type ServiceState = z.infer<typeof stateSchema>;

/**
 * The operator's "out of service — maintenance" switch, kept in a small file written atomically
 * (whole or absent across a power cut), so a booth closed for maintenance stays closed after a
 * restart until someone puts it back in service. A missing file means in service; a broken one
 * is refused with its path rather than guessed (the booth would reopen without being told).
 */
export class ServiceSwitch {
  readonly #file: string;

  constructor(file: string) {
    this.#file = file;
  }

  state(): ServiceState {
    let raw: string;
    try {
      raw = readFileSync(this.#file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { maintenance: false, at: 0, by: 'cli' };
      throw error;
    }
    const parsed = stateSchema.safeParse(safeJson(raw));
    if (!parsed.success)
      throw new OperatorError(
        'service-state-broken',
        `${this.#file} is not a service state file: fix or delete it`,
      );
    return parsed.data;
  }

  get maintenance(): boolean {
    return this.state().maintenance;
  }

  set(maintenance: boolean, by: OperatorRole | 'cli', at: number): ServiceState {
    const state: ServiceState = { maintenance, at, by };
    mkdirSync(dirname(this.#file), { recursive: true, mode: 0o700 });
    writeFileAtomic(this.#file, `${JSON.stringify(state)}\n`);
    return state;
  }
}

function safeJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return null;
  }
}
