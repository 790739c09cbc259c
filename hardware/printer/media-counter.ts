import type { Unsubscribe } from '../device-status.ts';

/** What a printer that cannot count its media is told of it. */
export interface MediaCount {
  /** Prints left with the loaded media, or null when nobody counts them. */
  readonly remaining: number | null;
  /** Few enough left to warn `media-low` (still ready). */
  readonly low: boolean;
  /** None left (or fewer than the reserve the operator keeps): `media-empty`, not ready. */
  readonly empty: boolean;
}

/**
 * Counts the media of a printer that cannot tell how much it has (IPP printers without a count,
 * the folder printer): the IPP and folder adapters ask it, and tell it what they printed. The
 * booth's own (app/operator/paper-stock.ts) keeps the count in the data directory, so a restart
 * forgets neither the roll an operator loaded nor the prints made from it; without one an
 * adapter counts in memory from the config's `loadedPrints` (`memoryMediaCounter`).
 */
export interface MediaCounter {
  count(): MediaCount;
  /** `copies` prints came out. */
  printed(copies: number): void;
  /** The printer said it is out of media before the count said so: none is left. */
  ranOut(): void;
  /** Tells `listener` when the count changed from outside the printer (media loaded). */
  onChange(listener: () => void): Unsubscribe;
}

/** A count in memory only, from `loaded` prints (null: not counted); `load` sets it again. */
export function memoryMediaCounter(
  loaded: number | null,
  lowAt: number,
): MediaCounter & {
  load(prints: number | null): void;
} {
  let remaining = loaded;
  const listeners = new Set<() => void>();
  return {
    count: () => ({
      remaining,
      low: remaining !== null && remaining > 0 && remaining < lowAt,
      empty: remaining !== null && remaining <= 0,
    }),
    printed(copies) {
      if (remaining !== null) remaining = Math.max(0, remaining - copies);
    },
    ranOut() {
      if (remaining !== null) remaining = 0;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    load(prints) {
      remaining = prints;
      for (const listener of listeners) listener();
    },
  };
}
