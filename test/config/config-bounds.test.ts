import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { boothConfigSchema, type BoothConfigInput } from '../../config/schema.ts';
import type { ConfigError } from '../../config/store.ts';
import { ConfigStore } from '../../config/store.ts';

/** Every path in `value` that holds a plain object (arrays are walked through). */
function objectPaths(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return value.flatMap((v, i) => objectPaths(v, [...path, i]));
  if (value === null || typeof value !== 'object') return [];
  return [path, ...Object.entries(value).flatMap(([k, v]) => objectPaths(v, [...path, k]))];
}

function withKeyAt(config: unknown, path: (string | number)[], key: string): unknown {
  const copy = structuredClone(config) as Record<string | number, unknown>;
  let node = copy;
  for (const step of path) node = node[step] as Record<string | number, unknown>;
  node[key] = 1;
  return copy;
}

const valueTables = new Set(['hardware.payment.coin.values', 'hardware.payment.bill.values']);
/**
 * Tables keyed by the device's own names, whatever they are: the camera's capture settings are
 * libgphoto2 config names (hundreds, per body). A name the camera lacks fails the capture, naming
 * it (test/hardware/gphoto2), so the config cannot refuse one here.
 */
const openTables = new Set(['hardware.camera.captureSettings']);

/** Configs that between them use every block and every device adapter's block. */
const variants: BoothConfigInput[] = [
  {},
  {
    documentSpecs: [],
    hardware: {
      camera: { adapter: 'gphoto2', port: 'usb:001,004' },
      photoPrinter: { adapter: 'ipp', url: 'ipp://127.0.0.1:631/printers/dnp' },
      receiptPrinter: { adapter: 'escpos', address: 'tcp://127.0.0.1:9100' },
      payment: {
        adapter: 'cctalk',
        port: '/dev/ttyUSB0',
        coin: { address: 2, values: { EU200A: 200, EU100A: 100 } },
        bill: null,
      },
    },
    money: { coins: [100, 200], bills: [] },
  },
  {
    hardware: {
      photoPrinter: { adapter: 'folder', path: '/srv/sheets' },
      receiptPrinter: { adapter: 'none' },
    },
  },
];

describe('config validation', () => {
  it.each(variants.map((v, i) => [i, v] as const))(
    'variant %i: an unknown key is refused at every depth, with its path',
    (_, input) => {
      const parsed = boothConfigSchema.parse(input);
      // The parsed config is itself a valid input: the tests below change one thing in it.
      expect(boothConfigSchema.safeParse(parsed).success).toBe(true);
      const paths = objectPaths(parsed);
      expect(paths.length).toBeGreaterThan(15);
      for (const path of paths) {
        if (openTables.has(path.join('.'))) continue;
        const result = boothConfigSchema.safeParse(withKeyAt(parsed, path, 'typoKey'));
        expect(result.success, `typoKey at ${path.join('.') || '(top)'} was accepted`).toBe(false);
        // A value table is keyed by the device's own ids: a strange id is refused as a value.
        if (valueTables.has(path.join('.'))) continue;
        const issue = result.error!.issues.find((i) => i.code === 'unrecognized_keys');
        expect(issue?.path.join('.'), `at ${path.join('.')}`).toBe(path.join('.'));
      }
    },
  );

  it('timeouts past 24 hours (Node would clamp the timer to 1 ms) are refused', () => {
    const result = boothConfigSchema.safeParse({ timeouts: { inactivityMs: 3_000_000_000 } });
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]).toMatchObject({ path: ['timeouts', 'inactivityMs'] });
    expect(result.error!.issues[0]!.message).toMatch(/24 hours/);
    expect(boothConfigSchema.parse({ timeouts: { inactivityMs: 86_400_000 } }).timeouts.inactivityMs).toBe(
      86_400_000,
    );
    expect(
      boothConfigSchema.safeParse({
        hardware: { photoPrinter: { adapter: 'ipp', url: 'ipp://h/p', pollMs: 1e12 } },
      }).success,
    ).toBe(false);
  });

  it('a booth with prices must accept some coin or note', () => {
    const none = boothConfigSchema.safeParse({ money: { coins: [], bills: [] } });
    expect(none.success).toBe(false);
    expect(none.error!.issues[0]).toMatchObject({ path: ['money', 'coins'] });
    expect(boothConfigSchema.safeParse({ money: { coins: [], bills: [500] } }).success).toBe(true);
    // A free booth (an event, a staff photo day) needs no money at all.
    expect(
      boothConfigSchema.safeParse({
        money: { coins: [], bills: [] },
        products: [{ id: 'free', prints: 1, price: 0 }],
      }).success,
    ).toBe(true);
  });

  it.each([
    'file:///etc/passwd',
    'FILE:///etc/passwd',
    'ftp://printer/q',
    'javascript:alert(1)',
    'not a url',
  ])('the photo printer URL %s is refused', (url) => {
    const result = boothConfigSchema.safeParse({ hardware: { photoPrinter: { adapter: 'ipp', url } } });
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]!.path).toEqual(['hardware', 'photoPrinter', 'url']);
  });

  it.each([
    'ipp://127.0.0.1:631/ipp/print',
    'ipps://printer.local/ipp/print',
    'http://cups:631/printers/dnp',
    'https://p/ipp',
  ])('the photo printer URL %s is accepted', (url) => {
    expect(boothConfigSchema.safeParse({ hardware: { photoPrinter: { adapter: 'ipp', url } } }).success).toBe(
      true,
    );
  });

  it('strings are bounded: a unit name of 10,000 characters is refused', () => {
    const result = boothConfigSchema.safeParse({ unit: { name: 'x'.repeat(10_000) } });
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]).toMatchObject({ path: ['unit', 'name'] });
  });

  describe('from a file', () => {
    let dir: string;
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('a nested typo names its path, and a reload keeps the last good config', () => {
      dir = mkdtempSync(join(tmpdir(), 'config-bounds-'));
      const file = join(dir, 'config.json');
      writeFileSync(file, JSON.stringify({ retention: { days: 3 } }));
      const store = new ConfigStore({ file });
      expect(store.load().retention.days).toBe(3);
      writeFileSync(file, JSON.stringify({ retention: { days: 1, wipeAfterPrnt: true } }));
      const reload = store.reload();
      expect(reload.ok).toBe(false);
      const error = (reload as { error: ConfigError }).error;
      expect(error.issues).toEqual([
        { path: 'retention', message: expect.stringContaining('wipeAfterPrnt') as string },
      ]);
      expect(error.message).toMatch(/retention: .*wipeAfterPrnt/);
      expect(store.current().retention.days).toBe(3);
    });
  });
});
