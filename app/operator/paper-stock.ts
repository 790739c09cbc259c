import type Database from 'better-sqlite3';
import type { Clock } from '../../core/clock.ts';
import type { Unsubscribe } from '../../hardware/device-status.ts';
import type { MediaCount, MediaCounter } from '../../hardware/printer/media-counter.ts';
import type { BoothConfig } from '../../config/schema.ts';
import { openOperatorDb } from './operator-db.ts';
import { OperatorError } from './operator-error.ts';

/** The paper as the operator's screen shows it. */
export interface PaperState extends MediaCount {
  /** What is loaded: the media type of the last load, or the config's when none was recorded. */
  readonly media: string;
  /** Prints the loaded media was good for; null when nobody counts it. */
  readonly loaded: number | null;
  /** Prints made since it was loaded. */
  readonly printedSince: number;
  /** Of those, how many the disk has not taken yet (it refused the write; kept in memory). */
  readonly unsaved: number;
  /** When it was loaded (epoch ms); null for the config's `loadedPrints` or nothing. */
  readonly loadedAt: number | null;
  /** Where the count comes from: a load recorded here, the config's `loadedPrints`, or nothing. */
  readonly source: 'loaded' | 'config' | 'uncounted';
  readonly lowAt: number;
  readonly emptyAt: number;
}

interface CountRow {
  media: string | null;
  loaded: number | null;
  printed: number;
  loaded_at: number | null;
  /** The config's `loadedPrints` the count last followed: a new value there is a load too. */
  config_loaded: number | null;
}

/** The most prints one load may say: a 4x6 dye-sub roll holds 400 to 700, a hot folder any. */
export const maxPrintsPerLoad = 10_000;

/**
 * "Media loaded", for printers that cannot count their own media (IPP printers without a count,
 * the folder printer): the count of the roll an operator loaded and the prints made since,
 * kept in `<dataDir>/operator/paper-stock.sqlite` (WAL, synchronous=FULL: each print is on disk
 * before the printer reports the next), so a restart neither refills nor empties the printer,
 * and loading needs no config edit and no reload. The printer adapters count through it (it is
 * their MediaCounter), and a printer that was `media-empty` is ready again as soon as media is
 * loaded here.
 *
 * A unit that has never recorded a load counts from the config's `loadedPrints` (how a roll was
 * counted before this), and a changed `loadedPrints` is taken as a load, so that old way of
 * loading still works, now across restarts.
 */
export class PaperStock implements MediaCounter {
  readonly #db: Database.Database;
  readonly #config: { current(): BoothConfig };
  readonly #clock: Pick<Clock, 'now'>;
  readonly #listeners = new Set<() => void>();
  /** Prints counted that the disk did not take yet (see `printed`). */
  #unsaved = 0;

  private constructor(db: Database.Database, config: { current(): BoothConfig }, clock: Pick<Clock, 'now'>) {
    this.#db = db;
    this.#config = config;
    this.#clock = clock;
  }

  /** `file`: `dataPaths(dataDir).paperStock`. */
  static open(options: {
    file: string;
    config: { current(): BoothConfig };
    clock: Pick<Clock, 'now'>;
  }): PaperStock {
    const db = openOperatorDb(options.file, (db) => {
      db.exec(`
        CREATE TABLE IF NOT EXISTS media_count (
          id INTEGER PRIMARY KEY CHECK (id = 1),
          media TEXT,
          loaded INTEGER CHECK (loaded >= 0),
          printed INTEGER NOT NULL CHECK (printed >= 0),
          loaded_at INTEGER,
          config_loaded INTEGER
        );
        INSERT OR IGNORE INTO media_count (id, printed) VALUES (1, 0);
      `);
    });
    return new PaperStock(db, options.config, options.clock);
  }

  close(): void {
    this.#listeners.clear();
    this.#db.close();
  }

