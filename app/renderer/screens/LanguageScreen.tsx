import { Title } from '../components/Title.tsx';
import { knownLanguages } from '../i18n/index.ts';
import type { ScreenProps } from './types.ts';

export function LanguageScreen({ snap, tr, send }: ScreenProps) {
  const languages = snap.languages.length ? snap.languages : knownLanguages;
  return (
    <>
      <Title>{tr.t('language.title')}</Title>
      <div className="grid-buttons">
        {languages.map((language) => (
          <button
            key={language}
            type="button"
            lang={language}
            dir="auto"
            aria-pressed={language === tr.language}
            onClick={() => send({ type: 'SELECT_LANGUAGE', language })}
          >
            {tr.t(`languageName.${language}`)}
          </button>
        ))}
      </div>
    </>
  );
}
