import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import type * as FsModule from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConfigError, ConfigStore, writeFileAtomic } from '../../config/store.ts';
import { boothConfigSchema } from '../../config/schema.ts';
import { hashSecret } from '../../config/pin.ts';

/**
 * node:fs as the store sees it: every function is the real one unless a test swaps one in
 * `fsFaults`, which is how a disk that fails (or writes short) in the middle of a save is simulated.
 */
const { fsFaults, fsCalls, realFs } = vi.hoisted(() => ({
  fsFaults: {} as Record<string, ((...args: never[]) => unknown) | undefined>,
  fsCalls: [] as { fn: string; args: unknown[] }[],
  /** The unmocked functions, for fakes that do part of the real work. */
  realFs: {} as { writeSync: (fd: number, buffer: Uint8Array, offset: number, length: number) => number },
}));

vi.mock('node:fs', async (importOriginal) => {
  const actual = await importOriginal<typeof FsModule>();
  realFs.writeSync = actual.writeSync;
  const wrap =
    <K extends 'openSync' | 'writeSync' | 'fsyncSync' | 'closeSync' | 'renameSync'>(name: K) =>
    (...args: unknown[]) => {
      fsCalls.push({ fn: name, args });
      const fault = fsFaults[name];
      if (fault) return (fault as (...a: unknown[]) => unknown)(...args);
      return (actual[name] as (...a: unknown[]) => unknown)(...args);
    };
  const mocked = {
    ...actual,
    openSync: wrap('openSync'),
    writeSync: wrap('writeSync'),
    fsyncSync: wrap('fsyncSync'),
    closeSync: wrap('closeSync'),
    renameSync: wrap('renameSync'),
  };
  return { ...mocked, default: mocked };
});

let dir: string;
let file: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kiosk-config-'));
  file = join(dir, 'config.json');
  fsCalls.length = 0;
  for (const key of Object.keys(fsFaults)) delete fsFaults[key];
});

afterEach(() => {
  for (const key of Object.keys(fsFaults)) delete fsFaults[key];
  rmSync(dir, { recursive: true, force: true });
});

/** Everything in the data directory except the config file itself. */
function strayFiles(): string[] {
  return readdirSync(dir).filter((name) => name !== 'config.json');
}

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError, nothing was thrown');
}

const good = {
  unit: { id: 'berlin-hbf-3', name: 'Berlin Hbf, booth 3' },
  currency: 'EUR',
  retakes: 3,
};

