import { LanguageButtons } from '../components/LanguageButtons.tsx';
import { Title } from '../components/Title.tsx';
import { baseLanguage, direction, knownLanguages, translate } from '../i18n/index.ts';
import type { ScreenProps } from './types.ts';

export function LanguageScreen({ snap, tr, send }: ScreenProps) {
  const languages = snap.languages.length ? snap.languages : knownLanguages;
  // The question in every other language too: a person who cannot read the first one still
  // sees what this screen asks.
  const others = languages.filter((l) => baseLanguage(l) !== baseLanguage(tr.language));
  return (
    <>
      <Title>{tr.t('language.title')}</Title>
      {others.length > 0 && (
        <p className="title-translations">
          {others.map((l) => (
            <span key={l} lang={l} dir={direction(l)}>
              {translate(l, 'language.title')}
            </span>
          ))}
        </p>
      )}
      <div className="grid-buttons">
        <LanguageButtons
          tr={tr}
          languages={languages}
          onSelect={(language) => send({ type: 'SELECT_LANGUAGE', language })}
        />
      </div>
    </>
  );
}
