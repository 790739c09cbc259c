import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { writeFileAtomic } from './durable-file.ts';
import { boothConfigSchema, type BoothConfig, type BoothConfigInput } from './schema.ts';
import { ConfigError } from './config-error.ts';

export { ConfigError };

/**
 * A unit's config file. Loads and validates it, remembers the last good config so a running
 * kiosk keeps going when someone saves a broken file, and writes atomically: a crash mid-write
 * leaves either the old file or the new one, never half of one.
 */
export class ConfigStore {
  readonly file: string;
  #current: BoothConfig | undefined;

  constructor(options: { file: string }) {
    this.file = options.file;
  }

  /** Reads and validates the file (a missing file means the defaults). Throws ConfigError. */
  load(): BoothConfig {
    this.#current = this.#read();
    return this.#current;
  }

  /** The last config that validated. */
  current(): BoothConfig {
    return (this.#current ??= this.#read());
  }

  /** Re-reads the file; on failure the last good config stays current. */
  reload(): { ok: true; config: BoothConfig } | { ok: false; error: ConfigError } {
    try {
      return { ok: true, config: this.load() };
    } catch (error) {
      if (error instanceof ConfigError) return { ok: false, error };
      throw error;
    }
  }

  /** Validates, then writes atomically (temp file, fsync, rename, fsync of the directory). */
  save(input: BoothConfigInput): BoothConfig {
    const parsed = boothConfigSchema.safeParse(input);
    if (!parsed.success) throw ConfigError.fromZod(basename(this.file), parsed.error);
    writeFileAtomic(this.file, JSON.stringify(input, null, 2) + '\n');
    this.#current = parsed.data;
    return parsed.data;
  }

  /** Load, change, validate, save. */
  update(change: (draft: BoothConfigInput) => void): BoothConfig {
    const draft = this.#readRaw() as BoothConfigInput;
    change(draft);
    return this.save(draft);
  }

  #readRaw(): unknown {
    if (!existsSync(this.file)) return {};
    const text = readFileSync(this.file, 'utf8');
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new ConfigError(basename(this.file), [
        { path: '', message: `not valid JSON (${(error as Error).message})` },
      ]);
    }
  }

  #read(): BoothConfig {
    const parsed = boothConfigSchema.safeParse(this.#readRaw());
    if (!parsed.success) throw ConfigError.fromZod(basename(this.file), parsed.error);
    return parsed.data;
  }
}

/** Kept here too: callers know it as the config store's atomic write. */
export { writeFileAtomic };