describe('ConfigStore: loading', () => {
  it('without a file gives the demo defaults, and they validate against the schema', () => {
    const store = new ConfigStore({ file });
    const config = store.load();
    expect(config.unit).toEqual({ id: 'demo-01', name: 'Photo booth (demo)', contact: null });
    expect(config.currency).toBe('EUR');
    expect(config.retakes).toBe(2);
    expect(config.money.unusedCredit).toBe('voucher');
    expect(config.hardware.payment).toEqual({ adapter: 'simulated' });
    expect(config.operator).toMatchObject({
      pins: { operator: null, technician: null },
      inactivityMs: 120_000,
      paper: { lowAt: 20, emptyAt: 0 },
    });
    expect(config.products.map((p) => p.id)).toEqual(['photos-4', 'photos-8', 'photos-4-digital']);
    // The defaults are themselves a valid config: parsing them again changes nothing.
    expect(boothConfigSchema.parse(config)).toEqual(config);
    expect(boothConfigSchema.safeParse({}).success).toBe(true);
    // Loading does not create the file.
    expect(readdirSync(dir)).toEqual([]);
    expect(store.current()).toEqual(config);
  });

  it('reads a valid file and fills in the defaults for what it leaves out', () => {
    writeFileSync(file, JSON.stringify(good));
    const config = new ConfigStore({ file }).load();
    expect(config.unit.id).toBe('berlin-hbf-3');
    expect(config.retakes).toBe(3);
    expect(config.timeouts.countdownMs).toBe(3_000);
  });

  it('refuses a file that is not JSON, saying so', () => {
    writeFileSync(file, '{ "retakes": 3, ');
    const error = configError(() => new ConfigStore({ file }).load());
    expect(error.code).toBe('config-invalid');
    expect(error.source).toBe('config.json');
    expect(error.message).toMatch(/^config\.json is invalid: not valid JSON \(.+\)/);
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]!.path).toBe('');
  });

  it('refuses an empty file as not JSON rather than treating it as the defaults', () => {
    writeFileSync(file, '');
    const error = configError(() => new ConfigStore({ file }).load());
    expect(error.message).toContain('not valid JSON');
  });

  it('refuses a schema-invalid file, naming each wrong field path and the reason', () => {
    writeFileSync(
      file,
      JSON.stringify({
        retakes: -1,
        currency: 'euro',
        products: [{ id: 'photos-4', prints: 1, price: 12.5 }],
        timeouts: { countdownMs: 0 },
      }),
    );
    const error = configError(() => new ConfigStore({ file }).load());
    const byPath = new Map(error.issues.map((i) => [i.path, i.message]));
    expect([...byPath.keys()].sort()).toEqual(
      ['currency', 'products.0.price', 'retakes', 'timeouts.countdownMs'].sort(),
    );
    expect(byPath.get('currency')).toBe('must be an ISO 4217 code like "EUR"');
    expect(byPath.get('retakes')).toMatch(/>=\s*0/);
    expect(byPath.get('products.0.price')).toMatch(/int/i);
    expect(byPath.get('timeouts.countdownMs')).toMatch(/>\s*0/);
    // The message carries every path with its reason.
    expect(error.message).toMatch(/^config\.json is invalid: /);
    expect(error.message).toContain('currency: must be an ISO 4217 code like "EUR"');
    expect(error.message).toMatch(/retakes: [^;]*>=\s*0/);
    expect(error.message).toContain('products.0.price: ');
    expect(error.message).toContain('timeouts.countdownMs: ');
  });

  it('refuses unknown top-level keys (the schema is strict) and cross-field rules, by name', () => {
    writeFileSync(file, JSON.stringify({ colour: 'red' }));
    expect(configError(() => new ConfigStore({ file }).load()).message).toContain('colour');

    writeFileSync(file, JSON.stringify({ languages: { default: 'it', enabled: ['en', 'de'] } }));
    const languages = configError(() => new ConfigStore({ file }).load());
    expect(languages.issues).toEqual([
      { path: 'languages', message: 'the default language must be one of the enabled languages' },
    ]);

    writeFileSync(
      file,
      JSON.stringify({
        products: [
          { id: 'same', prints: 1, price: 100 },
          { id: 'same', prints: 2, price: 200 },
        ],
      }),
    );
    const products = configError(() => new ConfigStore({ file }).load());
    expect(products.message).toContain('products: product ids must be unique');
  });

  it('refuses a plain PIN where a hash belongs', () => {
    writeFileSync(file, JSON.stringify({ operator: { pins: { operator: '1234' } } }));
    const error = configError(() => new ConfigStore({ file }).load());
    expect(error.issues).toEqual([
      { path: 'operator.pins.operator', message: 'must be a hash made by `kiosk config set-pin`, not a PIN' },
    ]);
  });

  it("reads a unit's one PIN from before PIN roles (operator.pinHash) as the technician's, and refuses it beside pins", () => {
    const hash = hashSecret('482913');
    writeFileSync(file, JSON.stringify({ operator: { pinHash: hash } }));
    expect(new ConfigStore({ file }).load().operator.pins).toEqual({ operator: null, technician: hash });
    writeFileSync(file, JSON.stringify({ operator: { pinHash: '1234' } }));
    expect(configError(() => new ConfigStore({ file }).load()).issues).toEqual([
      {
        path: 'operator.pins.technician',
        message: 'must be a hash made by `kiosk config set-pin`, not a PIN',
      },
    ]);
    writeFileSync(file, JSON.stringify({ operator: { pinHash: hash, pins: {} } }));
    expect(configError(() => new ConfigStore({ file }).load()).message).toContain('pinHash');
  });

  it('bounds operator.inactivityMs like every other duration', () => {
    writeFileSync(file, JSON.stringify({ operator: { inactivityMs: 0 } }));
    expect(configError(() => new ConfigStore({ file }).load()).issues[0]!.path).toBe('operator.inactivityMs');
    writeFileSync(file, JSON.stringify({ operator: { inactivityMs: 25 * 3600 * 1000 } }));
    expect(configError(() => new ConfigStore({ file }).load()).issues[0]!.message).toContain(
      'at most 24 hours',
    );
  });
});

