// The payment screen's voucher entry: a code pad laid out for voucher codes (Crockford base 32).
import { useEffect, useRef, useState } from 'react';
import type { UiEvent, UiSnapshot } from '../../shell/bridge/kiosk-api.ts';
import type { Translator } from '../i18n/index.ts';

import { CodeKeys, codeLength, shownCode as shown } from './CodeKeys.tsx';

/**
 * "Have a voucher?": opens a pad, the code shown large as it is typed, then Use voucher. What the
 * booth said about the last code (taken, unknown, used, expired, pad resting) is read out politely.
 */
export function VoucherPad({
  snap,
  tr,
  send,
}: {
  snap: UiSnapshot;
  tr: Translator;
  send: (e: UiEvent) => void;
}) {
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState('');
  const dialog = useRef<HTMLDivElement>(null);
  const { voucher } = snap.money;
  useEffect(() => {
    if (open) dialog.current?.querySelector('button')?.focus();
  }, [open]);
  // A code the booth took closes the pad; a refused one stays, to be corrected.
  useEffect(() => {
    if (voucher.redeemed > 0 && !voucher.error) {
      setOpen(false);
      setTyped('');
    }
  }, [voucher.redeemed, voucher.error]);

  const status = voucher.busy
    ? tr.t('voucher.checking')
    : voucher.error
      ? tr.t(
          tr.has(`voucher.error.${voucher.error}`)
            ? `voucher.error.${voucher.error}`
            : 'voucher.error.default',
        )
      : voucher.redeemed > 0
        ? tr.t('voucher.taken', { amount: tr.money(voucher.redeemed) })
        : '';

  if (!open)
    return (
      <div className="voucher-entry">
        <p className="voucher-status" role="status" aria-live="polite">
          {status}
        </p>
        <button type="button" className="secondary" onClick={() => setOpen(true)}>
          {tr.t('voucher.open')}
        </button>
      </div>
    );
  return (
    <div className="voucher-backdrop">
      <div
        ref={dialog}
        className="voucher-pad"
        role="dialog"
        aria-modal="true"
        aria-label={tr.t('voucher.title')}
      >
        <h2>{tr.t('voucher.title')}</h2>
        <p className="voucher-code" aria-live="polite" data-testid="voucher-code">
          {shown(typed) || '\u00a0'}
        </p>
        <p className="voucher-status" role="status" aria-live="polite">
          {status}
        </p>
        <CodeKeys typed={typed} onChange={setTyped} deleteLabel={tr.t('voucher.delete')} />
        <div className="actions">
          <button
            type="button"
            className="secondary"
            onClick={() => {
              setOpen(false);
              setTyped('');
            }}
          >
            {tr.t('voucher.close')}
          </button>
          <button
            type="button"
            className="primary"
            disabled={typed.length !== codeLength || voucher.busy}
            onClick={() => send({ type: 'REDEEM_VOUCHER', code: shown(typed) })}
          >
            {tr.t('voucher.use')}
          </button>
        </div>
      </div>
    </div>
  );
}
