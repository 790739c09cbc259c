// The document specs: every built-in file parses and says what its authority asks; a broken spec
// names its field; operators add or replace specs in config; `digitalSizes` finds every file size
// the ranges allow at the aspect and nothing else.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BUILT_IN_SPEC_DIR,
  DocumentCatalogue,
  builtInDocumentIds,
} from '../../config/documents/document-catalogue.ts';
import {
  digitalAspect,
  digitalSizes,
  documentSpecSchema,
  type DocumentSpecInput,
} from '../../config/documents/document-spec.ts';
import { boothConfigSchema } from '../../config/schema.ts';

const BUILT_IN_IDS = [
  'au-passport',
  'ca-passport',
  'cn-passport',
  'cn-visa',
  'de-passport',
  'eu-passport',
  'in-form',
  'in-passport',
  'jp-passport',
  'schengen-visa',
  'uk-passport',
  'us-passport',
  'us-visa',
];

const specFiles = () => readdirSync(BUILT_IN_SPEC_DIR).filter((f) => f.endsWith('.json'));
const readSpec = (id: string): DocumentSpecInput =>
  JSON.parse(readFileSync(path.join(BUILT_IN_SPEC_DIR, `${id}.json`), 'utf8')) as DocumentSpecInput;

/** A valid operator spec to start from (a copy of a built-in file with changes). */
function operatorSpec(changes: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...readSpec('eu-passport'), ...changes };
}

/** The issues of a failed parse as "path: message" lines. */
function issuesOf(result: {
  success: boolean;
  error?: { issues: { path: PropertyKey[]; message: string }[] };
}) {
  expect(result.success).toBe(false);
  return result.error!.issues.map((i) => `${i.path.map(String).join('.')}: ${i.message}`);
}

describe('built-in document specs', () => {
  it('has exactly the 13 documents, each file parsing and named after its id', () => {
    const files = specFiles();
    expect(files.map((f) => f.replace(/\.json$/, '')).sort()).toEqual(BUILT_IN_IDS);
    for (const file of files) {
      const json = JSON.parse(readFileSync(path.join(BUILT_IN_SPEC_DIR, file), 'utf8')) as unknown;
      const parsed = documentSpecSchema.safeParse(json);
      expect(parsed.success, `${file}: ${parsed.error?.message}`).toBe(true);
      expect(`${parsed.data!.id}.json`).toBe(file);
      expect(parsed.data!.sources.length).toBeGreaterThan(0);
    }
    expect([...builtInDocumentIds()].sort()).toEqual(BUILT_IN_IDS);
    const catalogue = DocumentCatalogue.builtIn();
    for (const id of BUILT_IN_IDS) expect(catalogue.get(id).id).toBe(id);
    expect(() => catalogue.get('xx-passport')).toThrow(/unknown document spec "xx-passport"/);
  });

  it('has the print sizes the authorities publish', () => {
    const catalogue = DocumentCatalogue.builtIn();
    const size = (id: string) => {
      const { widthMm, heightMm } = catalogue.get(id).print;
      return [widthMm, heightMm];
    };
    for (const id of ['us-passport', 'us-visa', 'in-passport']) expect(size(id)).toEqual([50.8, 50.8]);
    for (const id of ['cn-passport', 'cn-visa']) expect(size(id)).toEqual([33, 48]);
    expect(size('ca-passport')).toEqual([50, 70]);
    const others = BUILT_IN_IDS.filter(
      (id) =>
        !['us-passport', 'us-visa', 'in-passport', 'cn-passport', 'cn-visa', 'ca-passport'].includes(id),
    );
    expect(others).toHaveLength(7);
    for (const id of others) expect(size(id), id).toEqual([35, 45]);
  });

  it('never replaces the backdrop for authorities that refuse altered photos', () => {
    const catalogue = DocumentCatalogue.builtIn();
    for (const id of ['uk-passport', 'ca-passport', 'au-passport'])
      expect(catalogue.get(id).background.replace, id).toBe(false);
    // Every spec's digital ranges hold a file of its aspect, and its head fits the photo.
    for (const id of BUILT_IN_IDS) {
      const spec = catalogue.get(id);
      expect(
        digitalSizes(spec.digital.widthPx, spec.digital.heightPx, digitalAspect(spec)).length,
      ).toBeGreaterThan(0);
      expect(spec.head.heightMm.max).toBeLessThan(spec.print.heightMm);
    }
  });
});