describe('ConfigStore: reload keeps the last good config', () => {
  it('reports the error and keeps serving the previous config when the file goes bad', () => {
    writeFileSync(file, JSON.stringify(good));
    const store = new ConfigStore({ file });
    const first = store.load();
    expect(first.retakes).toBe(3);

    writeFileSync(file, JSON.stringify({ ...good, retakes: 99 }));
    const bad = store.reload();
    expect(bad.ok).toBe(false);
    if (bad.ok) throw new Error('unreachable');
    expect(bad.error).toBeInstanceOf(ConfigError);
    expect(bad.error.message).toContain('retakes');
    expect(store.current()).toBe(first);

    writeFileSync(file, '{ broken');
    const broken = store.reload();
    expect(broken.ok).toBe(false);
    if (broken.ok) throw new Error('unreachable');
    expect(broken.error.message).toContain('not valid JSON');
    expect(store.current()).toBe(first);

    writeFileSync(file, JSON.stringify({ ...good, retakes: 5 }));
    const fixed = store.reload();
    expect(fixed.ok).toBe(true);
    if (!fixed.ok) throw new Error('unreachable');
    expect(fixed.config.retakes).toBe(5);
    expect(store.current().retakes).toBe(5);
  });

  it('a failed reload after save keeps what was saved', () => {
    const store = new ConfigStore({ file });
    store.save({ retakes: 4 });
    writeFileSync(file, JSON.stringify({ retakes: 'four' }));
    expect(store.reload().ok).toBe(false);
    expect(store.current().retakes).toBe(4);
  });

  it('reload of a deleted file goes back to the defaults (a missing file means the defaults)', () => {
    writeFileSync(file, JSON.stringify(good));
    const store = new ConfigStore({ file });
    store.load();
    rmSync(file);
    const result = store.reload();
    expect(result.ok).toBe(true);
    expect(store.current().unit.id).toBe('demo-01');
  });
});

