import { Markdown } from '../components/Markdown.tsx';
import { Title } from '../components/Title.tsx';
import type { ScreenProps } from './types.ts';

export function ConsentScreen({ snap, tr, send }: ScreenProps) {
  const consent = snap.consent;
  return (
    <>
      <Title>{tr.t('consent.title')}</Title>
      {consent?.changed && (
        <p className="notice" role="status">
          {tr.t('consent.changed')}
        </p>
      )}
      <section className="policy" tabIndex={0} aria-label={tr.t('consent.policyLabel')}>
        <Markdown source={consent?.text ?? ''} />
      </section>
      {consent?.guardianNotice !== false && <p className="notice guardian">{tr.t('consent.guardian')}</p>}
      <div className="actions">
        <button type="button" className="secondary" onClick={() => send({ type: 'DECLINE_CONSENT' })}>
          {tr.t('consent.decline')}
        </button>
        <button type="button" className="primary" onClick={() => send({ type: 'ACCEPT_CONSENT' })}>
          {tr.t('consent.accept')}
        </button>
      </div>
    </>
  );
}