describe('document spec schema errors name the field', () => {
  it('a head height range with min above max', () => {
    const issues = issuesOf(
      documentSpecSchema.safeParse(operatorSpec({ head: { heightMm: { min: 36, max: 32 }, crown: 'head' } })),
    );
    expect(issues).toContainEqual('head.heightMm: min must not be above max');
  });

  it('a head taller than the photo', () => {
    const issues = issuesOf(
      documentSpecSchema.safeParse(operatorSpec({ head: { heightMm: { min: 40, max: 46 }, crown: 'head' } })),
    );
    expect(issues).toContainEqual('head.heightMm: head taller than the photo');
  });

  it('digital ranges that cannot hold a file of the aspect', () => {
    const base = readSpec('eu-passport');
    // 35x45 mm is 0.778 wide; a square-only pixel range cannot hold it.
    const issues = issuesOf(
      documentSpecSchema.safeParse(
        operatorSpec({
          digital: { ...base.digital, widthPx: { min: 600, max: 600 }, heightPx: { min: 600, max: 600 } },
        }),
      ),
    );
    expect(issues.find((i) => i.startsWith('digital: '))).toMatch(/aspect 0\.778/);
    // The same ranges are fine once the file's own aspect is set.
    const square = documentSpecSchema.safeParse(
      operatorSpec({
        digital: {
          ...base.digital,
          widthPx: { min: 600, max: 600 },
          heightPx: { min: 600, max: 600 },
          aspect: 1,
        },
      }),
    );
    expect(square.success, square.error?.message).toBe(true);
  });

  it('a pixel range with min above max names the range', () => {
    const base = readSpec('eu-passport');
    const issues = issuesOf(
      documentSpecSchema.safeParse(
        operatorSpec({ digital: { ...base.digital, heightPx: { min: 1200, max: 600 } } }),
      ),
    );
    expect(issues).toContainEqual('digital.heightPx: heightPx: min must not be above max');
  });

  it('missing or empty sources', () => {
    const { sources: _sources, ...withoutSources } = operatorSpec();
    expect(
      issuesOf(documentSpecSchema.safeParse(withoutSources)).some((i) => i.startsWith('sources: ')),
    ).toBe(true);
    expect(issuesOf(documentSpecSchema.safeParse(operatorSpec({ sources: [] })))).toContainEqual(
      'sources: name where the numbers come from',
    );
    expect(
      issuesOf(
        documentSpecSchema.safeParse(operatorSpec({ sources: [{ what: 'a page', url: 'not a url' }] })),
      ).some((i) => i.startsWith('sources.0.url: ')),
    ).toBe(true);
  });

  it('other wrong fields', () => {
    expect(issuesOf(documentSpecSchema.safeParse(operatorSpec({ id: 'EU Passport' })))).toContainEqual(
      'id: must be lower-case letters, digits and dashes',
    );
    expect(issuesOf(documentSpecSchema.safeParse(operatorSpec({ country: 'EUR' })))).toContainEqual(
      'country: a two-letter code like "US" or "EU"',
    );
    expect(
      issuesOf(
        documentSpecSchema.safeParse(operatorSpec({ background: { colours: ['white'], replace: true } })),
      ),
    ).toContainEqual('background.colours.0: a colour like #ffffff');
    expect(issuesOf(documentSpecSchema.safeParse(operatorSpec({ colour: '#ffffff' }))).length).toBe(1);
  });
});

