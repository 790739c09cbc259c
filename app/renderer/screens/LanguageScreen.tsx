import { LanguageButtons } from '../components/LanguageButtons.tsx';
import { Title } from '../components/Title.tsx';
import { knownLanguages } from '../i18n/index.ts';
import type { ScreenProps } from './types.ts';

export function LanguageScreen({ snap, tr, send }: ScreenProps) {
  const languages = snap.languages.length ? snap.languages : knownLanguages;
  return (
    <>
      <Title>{tr.t('language.title')}</Title>
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
