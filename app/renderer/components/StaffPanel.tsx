// Demo mode's hidden staff panel: insert money, inject device faults, clear them, refill paper.
// Opened with Ctrl+Shift+S or by tapping the corners top-left, top-right, bottom-right, bottom-left.
import { useEffect, useRef } from 'react';
import { useCornerSequence } from './CornerSequence.ts';
import type { UiEvent, UiSnapshot, UiStaffFault } from '../../shell/bridge/kiosk-api.ts';
import { translate } from '../i18n/index.ts';

type Device = 'camera' | 'photoPrinter' | 'payment' | 'receiptPrinter' | 'hopper';

export const STAFF_FAULTS: readonly { device: Device; fault: UiStaffFault }[] = [
  { device: 'camera', fault: 'disconnect' },
  { device: 'camera', fault: 'timeout' },
  { device: 'photoPrinter', fault: 'out-of-paper' },
  { device: 'photoPrinter', fault: 'jam' },
  { device: 'payment', fault: 'jam' },
  { device: 'payment', fault: 'timeout' },
  { device: 'receiptPrinter', fault: 'out-of-paper' },
  // Shown only where the demo has a simulated hopper (`hardware.hopper.adapter: simulated`).
  { device: 'hopper', fault: 'empty' },
  { device: 'hopper', fault: 'jam' },
];

/** Staff strings are English: the panel is for the people running the demo. */
const t = (key: string, params?: Record<string, string | number>): string => translate('en', key, params);

export function StaffPanel({
  snap,
  send,
  onClose,
}: {
  snap: UiSnapshot;
  send: (event: UiEvent) => void;
  onClose: () => void;
}) {
  const dialog = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    dialog.current?.querySelector('button')?.focus();
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
      previous?.focus?.();
    };
  }, [onClose]);
  let money: Intl.NumberFormat;
  try {
    money = new Intl.NumberFormat('en', { style: 'currency', currency: snap.currency });
  } catch {
    money = new Intl.NumberFormat('en', { style: 'currency', currency: 'EUR' });
  }
  const amount = (minor: number): string => money.format(minor / 100);
  // Coins, then notes: one button for each value the payment device takes.
  const insertable = [
    ...snap.payment.coins.map((value) => ({ kind: 'coin' as const, value, label: 'staff.insertCoin' })),
    ...snap.payment.bills.map((value) => ({ kind: 'bill' as const, value, label: 'staff.insertNote' })),
  ];
  return (
    <div className="staff-backdrop" onClick={(e) => e.stopPropagation()}>
      <div ref={dialog} className="staff-panel" role="dialog" aria-modal="true" aria-label={t('staff.title')}>
        <h2>{t('staff.title')}</h2>
        <p className="muted" translate="no">
          {t('staff.state', { state: snap.state })}
        </p>
        <h3>{t('staff.money')}</h3>
        <div className="staff-buttons">
          {insertable.map(({ kind, value, label }) => (
            <button
              key={`${kind}${value}`}
              type="button"
              onClick={() => send({ type: 'STAFF_INSERT', kind, value })}
            >
              {t(label, { amount: amount(value) })}
            </button>
          ))}
        </div>
        <h3>{t('staff.faults')}</h3>
        <div className="staff-buttons">
          {STAFF_FAULTS.filter(({ device }) => device !== 'hopper' || snap.demoHopper).map(
            ({ device, fault }) => (
              <button
                key={`${device}-${fault}`}
                type="button"
                onClick={() => send({ type: 'STAFF_FAULT', device, fault })}
              >
                {t('staff.faultButton', {
                  device: t(`staff.device.${device}`),
                  fault: t(`staff.fault.${fault}`),
                })}
              </button>
            ),
          )}
          <button type="button" onClick={() => send({ type: 'STAFF_CLEAR_FAULTS' })}>
            {t('staff.clearFaults')}
          </button>
          <button type="button" onClick={() => send({ type: 'STAFF_REFILL_PRINTER' })}>
            {t('staff.refill')}
          </button>
          <button type="button" onClick={() => send({ type: 'STAFF_NEXT_PERSON' })}>
            {t('staff.nextPerson')}
          </button>
        </div>
        <div className="actions">
          <button type="button" className="primary" onClick={onClose}>
            {t('staff.close')}
          </button>
        </div>
      </div>
    </div>
  );
}

const clockwise = [0, 1, 2, 3] as const;
const ctrlShiftS = (e: KeyboardEvent): boolean =>
  e.ctrlKey && e.shiftKey && (e.code === 'KeyS' || e.key.toLowerCase() === 's');

/** Watches for Ctrl+Shift+S and the four corners tapped clockwise from top-left; calls `onOpen`. */
export function useStaffGesture(enabled: boolean, onOpen: () => void): void {
  useCornerSequence(clockwise, enabled, onOpen, ctrlShiftS);
}