describe('operator specs in the kiosk config', () => {
  const fr = () =>
    operatorSpec({
      id: 'fr-passport',
      name: 'France passport',
      country: 'FR',
      background: { colours: ['#e6e6e6', '#dde9f5'], replace: true },
    });

  it('adds a document with a new id, which can then be enabled', () => {
    const parsed = boothConfigSchema.safeParse({
      documentSpecs: [fr()],
      documents: ['fr-passport', 'eu-passport'],
    });
    expect(parsed.success, parsed.error?.message).toBe(true);
    const config = parsed.data!;
    expect(config.documentSpecs[0]!.id).toBe('fr-passport');
    // Defaults are filled in as for a built-in file.
    expect(config.documentSpecs[0]!.maxOffCentreMm).toBe(2);
    expect(config.documentSpecs[0]!.background.maxColourDistance).toBe(12);
    const catalogue = DocumentCatalogue.withOperatorSpecs(config.documentSpecs);
    expect(catalogue.ids()).toHaveLength(14);
    expect(catalogue.get('fr-passport').background.colours).toEqual(['#e6e6e6', '#dde9f5']);
    // The built-in catalogue is not changed by an operator's.
    expect(DocumentCatalogue.builtIn().has('fr-passport')).toBe(false);
  });

  it('enabling an unknown document is refused with a message naming the id', () => {
    const parsed = boothConfigSchema.safeParse({ documents: ['xx-passport'] });
    const issues = issuesOf(parsed);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(/^documents\.0: no spec for "xx-passport"/);
    // Without its spec, an operator's id is unknown too.
    expect(issuesOf(boothConfigSchema.safeParse({ documents: ['fr-passport'] }))[0]).toContain(
      '"fr-passport"',
    );
  });

  it('a spec with a built-in id replaces that spec entirely', () => {
    const replaced = operatorSpec({
      name: 'EU passport (grey only)',
      head: { heightMm: { min: 33, max: 35 }, crown: 'head' },
      background: { colours: ['#e6e6e6'], replace: false },
    });
    const parsed = boothConfigSchema.safeParse({ documentSpecs: [replaced], documents: ['eu-passport'] });
    expect(parsed.success, parsed.error?.message).toBe(true);
    const catalogue = DocumentCatalogue.withOperatorSpecs(parsed.data!.documentSpecs);
    expect(catalogue.ids()).toHaveLength(13);
    const spec = catalogue.get('eu-passport');
    expect(spec.name).toBe('EU passport (grey only)');
    expect(spec.head.heightMm).toEqual({ min: 33, max: 35 });
    expect(spec.background.colours).toEqual(['#e6e6e6']);
    expect(spec.background.replace).toBe(false);
    expect(DocumentCatalogue.builtIn().get('eu-passport').head.heightMm).toEqual({ min: 32, max: 36 });
  });

  it('refuses two operator specs with the same id', () => {
    const issues = issuesOf(boothConfigSchema.safeParse({ documentSpecs: [fr(), fr()] }));
    expect(issues).toContainEqual('documentSpecs: document spec ids must be unique');
  });

  it('names the field of an invalid operator spec', () => {
    const issues = issuesOf(
      boothConfigSchema.safeParse({
        documentSpecs: [
          operatorSpec({ id: 'xx-id', head: { heightMm: { min: 36, max: 30 }, crown: 'head' } }),
        ],
      }),
    );
    expect(issues).toContainEqual('documentSpecs.0.head.heightMm: min must not be above max');
  });
});

/** A small deterministic PRNG (mulberry32). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('digitalSizes', () => {
  it('returns exactly the sizes inside both ranges at the aspect, largest first', () => {
    const rand = random(7);
    const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
    let nonEmpty = 0;
    for (let trial = 0; trial < 300; trial++) {
      const hMin = int(100, 1500);
      const heightPx = { min: hMin, max: hMin + int(0, 800) };
      const wMin = int(100, 1500);
      const widthPx = { min: wMin, max: wMin + int(0, 800) };
      const aspect = [0.75, 7 / 9, 35 / 45, 1, 33 / 48, 50 / 70, 0.5 + rand()][trial % 7]!;
      const sizes = digitalSizes(widthPx, heightPx, aspect);
      if (sizes.length) nonEmpty++;
      const wrong = sizes.filter(
        (s, i) =>
          !Number.isInteger(s.width) ||
          !Number.isInteger(s.height) ||
          s.height < heightPx.min ||
          s.height > heightPx.max ||
          s.width < widthPx.min ||
          s.width > widthPx.max ||
          // Within half a pixel of the aspect.
          Math.abs(s.width - s.height * aspect) > 0.5 + 1e-9 ||
          (i > 0 && s.height >= sizes[i - 1]!.height),
      );
      expect(wrong, JSON.stringify({ widthPx, heightPx, aspect })).toEqual([]);
      // Complete: every height whose nearest width fits is offered (brute force over the range).
      const expected: number[] = [];
      for (let h = heightPx.max; h >= heightPx.min; h--) {
        const nearest = Math.round(h * aspect);
        if (nearest >= widthPx.min && nearest <= widthPx.max) expected.push(h);
      }
      expect(sizes.map((s) => s.height)).toEqual(expected);
    }
    // The loop saw both outcomes.
    expect(nonEmpty).toBeGreaterThan(20);
    expect(nonEmpty).toBeLessThan(300);
  });

  it('gives the published sizes for the fixed-size files', () => {
    expect(digitalSizes({ min: 630, max: 630 }, { min: 810, max: 810 }, 0.7778)).toEqual([
      { width: 630, height: 810 },
    ]);
    expect(digitalSizes({ min: 354, max: 420 }, { min: 472, max: 560 }, 0.75)[0]).toEqual({
      width: 420,
      height: 560,
    });
    expect(digitalSizes({ min: 600, max: 600 }, { min: 600, max: 700 }, 35 / 45)).toEqual([]);
  });
});
