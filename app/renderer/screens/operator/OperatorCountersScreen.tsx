// Counters: sessions by how they ended, prints, refused photos by rule, failures by state; today,
// yesterday and since each counter's own reset. One counter is reset at a time, after a confirm.
import { useState } from 'react';
import type { UiSnapshot } from '../../../shell/bridge/kiosk-api.ts';
import type { Translator } from '../../i18n/index.ts';
import type { ScreenProps } from '../types.ts';
import { OperatorLayout, when } from './OperatorLayout.tsx';

type Counter = NonNullable<NonNullable<UiSnapshot['operator']>['counters']>[number];

/** A counter's name in words: refused photos by the check's own words, failures by the state. */
function label(name: string, tr: Translator): string {
  const [kind, id] = name.split(':');
  if (kind === 'refused' && id)
    return tr.t('operator.counter.refused', { rule: tr.has(`check.${id}`) ? tr.t(`check.${id}`) : id });
  if (kind === 'failure' && id) return tr.t('operator.counter.failure', { state: id });
  return tr.t(`operator.counter.${name}`);
}

export function OperatorCountersScreen(props: ScreenProps) {
  const { snap, tr, send } = props;
  const [confirm, setConfirm] = useState<string | null>(null);
  const counters: Counter[] = snap.operator?.counters ?? [];
  return (
    <OperatorLayout {...props} title={tr.t('operatorCounters.title')}>
      <table className="operator-table operator-counters">
        <thead>
          <tr>
            <th scope="col">{tr.t('operator.counter.name')}</th>
            <th scope="col">{tr.t('operator.counter.today')}</th>
            <th scope="col">{tr.t('operator.counter.yesterday')}</th>
            <th scope="col">{tr.t('operator.counter.sinceReset')}</th>
            <th scope="col">
              <span className="visually-hidden">{tr.t('operator.counter.reset')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {counters.map((c) => (
            <tr key={c.name}>
              <th scope="row">{label(c.name, tr)}</th>
              <td>{c.today}</td>
              <td>{c.yesterday}</td>
              <td>
                {c.sinceReset}
                {c.resetAt !== null && (
                  <span className="muted">
                    {' '}
                    {tr.t('operator.counter.resetAt', { when: when(tr.language, c.resetAt) })}
                  </span>
                )}
              </td>
              <td>
                {confirm === c.name ? (
                  <button
                    type="button"
                    className="primary"
                    onClick={() => {
                      setConfirm(null);
                      send({ type: 'OPERATOR_RESET_COUNTER', name: c.name });
                    }}
                  >
                    {tr.t('operator.counter.resetConfirm', { name: label(c.name, tr) })}
                  </button>
                ) : (
                  <button
                    type="button"
                    className="tool"
                    aria-label={tr.t('operator.counter.resetOne', { name: label(c.name, tr) })}
                    onClick={() => setConfirm(c.name)}
                  >
                    {tr.t('operator.counter.reset')}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </OperatorLayout>
  );
}
