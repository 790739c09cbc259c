import { CancelButton } from '../components/SendButton.tsx';
import { Title } from '../components/Title.tsx';
import { VoucherPad } from '../components/VoucherPad.tsx';
import type { Translator } from '../i18n/index.ts';
import type { ScreenProps } from './types.ts';

/** "Coins: 1 € · 2 €": what the booth takes of one kind; nothing when it takes none of it. */
function Accepted({ label, values, tr }: { label: string; values: readonly number[]; tr: Translator }) {
  if (values.length === 0) return null;
  return (
    <p>
      <strong>{label}:</strong> {values.map((v) => tr.money(v)).join(' · ')}
    </p>
  );
}

export function PaymentScreen({ snap, tr, send }: ScreenProps) {
  const price = snap.choice.price;
  // A note held in escrow counts toward the price; it is taken once the price is met.
  const paid = snap.credit + snap.money.heldNote;
  const remaining = Math.max(0, price - paid);
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
          <dd>{tr.money(paid)}</dd>
        </div>
        <div className="remaining" aria-live="polite" aria-atomic="true">
          <dt>{tr.t('payment.remaining')}</dt>
          <dd>{tr.money(remaining)}</dd>
        </div>
      </dl>
      {snap.money.carried > 0 && (
        // Never someone else's money unannounced: the customer knows why the booth shows credit.
        <p className="notice carried" role="note">
          {tr.t('payment.carried', { amount: tr.money(snap.money.carried) })}
        </p>
      )}
      {snap.money.heldNote > 0 && (
        <p className="notice" role="note">
          {tr.t('payment.noteHeld', { amount: tr.money(snap.money.heldNote) })}
        </p>
      )}
      <div className="accepted">
        <Accepted label={tr.t('payment.coins')} values={snap.payment.coins} tr={tr} />
        <Accepted label={tr.t('payment.notes')} values={snap.payment.bills} tr={tr} />
        {snap.payment.noChangeGiven && <p className="notice">{tr.t('payment.noChange')}</p>}
      </div>
      <VoucherPad snap={snap} tr={tr} send={send} />
      <div className="actions">
        <CancelButton tr={tr} send={send} />
      </div>
    </>
  );
}
