/** How many events a ccTalk device keeps for the host: the five newest. */
export const eventSlots = 5;

/** One buffered event: [coin/bill code or 0, sorter path / error or event code]. */
export type EventPair = readonly [resultA: number, resultB: number];

/**
 * A device's event buffer as it answers read buffered credit (229) or bill events (159): an event
 * counter and the five newest events, newest first. The counter counts 1 to 255 and wraps to 1;
 * 0 only follows a power-up or reset, which is how the host can tell one happened. A host that
 * polls too slowly sees the counter move by more than five: events it can never read.
 */
export class CcTalkEventBuffer {
  #counter = 0;
  #slots: EventPair[] = [];

  get counter(): number {
    return this.#counter;
  }

  push(resultA: number, resultB: number): void {
    this.#counter = this.#counter === 255 ? 1 : this.#counter + 1;
    this.#slots.unshift([resultA, resultB]);
    this.#slots.length = Math.min(this.#slots.length, eventSlots);
  }

  /** Power-up or reset: the counter back to 0, the events gone. */
  clear(): void {
    this.#counter = 0;
    this.#slots = [];
  }

  /** The reply's data: counter, then five pairs newest first, empty slots as [0, 0]. */
  toBytes(): Uint8Array {
    const bytes = new Uint8Array(1 + 2 * eventSlots);
    bytes[0] = this.#counter;
    this.#slots.forEach(([a, b], i) => bytes.set([a, b], 1 + 2 * i));
    return bytes;
  }
}