describe('ConfigStore: save', () => {
  it('writes the given config, readable by a fresh store, with mode 0600 and no temp file left', () => {
    const store = new ConfigStore({ file });
    const saved = store.save(good);
    expect(saved.retakes).toBe(3);
    expect(saved.timeouts.countdownMs).toBe(3_000);
    expect(store.current()).toEqual(saved);
    // What is on disk is the input as given (defaults stay implicit), as formatted JSON.
    expect(readFileSync(file, 'utf8')).toBe(JSON.stringify(good, null, 2) + '\n');
    expect(new ConfigStore({ file }).load()).toEqual(saved);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(strayFiles()).toEqual([]);
  });

  it('replaces the file by rename (a new inode), tightening an existing 0644 file to 0600', () => {
    writeFileSync(file, JSON.stringify({ retakes: 1 }));
    chmodSync(file, 0o644);
    const before = statSync(file);
    new ConfigStore({ file }).save(good);
    const after = statSync(file);
    expect(after.ino).not.toBe(before.ino);
    expect(after.mode & 0o777).toBe(0o600);
    expect(strayFiles()).toEqual([]);
  });

  it('writes a temp file in the same directory, fsyncs it, closes it, renames it, then fsyncs the directory', () => {
    new ConfigStore({ file }).save(good);
    const sequence = fsCalls.map((c) => c.fn);
    expect(sequence).toEqual([
      'openSync',
      ...sequence.slice(1, sequence.indexOf('fsyncSync')).map(() => 'writeSync'),
      'fsyncSync',
      'closeSync',
      'renameSync',
      'openSync',
      'fsyncSync',
      'closeSync',
    ]);
    const [temp, flags, mode] = fsCalls[0]!.args as [string, string, number];
    expect(temp).not.toBe(file);
    expect(temp.startsWith(join(dir, '.config.json.'))).toBe(true);
    expect(temp.endsWith('.tmp')).toBe(true);
    expect(flags).toBe('w');
    expect(mode).toBe(0o600);
    const rename = fsCalls.find((c) => c.fn === 'renameSync')!;
    expect(rename.args).toEqual([temp, file]);
    // The second open is the directory, for its fsync after the rename.
    expect(fsCalls[fsCalls.length - 3]!.args[0]).toBe(dir);
  });

  it('refuses an invalid config with a ConfigError and leaves the file and the current config untouched', () => {
    writeFileSync(file, JSON.stringify(good));
    const original = readFileSync(file, 'utf8');
    const originalIno = statSync(file).ino;
    const store = new ConfigStore({ file });
    const loaded = store.load();
    fsCalls.length = 0;

    const error = configError(() =>
      store.save({ ...good, money: { unusedCredit: 'donate' as 'keep', coins: [0] } }),
    );
    const paths = error.issues.map((i) => i.path).sort();
    expect(paths).toEqual(['money.coins.0', 'money.unusedCredit']);
    expect(error.message).toContain('money.unusedCredit: ');
    expect(error.message).toContain('money.coins.0: ');

    expect(readFileSync(file, 'utf8')).toBe(original);
    expect(statSync(file).ino).toBe(originalIno);
    expect(fsCalls).toEqual([]);
    expect(strayFiles()).toEqual([]);
    expect(store.current()).toBe(loaded);
  });

  it('does not create a file when the very first save is invalid', () => {
    expect(() => new ConfigStore({ file }).save({ retakes: 11 })).toThrow(ConfigError);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('ConfigStore: save when the disk fails midway', () => {
  function setUpExisting(): { store: ConfigStore; original: string } {
    writeFileSync(file, JSON.stringify(good, null, 2) + '\n', { mode: 0o600 });
    const store = new ConfigStore({ file });
    store.load();
    return { store, original: readFileSync(file, 'utf8') };
  }

  const enospc = () => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });

  it('a write that fails leaves the old file whole, no temp file, and the old config current', () => {
    const { store, original } = setUpExisting();
    fsFaults.writeSync = () => {
      throw enospc();
    };
    expect(() => store.save({ ...good, retakes: 7 })).toThrow(/ENOSPC/);
    expect(readFileSync(file, 'utf8')).toBe(original);
    expect(strayFiles()).toEqual([]);
    expect(store.current().retakes).toBe(3);
  });

  it('a write that only gets half the bytes down and then fails leaves the old file whole', () => {
    const { store, original } = setUpExisting();
    let calls = 0;
    fsFaults.writeSync = ((fd: number, data: string | Uint8Array) => {
      if (calls++ > 0) throw enospc();
      const bytes = Buffer.from(data as string);
      return realFs.writeSync(fd, bytes, 0, Math.floor(bytes.length / 2));
    }) as never;
    expect(() => store.save({ ...good, retakes: 7 })).toThrow(/ENOSPC/);
    expect(readFileSync(file, 'utf8')).toBe(original);
    expect(strayFiles()).toEqual([]);
    expect(store.current().retakes).toBe(3);
  });

  it('a short write (fewer bytes than asked, no error) never puts a truncated file in place', () => {
    const { store } = setUpExisting();
    // write(2) may legally write fewer bytes than asked; the rest must still get written.
    fsFaults.writeSync = ((
      fd: number,
      data: string | Uint8Array,
      offsetOrPosition?: unknown,
      length?: unknown,
    ) => {
      const bytes =
        typeof data === 'string'
          ? Buffer.from(data)
          : Buffer.from(data).subarray(
              (offsetOrPosition as number | undefined) ?? 0,
              ((offsetOrPosition as number | undefined) ?? 0) +
                ((length as number | undefined) ?? data.length),
            );
      return realFs.writeSync(fd, bytes, 0, Math.min(bytes.length, 16));
    }) as never;
    const saved = store.save({ ...good, retakes: 7 });
    delete fsFaults.writeSync;
    expect(saved.retakes).toBe(7);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ ...good, retakes: 7 });
    expect(new ConfigStore({ file }).load().retakes).toBe(7);
    expect(strayFiles()).toEqual([]);
  });

  it('an fsync that fails leaves the old file whole and no temp file', () => {
    const { store, original } = setUpExisting();
    fsFaults.fsyncSync = () => {
      throw Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' });
    };
    expect(() => store.save({ ...good, retakes: 7 })).toThrow(/EIO/);
    expect(fsCalls.some((c) => c.fn === 'renameSync')).toBe(false);
    expect(readFileSync(file, 'utf8')).toBe(original);
    expect(strayFiles()).toEqual([]);
    expect(store.current().retakes).toBe(3);
  });

  it('a rename that fails leaves the old file whole and no temp file', () => {
    const { store, original } = setUpExisting();
    fsFaults.renameSync = () => {
      throw Object.assign(new Error('EXDEV: cross-device link not permitted, rename'), { code: 'EXDEV' });
    };
    expect(() => store.save({ ...good, retakes: 7 })).toThrow(/EXDEV/);
    expect(readFileSync(file, 'utf8')).toBe(original);
    expect(strayFiles()).toEqual([]);
    expect(store.current().retakes).toBe(3);
  });

  it('writeFileAtomic uses the mode it is given', () => {
    const other = join(dir, 'other.txt');
    writeFileAtomic(other, 'hello\n', 0o640);
    expect(readFileSync(other, 'utf8')).toBe('hello\n');
    expect(statSync(other).mode & 0o777).toBe(0o640);
    expect(readdirSync(dir)).toEqual(['other.txt']);
  });
});

