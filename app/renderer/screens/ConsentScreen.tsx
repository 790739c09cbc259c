import { Markdown } from '../components/Markdown.tsx';
import { SendButton } from '../components/SendButton.tsx';
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
        <SendButton send={send} event={{ type: 'DECLINE_CONSENT' }} look="secondary">
          {tr.t('consent.decline')}
        </SendButton>
        <SendButton send={send} event={{ type: 'ACCEPT_CONSENT' }} look="primary">
          {tr.t('consent.accept')}
        </SendButton>
      </div>
    </>
  );
}
