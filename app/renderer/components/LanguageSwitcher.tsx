// The language button on every customer screen and the list it opens.
import { useEffect, useRef, useState } from 'react';
import { GlobeIcon } from './Icons.tsx';
import { LanguageButtons, type LanguageChoice } from './LanguageButtons.tsx';

export function LanguageSwitcher({ tr, languages, onSelect }: LanguageChoice) {
  const [open, setOpen] = useState(false);
  const toggle = useRef<HTMLButtonElement>(null);
  const list = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (open) list.current?.querySelector<HTMLButtonElement>('button[aria-pressed="true"], button')?.focus();
  }, [open]);
  const close = (): void => {
    setOpen(false);
    toggle.current?.focus();
  };
  return (
    <div className="language-switcher" onClick={(e) => e.stopPropagation()}>
      <button
        ref={toggle}
        type="button"
        className="tool"
        aria-expanded={open}
        aria-controls="language-list"
        onClick={() => setOpen(!open)}
      >
        <GlobeIcon /> {tr.t('common.language')}
      </button>
      {open && (
        <div
          id="language-list"
          ref={list}
          className="language-list"
          role="group"
          aria-label={tr.t('common.language')}
          onKeyDown={(e) => {
            if (e.key === 'Escape') close();
          }}
        >
          <LanguageButtons
            tr={tr}
            languages={languages}
            onSelect={(language) => {
              onSelect(language);
              close();
            }}
          />
        </div>
      )}
    </div>
  );
}