describe('ConfigStore: update', () => {
  it('changes the raw file content, validates and saves; untouched fields keep their raw form', () => {
    writeFileSync(file, JSON.stringify(good));
    const store = new ConfigStore({ file });
    const updated = store.update((draft) => {
      draft.retakes = 5;
    });
    expect(updated.retakes).toBe(5);
    expect(updated.unit.id).toBe('berlin-hbf-3');
    expect(store.current()).toEqual(updated);
    // Defaults are not written out: the file only holds what was there plus the change.
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ ...good, retakes: 5 });
  });

  it('starts from {} when there is no file', () => {
    const store = new ConfigStore({ file });
    store.update((draft) => {
      draft.currency = 'GBP';
    });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ currency: 'GBP' });
    expect(store.current().currency).toBe('GBP');
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('reads the file afresh, not the cached config (another writer’s change is kept)', () => {
    const store = new ConfigStore({ file });
    store.save({ retakes: 1 });
    writeFileSync(file, JSON.stringify({ retakes: 1, currency: 'CHF' }));
    store.update((draft) => {
      draft.retakes = 2;
    });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ retakes: 2, currency: 'CHF' });
  });

  it('refuses a change that makes the config invalid and leaves the file untouched', () => {
    writeFileSync(file, JSON.stringify(good));
    const original = readFileSync(file, 'utf8');
    const store = new ConfigStore({ file });
    const loaded = store.load();
    const error = configError(() =>
      store.update((draft) => {
        draft.diagnostics = { port: 70_000 };
      }),
    );
    expect(error.issues.map((i) => i.path)).toEqual(['diagnostics.port']);
    expect(readFileSync(file, 'utf8')).toBe(original);
    expect(store.current()).toBe(loaded);
    expect(strayFiles()).toEqual([]);
  });

  it('can repair a schema-invalid file, but refuses to touch a file that is not JSON', () => {
    writeFileSync(file, JSON.stringify({ retakes: -3 }));
    const store = new ConfigStore({ file });
    expect(store.update((draft) => void (draft.retakes = 0)).retakes).toBe(0);

    writeFileSync(file, 'not json');
    const change = vi.fn();
    expect(() => store.update(change)).toThrow(/not valid JSON/);
    expect(change).not.toHaveBeenCalled();
    expect(readFileSync(file, 'utf8')).toBe('not json');
  });
});
