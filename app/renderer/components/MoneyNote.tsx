// What happens to the customer's money, said wherever money is involved (cancel, still there, errors).
import type { UiSnapshot } from '../../shell/bridge/kiosk-api.ts';
import type { Translator } from '../i18n/index.ts';

/**
 * "€5.00 stays in the booth as credit for the next customer", in the unit's policy, and how to
 * reach the operator. Nothing when there is no money in.
 */
export function MoneyNote({ snap, tr }: { snap: UiSnapshot; tr: Translator }) {
  if (snap.money.atStake <= 0) return null;
  const amount = tr.money(snap.money.atStake);
  return (
    <div className="money-note" role="note">
      <p className="money-amount">{tr.t('money.amountIn', { amount })}</p>
      {snap.money.heldNote > 0 && <p>{tr.t('money.noteBack', { amount: tr.money(snap.money.heldNote) })}</p>}
      {snap.money.atStake > snap.money.heldNote && (
        <p>
          {tr.t(`money.policy.${snap.money.unusedCredit}`, {
            amount: tr.money(snap.money.atStake - snap.money.heldNote),
          })}
        </p>
      )}
      <p className="money-contact">
        {snap.money.contact ? tr.t('money.contact', { contact: snap.money.contact }) : tr.t('money.askStaff')}
      </p>
    </div>
  );
}
