import { Title } from '../components/Title.tsx';
import type { ScreenProps } from './types.ts';

export function PaymentScreen({ snap, tr, send }: ScreenProps) {
  const price = snap.choice.price;
  const remaining = Math.max(0, price - snap.credit);
  return (
    <>
      <Title>{tr.t('payment.title')}</Title>
      <dl className="amounts">
        <div>
          <dt>{tr.t('payment.price')}</dt>
          <dd>{tr.money(price)}</dd>
        </div>
        <div aria-live="polite" aria-atomic="true">
          <dt>{tr.t('payment.credit')}</dt>
          <dd>{tr.money(snap.credit)}</dd>
        </div>
        <div className="remaining" aria-live="polite" aria-atomic="true">
          <dt>{tr.t('payment.remaining')}</dt>
          <dd>{tr.money(remaining)}</dd>
        </div>
      </dl>
      <div className="accepted">
        {snap.payment.coins.length > 0 && (
          <p>
            <strong>{tr.t('payment.coins')}:</strong> {snap.payment.coins.map((v) => tr.money(v)).join(' · ')}
          </p>
        )}
        {snap.payment.bills.length > 0 && (
          <p>
            <strong>{tr.t('payment.notes')}:</strong> {snap.payment.bills.map((v) => tr.money(v)).join(' · ')}
          </p>
        )}
        {snap.payment.noChangeGiven && <p className="notice">{tr.t('payment.noChange')}</p>}
      </div>
      <div className="actions">
        <button type="button" className="secondary" onClick={() => send({ type: 'CANCEL' })}>
          {tr.t('common.cancel')}
        </button>
      </div>
    </>
  );
}