  /**
   * An operator loaded `prints` prints' worth of `media`: the count starts again from it, and
   * the printer hears of it at once. The media must be the one the booth prints on
   * (`production.media`): sheets are made for that size, and a roll of another would print them
   * wrong.
   */
  loadMedia(input: { media: string; prints: number }): PaperState {
    if (!Number.isSafeInteger(input.prints) || input.prints < 1 || input.prints > maxPrintsPerLoad)
      throw new OperatorError(
        'media-count-invalid',
        `the media loaded must be good for 1 to ${maxPrintsPerLoad} prints, not ${input.prints}`,
      );
    const configured = this.#config.current().production.media;
    if (input.media !== configured)
      throw new OperatorError(
        'media-wrong',
        `the booth prints on ${configured} (production.media), not ${input.media}: load ${configured} or change the config first`,
      );
    this.#write({
      ...this.#row(),
      media: input.media,
      loaded: input.prints,
      printed: 0,
      loaded_at: this.#clock.now(),
    });
    this.#unsaved = 0; // prints of the old roll: they no longer count against the new one
    this.#changed();
    return this.state();
  }

  /** The count, where it comes from, and the thresholds. */
  state(): PaperState {
    const row = this.#followConfig();
    const { lowAt, emptyAt } = this.#config.current().operator.paper;
    const printed = row.printed + this.#unsaved;
    const remaining = row.loaded === null ? null : Math.max(0, row.loaded - printed);
    return {
      media: row.media ?? this.#config.current().production.media,
      loaded: row.loaded,
      printedSince: printed,
      unsaved: this.#unsaved,
      loadedAt: row.loaded_at,
      source: row.loaded === null ? 'uncounted' : row.loaded_at === null ? 'config' : 'loaded',
      remaining,
      low: remaining !== null && remaining > emptyAt && remaining < lowAt,
      empty: remaining !== null && remaining <= emptyAt,
      lowAt,
      emptyAt,
    };
  }

  count(): MediaCount {
    const { remaining, low, empty } = this.state();
    return { remaining, low, empty };
  }

  /**
   * Called by the printer as copies come out, so it must not fail a print that came out: a count
   * the disk refuses (full, read-only) is kept in memory, counted all the same, and written with
   * the next one (`unsaved` in the state says how many wait).
   */
  printed(copies: number): void {
    if (!Number.isSafeInteger(copies) || copies < 0)
      throw new RangeError(`a printer printed a whole number of copies, not ${copies}`);
    const pending = this.#unsaved + copies;
    try {
      this.#followConfig();
      this.#db.prepare('UPDATE media_count SET printed = printed + ? WHERE id = 1').run(pending);
      this.#unsaved = 0;
    } catch {
      this.#unsaved = pending;
    }
  }

  /** The printer ran out before the count did: what was loaded is all printed (or wasted). */
  ranOut(): void {
    const row = this.#followConfig();
    if (row.loaded === null) return;
    try {
      this.#write({ ...row, printed: Math.max(row.printed, row.loaded) });
    } catch {
      // Not written: the printer said media-empty itself, which keeps it from printing anyway.
    }
  }

  onChange(listener: () => void): Unsubscribe {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  /**
   * The row, after taking a new `loadedPrints` in the config as a load: the old way to say
   * "media loaded" was to edit it and reload. Only a change counts, so a restart or a reload
   * with the same value does not refill the printer.
   */
  #followConfig(): CountRow {
    const row = this.#row();
    const printer = this.#config.current().hardware.photoPrinter;
    const fromConfig = 'loadedPrints' in printer ? printer.loadedPrints : null;
    if (fromConfig === row.config_loaded) return row;
    const followed: CountRow =
      fromConfig === null
        ? { ...row, config_loaded: null }
        : { media: null, loaded: fromConfig, printed: 0, loaded_at: null, config_loaded: fromConfig };
    // A load recorded here outranks a config that merely lost its loadedPrints.
    if (fromConfig === null && row.loaded_at === null) Object.assign(followed, { loaded: null, printed: 0 });
    try {
      this.#write(followed);
    } catch {
      // The printer asks for the count in its status checks: a disk that refuses the write must
      // not break them. The config is followed again at the next ask, and no one is told until
      // it is written (telling would make them ask again at once).
      return followed;
    }
    if (followed.loaded !== row.loaded) this.#changed();
    return followed;
  }

  #row(): CountRow {
    return this.#db
      .prepare('SELECT media, loaded, printed, loaded_at, config_loaded FROM media_count WHERE id = 1')
      .get() as CountRow;
  }

  #write(row: CountRow): void {
    this.#db
      .prepare(
        'UPDATE media_count SET media = ?, loaded = ?, printed = ?, loaded_at = ?, config_loaded = ? WHERE id = 1',
      )
      .run(row.media, row.loaded, row.printed, row.loaded_at, row.config_loaded);
  }

  #changed(): void {
    for (const listener of [...this.#listeners]) listener();
  }
}
