/** One message for the broker. `kind: 'status'` marks a summary: only the newest is worth keeping. */
export interface OutboxMessage {
  topic: string;
  payload: string;
  retain: boolean;
  kind: 'status' | 'alert' | 'presence';
}

/**
 * What waits while the broker cannot be reached: at most `limit` messages, the oldest dropped
 * first (and counted), so a booth offline for a week neither grows without end nor sends a
 * week of stale summaries. A newer summary replaces a queued one instead of queueing behind it.
 */
export class Outbox {
  readonly #limit: number;
  #queue: OutboxMessage[] = [];
  #dropped = 0;

  constructor(limit: number) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new RangeError(`the outbox limit must be 1 or more, not ${limit}`);
    this.#limit = limit;
  }

  push(message: OutboxMessage): void {
    if (message.kind === 'status') this.#queue = this.#queue.filter((m) => m.kind !== 'status');
    this.#queue.push(message);
    while (this.#queue.length > this.#limit) {
      this.#queue.shift();
      this.#dropped++;
    }
  }

  /** Everything queued, oldest first; the outbox is then empty. */
  drain(): OutboxMessage[] {
    return this.#queue.splice(0);
  }

  /** Puts back messages that could not go (at the front, oldest first). */
  putBack(messages: OutboxMessage[]): void {
    const rest = this.#queue.splice(0);
    for (const m of [...messages, ...rest]) this.push(m);
  }

  get size(): number {
    return this.#queue.length;
  }

  /** Messages dropped since start. */
  get dropped(): number {
    return this.#dropped;
  }
}
