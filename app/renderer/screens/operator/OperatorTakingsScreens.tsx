// Takings since the cash box was last emptied, emptying it with a counted amount, and the Z-report
// that closes the period.
import { useState } from 'react';
import type { UiSnapshot } from '../../../shell/bridge/kiosk-api.ts';
import type { Translator } from '../../i18n/index.ts';
import type { ScreenProps } from '../types.ts';
import { NumberPad } from './NumberPad.tsx';
import { OperatorLayout, when } from './OperatorLayout.tsx';

type Takings = NonNullable<NonNullable<UiSnapshot['operator']>['takings']>;

function TakingsTable({ takings, tr, since = true }: { takings: Takings; tr: Translator; since?: boolean }) {
  const row = (label: string, value: string) => (
    <tr>
      <th scope="row">{label}</th>
      <td>{value}</td>
    </tr>
  );
  return (
    <table className="operator-table">
      <tbody>
        {since && row(tr.t('operator.takings.since'), when(tr.language, takings.since))}
        {takings.coins.map((c) =>
          row(
            tr.t('operator.takings.coin', { value: tr.money(c.value) }),
            `${c.count} · ${tr.money(c.value * c.count)}`,
          ),
        )}
        {takings.notes.map((n) =>
          row(
            tr.t('operator.takings.note', { value: tr.money(n.value) }),
            `${n.count} · ${tr.money(n.value * n.count)}`,
          ),
        )}
        {row(tr.t('operator.takings.cashIn'), tr.money(takings.cashIn))}
        {row(tr.t('operator.takings.paidOut'), tr.money(takings.paidOut))}
        {takings.testCoins > 0 && row(tr.t('operator.takings.testCoins'), tr.money(takings.testCoins))}
        {row(tr.t('operator.takings.expected'), tr.money(takings.expectedInBox))}
        {row(
          tr.t('operator.takings.sales'),
          `${takings.sales.delivered} · ${tr.money(takings.sales.revenue)}`,
        )}
        {row(tr.t('operator.takings.reversed'), String(takings.sales.reversed))}
        {row(tr.t('operator.takings.vouchersOutstanding'), tr.money(takings.vouchers.outstanding))}
        {row(tr.t('operator.takings.carried'), tr.money(takings.carried))}
        {row(tr.t('operator.takings.owedPrints'), String(takings.owedPrints))}
      </tbody>
    </table>
  );
}

export function OperatorTakingsScreen(props: ScreenProps) {
  const { snap, tr, send } = props;
  const [counted, setCounted] = useState('');
  const takings = snap.operator?.takings ?? null;
  const amount = counted === '' ? null : Number(counted);
  return (
    <OperatorLayout
      {...props}
      title={tr.t('operatorTakings.title')}
      actions={
        <>
          <button
            type="button"
            className="primary"
            disabled={amount === null || !takings}
            onClick={() => amount !== null && send({ type: 'OPERATOR_EMPTY_CASH', counted: amount })}
          >
            {tr.t('operator.cash.empty')}
          </button>
        </>
      }
    >
      <div className="operator-columns">
        {takings ? <TakingsTable takings={takings} tr={tr} /> : <p>{tr.t('operator.takings.unavailable')}</p>}
        <div className="operator-entry">
          <h2>{tr.t('operator.cash.counted')}</h2>
          <p className="operator-number" data-testid="counted">
            {amount === null ? '\u00a0' : tr.money(amount)}
          </p>
          {takings && amount !== null && (
            <p role="status">
              {tr.t('operator.cash.difference', { amount: tr.money(amount - takings.expectedInBox) })}
            </p>
          )}
          <NumberPad
            value={counted}
            onChange={setCounted}
            maxLength={8}
            tr={tr}
            label={tr.t('operator.cash.counted')}
          />
        </div>
      </div>
    </OperatorLayout>
  );
}

export function OperatorZReportScreen(props: ScreenProps) {
  const { snap, tr } = props;
  const z = snap.operator?.zReport ?? null;
  if (!z) return <OperatorLayout {...props} title={tr.t('operatorZReport.title')} />;
  return (
    <OperatorLayout {...props} title={tr.t('operatorZReport.title')}>
      <p className="lead">
        {tr.t('operator.z.period', {
          period: z.period,
          from: when(tr.language, z.since),
          to: when(tr.language, z.closedAt),
        })}
      </p>
      <div className="operator-columns">
        <TakingsTable takings={z} tr={tr} since={false} />
        <table className="operator-table operator-z">
          <tbody>
            <tr>
              <th scope="row">{tr.t('operator.takings.expected')}</th>
              <td>{tr.money(z.expectedInBox)}</td>
            </tr>
            <tr>
              <th scope="row">{tr.t('operator.cash.counted')}</th>
              <td>{tr.money(z.counted)}</td>
            </tr>
            <tr>
              <th scope="row">{tr.t('operator.z.difference')}</th>
              <td data-testid="z-difference">{tr.money(z.difference)}</td>
            </tr>
          </tbody>
        </table>
      </div>
      <p role="status">{tr.t(z.printed ? 'operator.z.printed' : 'operator.z.notPrinted')}</p>
    </OperatorLayout>
  );
}
