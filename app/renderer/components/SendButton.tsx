// The buttons that send the flow one event. Nearly every screen ends in a row of them, so
// their type, look and click live here once rather than copied into each screen.
import type { ReactNode } from 'react';
import type { UiEvent } from '../../shell/bridge/kiosk-api.ts';
import type { Translator } from '../i18n/index.ts';

type Send = (event: UiEvent) => void;

export function SendButton({
  send,
  event,
  look,
  disabled,
  children,
}: {
  send: Send;
  event: UiEvent;
  /** `primary` is the way on; `secondary` a way back or aside. */
  look: 'primary' | 'secondary';
  disabled?: boolean;
  children: ReactNode;
}) {
  return (
    <button type="button" className={look} disabled={disabled} onClick={() => send(event)}>
      {children}
    </button>
  );
}

/** "Cancel": the same way out of every step that offers one. */
export function CancelButton({ tr, send }: { tr: Translator; send: Send }) {
  return (
    <SendButton send={send} event={{ type: 'CANCEL' }} look="secondary">
      {tr.t('common.cancel')}
    </SendButton>
  );
}
