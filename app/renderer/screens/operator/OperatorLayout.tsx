// The frame of every operator screen: who is in, that the booth is closed to customers meanwhile,
// the page, and Back / Leave. Operator screens are for a person standing at the booth with a key
// in one hand: large targets, big numbers.
import type { ReactNode } from 'react';
import { Title } from '../../components/Title.tsx';
import type { ScreenProps } from '../types.ts';

export function OperatorLayout({
  snap,
  tr,
  send,
  title,
  back = true,
  children,
  actions,
}: ScreenProps & { title: string; back?: boolean; children?: ReactNode; actions?: ReactNode }) {
  const op = snap.operator;
  return (
    <div className="operator">
      <p className="operator-banner" role="status">
        {tr.t('operator.banner')}
        {op?.role ? ` · ${tr.t(`operator.role.${op.role}`)}` : ''}
      </p>
      <Title>{title}</Title>
      {op?.error && (
        <p className="notice" role="alert">
          {tr.t(
            tr.has(`operator.error.${op.error}`) ? `operator.error.${op.error}` : 'operator.error.default',
            {
              code: op.error,
            },
          )}
        </p>
      )}
      {children}
      <div className="actions">
        {actions}
        {back && (
          <button type="button" onClick={() => send({ type: 'OPERATOR_BACK' })}>
            {tr.t('operator.back')}
          </button>
        )}
        <button type="button" onClick={() => send({ type: 'OPERATOR_EXIT' })}>
          {tr.t('operator.exit')}
        </button>
      </div>
    </div>
  );
}

/** A date and time in the screen's language. */
export function when(language: string, epochMs: number): string {
  return new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' }).format(epochMs);
}
