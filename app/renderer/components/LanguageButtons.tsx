// One button per language, each named in its own language. The language screen and the
// switcher on every other screen show the same list; only what a choice does next differs.
import type { Translator } from '../i18n/index.ts';

/** The languages on offer and what choosing one does: the switcher takes the same. */
export interface LanguageChoice {
  tr: Translator;
  languages: readonly string[];
  onSelect: (language: string) => void;
}

export function LanguageButtons({ tr, languages, onSelect }: LanguageChoice) {
  return languages.map((language) => (
    <button
      key={language}
      type="button"
      lang={language}
      dir="auto"
      aria-pressed={language === tr.language}
      onClick={() => onSelect(language)}
    >
      {tr.t(`languageName.${language}`)}
    </button>
  ));
}
