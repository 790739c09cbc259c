// Owed prints: what earlier customers paid for and did not get yet (a printer fault), oldest
// first; print it now, or give up and hand the price back (coins then a voucher, or a voucher);
// and the emails still owed (a digital file, a contact request): send again now.
import { useState } from 'react';
import type { UiSnapshot } from '../../../shell/bridge/kiosk-api.ts';
import type { Translator } from '../../i18n/index.ts';
import type { ScreenProps } from '../types.ts';
import { OperatorLayout, when } from './OperatorLayout.tsx';

type Owed = NonNullable<NonNullable<UiSnapshot['operator']>['owed']>;

function outcomeText(outcome: Owed['outcome'], tr: Translator): string {
  if (!outcome) return '';
  switch (outcome.kind) {
    case 'delivered':
      return tr.t('operator.owed.delivered', { order: outcome.orderId });
    case 'still-owed':
      return tr.t('operator.owed.stillOwed', { order: outcome.orderId, reason: outcome.stoppedBy ?? '?' });
    case 'handed-back':
      return (
        tr.t('operator.owed.handedBack', {
          order: outcome.orderId,
          coins: tr.money(outcome.paidOut),
          voucher: tr.money(outcome.voucher),
        }) + (outcome.voucherCode ? ` ${tr.t('operator.owed.writeDown', { code: outcome.voucherCode })}` : '')
      );
  }
}

export function OperatorOwedScreen(props: ScreenProps) {
  const { snap, tr, send } = props;
  const owed = snap.operator?.owed ?? { rows: [], outcome: null };
  // Emails the booth still owes customers: never an address, only what and since when.
  const mail = snap.operator?.owedMail ?? [];
  const [giving, setGiving] = useState<string | null>(null);
  return (
    <OperatorLayout {...props} title={tr.t('operatorOwed.title')}>
      <p className="lead" role="status" aria-live="polite">
        {outcomeText(owed.outcome, tr) || (owed.rows.length === 0 ? tr.t('operator.owed.none') : '')}
      </p>
      {owed.rows.length > 0 && (
        <table className="operator-table">
          <tbody>
            {owed.rows.map((row) => (
              <tr key={row.orderId}>
                <th scope="row">
                  {tr.t('operator.owed.row', {
                    since: when(tr.language, row.since),
                    sheets: row.sheetsLeft,
                    price: tr.money(row.price),
                    tries: row.attempts,
                    error: row.lastError,
                  })}
                </th>
                <td>
                  {row.state === 'owed' && (
                    <button
                      type="button"
                      className="tool"
                      onClick={() => send({ type: 'OPERATOR_RETRY_OWED', orderId: row.orderId })}
                    >
                      {tr.t('operator.owed.retry')}
                    </button>
                  )}{' '}
                  {giving === row.orderId ? (
                    <>
                      <button
                        type="button"
                        className="primary"
                        onClick={() => {
                          setGiving(null);
                          send({ type: 'OPERATOR_GIVE_UP_OWED', orderId: row.orderId, as: 'refund' });
                        }}
                      >
                        {tr.t('operator.owed.asRefund')}
                      </button>{' '}
                      <button
                        type="button"
                        className="primary"
                        onClick={() => {
                          setGiving(null);
                          send({ type: 'OPERATOR_GIVE_UP_OWED', orderId: row.orderId, as: 'voucher' });
                        }}
                      >
                        {tr.t('operator.owed.asVoucher')}
                      </button>
                    </>
                  ) : (
                    <button type="button" className="tool" onClick={() => setGiving(row.orderId)}>
                      {tr.t('operator.owed.giveUp')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {mail.length > 0 && (
        <>
          <h2>{tr.t('operator.owed.mailTitle')}</h2>
          <table className="operator-table" data-testid="owed-mail">
            <tbody>
              {mail.map((m) => (
                <tr key={m.id}>
                  <th scope="row">
                    {tr.t(m.state === 'failed' ? 'operator.owed.mailRefused' : 'operator.owed.mailWaiting', {
                      what: tr.t(`operator.owed.mail.${m.kind}`),
                      since: when(tr.language, m.since),
                      until: when(tr.language, m.expires),
                      tries: m.attempts,
                      error: m.lastError ?? '—',
                    })}
                  </th>
                  <td>
                    <button
                      type="button"
                      className="tool"
                      onClick={() => send({ type: 'OPERATOR_RESEND_MAIL', id: m.id })}
                    >
                      {tr.t('operator.owed.resend')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </OperatorLayout>
  );
}
