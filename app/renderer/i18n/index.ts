// Translation tables, one flat JSON file per language under config/translations/.
// English is the fallback for a missing key; a key missing everywhere is shown as itself.
import ar from '../../../config/translations/ar.json';
import de from '../../../config/translations/de.json';
import en from '../../../config/translations/en.json';
import es from '../../../config/translations/es.json';
import fr from '../../../config/translations/fr.json';
import zh from '../../../config/translations/zh.json';

export type Table = Readonly<Record<string, string>>;

const tables: Readonly<Record<string, Table>> = { en, zh, es, fr, de, ar };

/** Every language the renderer has strings for. */
export const knownLanguages: readonly string[] = Object.keys(tables);

const rtlLanguages = new Set(['ar', 'he', 'fa', 'ur']);

/** The primary subtag: `zh-CN` → `zh`. */
export function baseLanguage(language: string): string {
  return language.toLowerCase().split(/[-_]/)[0] ?? 'en';
}

export function direction(language: string): 'rtl' | 'ltr' {
  return rtlLanguages.has(baseLanguage(language)) ? 'rtl' : 'ltr';
}

export function hasKey(language: string, key: string): boolean {
  return tables[baseLanguage(language)]?.[key] !== undefined;
}

export type Params = Readonly<Record<string, string | number>>;

/** The string for `key` in `language`, with `{name}` placeholders filled from `params`. */
export function translate(language: string, key: string, params?: Params): string {
  const text = tables[baseLanguage(language)]?.[key] ?? en[key as keyof typeof en] ?? key;
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
    params[name] === undefined ? whole : String(params[name]),
  );
}

/** Picks `<key>.one` or `<key>.other` by the language's plural rules. */
export function translateCount(language: string, key: string, count: number): string {
  const form = new Intl.PluralRules(baseLanguage(language)).select(count) === 'one' ? 'one' : 'other';
  return translate(language, `${key}.${form}`, { count });
}

export type Translator = {
  language: string;
  t: (key: string, params?: Params) => string;
  tc: (key: string, count: number) => string;
  has: (key: string) => boolean;
  money: (minor: number) => string;
};

export function translator(language: string, currency: string): Translator {
  let format: Intl.NumberFormat;
  try {
    format = new Intl.NumberFormat(language, { style: 'currency', currency });
  } catch {
    format = new Intl.NumberFormat('en', { style: 'currency', currency: 'EUR' });
  }
  return {
    language,
    t: (key, params) => translate(language, key, params),
    tc: (key, count) => translateCount(language, key, count),
    has: (key) => hasKey(language, key),
    money: (minor) => format.format(minor / 100),
  };
}
