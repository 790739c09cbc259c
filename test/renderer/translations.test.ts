// The renderer's translations: every language has every English key, nothing empty, the same
// placeholders, and a translation for every coaching hint and check the booth can show.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHECK_IDS } from '../../app/services/vision/checks/check-result.ts';

const dir = join(import.meta.dirname, '../../config/translations');
const LANGUAGES = ['en', 'zh', 'es', 'fr', 'de', 'ar'];
const DOCUMENT_IDS = [
  'us-passport',
  'us-visa',
  'uk-passport',
  'schengen-visa',
  'eu-passport',
  'de-passport',
  'cn-passport',
  'cn-visa',
  'jp-passport',
  'ca-passport',
  'in-passport',
  'in-form',
  'au-passport',
];

function load(lang: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(dir, `${lang}.json`), 'utf8')) as Record<string, unknown>;
}

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();
}

/**
 * Every hint key the booth's code can send to the screen (the `HintKey` union and any other
 * `'hint.*'` literal under app/, outside the renderer), read from the source so a new hint
 * without a translation fails here.
 */
function hintKeys(): string[] {
  const root = join(import.meta.dirname, '../../app');
  const keys = new Set<string>();
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'renderer') walk(path);
      } else if (entry.name.endsWith('.ts')) {
        for (const m of readFileSync(path, 'utf8').matchAll(/'(hint\.\w+)'/g)) keys.add(m[1]!);
      }
    }
  };
  walk(root);
  return [...keys].sort();
}

const en = load('en');

describe('translations', () => {
  it('has a file for each language and no other', () => {
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.replace(/\.json$/, ''))
      .sort();
    expect(files).toEqual([...LANGUAGES].sort());
  });

  it.each(LANGUAGES)('%s has exactly the English keys, all non-empty strings', (lang) => {
    const table = load(lang);
    expect(Object.keys(table).sort()).toEqual(Object.keys(en).sort());
    for (const [key, value] of Object.entries(table)) {
      expect(typeof value, `${lang} ${key}`).toBe('string');
      expect((value as string).trim(), `${lang} ${key}`).not.toBe('');
    }
  });

  it.each(LANGUAGES)('%s uses the same placeholders as English', (lang) => {
    const table = load(lang);
    for (const [key, value] of Object.entries(en)) {
      expect(placeholders(String(table[key] ?? '')), `${lang} ${key}`).toEqual(placeholders(String(value)));
    }
  });

  it('translates every coaching hint key the booth can send', () => {
    const keys = hintKeys();
    expect(keys.length).toBeGreaterThan(10);
    for (const key of keys) expect(en, key).toHaveProperty([key]);
  });

  it('names every check, document and language', () => {
    for (const id of CHECK_IDS) expect(en, id).toHaveProperty([`check.${id}`]);
    expect(en).toHaveProperty(['check.rule']);
    for (const id of DOCUMENT_IDS) expect(en, id).toHaveProperty([`document.${id}`]);
    for (const lang of LANGUAGES) expect(en, lang).toHaveProperty([`languageName.${lang}`]);
    for (const state of [
      'paymentFailed',
      'cameraFailed',
      'productionFailed',
      'printFailed',
      'storageFailed',
      'failed',
    ]) {
      expect(en, state).toHaveProperty([`error.${state}`]);
    }
  });

  it('names each language in its own script, the same in every file', () => {
    const own = { en: 'English', zh: '中文', es: 'Español', fr: 'Français', de: 'Deutsch', ar: 'العربية' };
    for (const lang of LANGUAGES) {
      const table = load(lang);
      for (const [code, name] of Object.entries(own)) expect(table[`languageName.${code}`]).toBe(name);
    }
  });
});
