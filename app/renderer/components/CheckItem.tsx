// One line of a photo-check list: a tick or cross that names its result for screen readers,
// then the check's text. The pose coach and the photo review both list checks this way.
import type { ReactNode } from 'react';
import type { Translator } from '../i18n/index.ts';

/** A check's name in the shown language; the fallback when the booth has no string for it. */
export function checkName(tr: Translator, id: string, fallback: string): string {
  return tr.has(`check.${id}`) ? tr.t(`check.${id}`) : fallback || tr.t('check.rule');
}

export function CheckItem({ pass, label, children }: { pass: boolean; label: string; children: ReactNode }) {
  return (
    <li className={pass ? 'pass' : 'fail'}>
      <span className="check-icon" role="img" aria-label={label}>
        {pass ? '✓' : '✗'}
      </span>
      {children}
    </li>
  );
}
