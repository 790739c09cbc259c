// The end of a session: thank-you, photos owed, still there, errors, unavailable, out of service.
import { useEffect, useState } from 'react';
import { MoneyNote } from '../components/MoneyNote.tsx';
import { CancelButton, SendButton } from '../components/SendButton.tsx';
import { EndLayout, ReceiptCode, StaffCode } from './EndLayout.tsx';
import { ContactUsButton } from './MessageScreens.tsx';
import type { ScreenProps } from './types.ts';

export function ThankYouScreen({ snap, tr, send }: ScreenProps) {
  const digital = snap.mail.digitalCopy;
  return (
    <EndLayout
      title={tr.t('thankYou.title')}
      lead={tr.t('thankYou.body')}
      actions={
        <>
          <ContactUsButton snap={snap} tr={tr} send={send} />
          <SendButton send={send} event={{ type: 'FINISH' }} look="primary">
            {tr.t('common.finish')}
          </SendButton>
        </>
      }
    >
      {digital && (
        <p className="digital-line" role="status">
          {tr.t(digital === 'queued' ? 'thankYou.digitalSent' : 'thankYou.digitalSkipped', {
            days: snap.retentionDays,
          })}
        </p>
      )}
      <ReceiptCode code={snap.receiptCode} label={tr.t('receipt.codeLabel')} />
      <p>{tr.t('thankYou.howTo', { days: snap.retentionDays })}</p>
    </EndLayout>
  );
}

export function PrintOwedScreen({ snap, tr, send }: ScreenProps) {
  return (
    <EndLayout
      title={tr.t('printOwed.title')}
      lead={tr.t('printOwed.body')}
      actions={
        <>
          <ContactUsButton snap={snap} tr={tr} send={send} />
          {/* An error state: the flow ends it on a touch. */}
          <SendButton send={send} event={{ type: 'TOUCH' }} look="primary">
            {tr.t('common.finish')}
          </SendButton>
        </>
      }
    >
      <ReceiptCode code={snap.receiptCode} label={tr.t('receipt.codeLabel')} />
      <p>{tr.t('printOwed.keepCode')}</p>
    </EndLayout>
  );
}

/** Seconds left of `ms` from when this screen appeared, counting down once a second. */
function useSecondsLeft(ms: number): number {
  const [left, setLeft] = useState(Math.ceil(ms / 1000));
  useEffect(() => {
    const end = Date.now() + ms;
    const timer = setInterval(() => setLeft(Math.max(0, Math.ceil((end - Date.now()) / 1000))), 250);
    return () => clearInterval(timer);
  }, [ms]);
  return left;
}

export function StillThereScreen({ snap, tr, send }: ScreenProps) {
  const seconds = useSecondsLeft(snap.stillThereMs);
  return (
    <EndLayout
      title={tr.t('stillThere.title')}
      lead={tr.t('stillThere.body')}
      actions={
        <>
          <CancelButton tr={tr} send={send} />
          <SendButton send={send} event={{ type: 'STILL_HERE' }} look="primary">
            {tr.t('stillThere.here')}
          </SendButton>
        </>
      }
    >
      <p className="countdown-line" aria-live="polite">
        {tr.t('stillThere.endsIn', { seconds })}
      </p>
      <MoneyNote snap={snap} tr={tr} />
    </EndLayout>
  );
}

/**
 * The customer's leftover money, settled: coins paid back, the voucher (its code large, its
 * amount and last day), or the credit left in the booth; and how to reach the operator.
 */
export function MoneyBackScreen({ snap, tr, send }: ScreenProps) {
  const back = snap.money.handedBack;
  const voucher = back?.voucher ?? null;
  const date = (iso: string) =>
    new Intl.DateTimeFormat(snap.language, { dateStyle: 'long' }).format(new Date(iso));
  return (
    <EndLayout
      title={tr.t('moneyBack.title')}
      lead={tr.t('moneyBack.lead', { amount: tr.money(back?.amount ?? 0) })}
      actions={
        <>
          <ContactUsButton snap={snap} tr={tr} send={send} />
          <SendButton send={send} event={{ type: 'FINISH' }} look="primary">
            {tr.t('common.finish')}
          </SendButton>
        </>
      }
    >
      {back && (back.paidOut > 0 || back.carried > 0 || back.kept > 0) && (
        <div className="money-note" role="note">
          {back.paidOut > 0 && (
            <p className="money-amount">{tr.t('moneyBack.paidOut', { amount: tr.money(back.paidOut) })}</p>
          )}
          {voucher && back.paidOut > 0 && <p>{tr.t('moneyBack.restOnVoucher')}</p>}
          {back.carried > 0 && <p>{tr.t('moneyBack.carried', { amount: tr.money(back.carried) })}</p>}
          {back.kept > 0 && <p>{tr.t('moneyBack.kept', { amount: tr.money(back.kept) })}</p>}
        </div>
      )}
      {voucher && (
        <div className="voucher" data-testid="voucher">
          <p className="money-amount">{tr.t('moneyBack.voucher', { amount: tr.money(voucher.amount) })}</p>
          <ReceiptCode code={voucher.code} label={tr.t('moneyBack.voucherCode')} />
          <p>{tr.t('moneyBack.validUntil', { date: date(voucher.validUntil) })}</p>
          <p>{tr.t(voucher.printed ? 'moneyBack.voucherPrinted' : 'moneyBack.voucherNotPrinted')}</p>
        </div>
      )}
      <p className="money-contact">
        {snap.money.contact ? tr.t('money.contact', { contact: snap.money.contact }) : tr.t('money.askStaff')}
      </p>
      <ReceiptCode code={snap.receiptCode} label={tr.t('receipt.codeLabel')} />
    </EndLayout>
  );
}

/** Cancel with money in: how much, what happens to it, then carry on or cancel for good. */
export function ConfirmCancelScreen({ snap, tr, send }: ScreenProps) {
  return (
    <EndLayout
      icon="?"
      title={tr.t('confirmCancel.title')}
      lead={tr.t('confirmCancel.body')}
      actions={
        <>
          <SendButton send={send} event={{ type: 'CANCEL' }} look="secondary">
            {tr.t('confirmCancel.yes')}
          </SendButton>
          <SendButton send={send} event={{ type: 'KEEP_GOING' }} look="primary">
            {tr.t('confirmCancel.no')}
          </SendButton>
        </>
      }
    >
      <MoneyNote snap={snap} tr={tr} />
      <ReceiptCode code={snap.receiptCode} label={tr.t('receipt.codeLabel')} />
    </EndLayout>
  );
}

/** The error message key for a fault: the named error state, or the flow step that failed. */
export function faultKey(state: string | undefined): string {
  switch (state) {
    case 'paymentFailed':
    case 'payment':
      return 'error.paymentFailed';
    case 'cameraFailed':
    case 'shooting':
    case 'capturing':
      return 'error.cameraFailed';
    case 'productionFailed':
    case 'producing':
    case 'checking':
      return 'error.productionFailed';
    case 'printFailed':
    case 'printing':
      return 'error.printFailed';
    case 'storageFailed':
    case 'opening':
    case 'delivering':
      return 'error.storageFailed';
    default:
      return 'error.failed';
  }
}

/** "OK" on an error state: the flow leaves it on a touch. */
function OkButton({ tr, send }: Pick<ScreenProps, 'tr' | 'send'>) {
  return (
    <SendButton send={send} event={{ type: 'TOUCH' }} look="primary">
      {tr.t('common.ok')}
    </SendButton>
  );
}

export function ErrorScreen({ snap, tr, send }: ScreenProps) {
  return (
    <EndLayout
      icon="!"
      title={tr.t('error.title')}
      lead={tr.t(faultKey(snap.fault?.state))}
      actions={
        <>
          <ContactUsButton snap={snap} tr={tr} send={send} />
          <OkButton tr={tr} send={send} />
        </>
      }
    >
      <MoneyNote snap={snap} tr={tr} />
      <ReceiptCode code={snap.receiptCode} label={tr.t('receipt.codeLabel')} />
      {snap.fault && (
        <StaffCode>{tr.t('error.code', { code: `${snap.fault.state}/${snap.fault.code}` })}</StaffCode>
      )}
    </EndLayout>
  );
}

export function UnavailableScreen({ snap, tr, send }: ScreenProps) {
  const reason = snap.outOfServiceReason ?? snap.fault?.code ?? null;
  return (
    <EndLayout
      title={tr.t('unavailable.title')}
      lead={tr.t('unavailable.body')}
      actions={<OkButton tr={tr} send={send} />}
    >
      <MoneyNote snap={snap} tr={tr} />
      {reason && <StaffCode>{tr.t('unavailable.reason', { reason })}</StaffCode>}
    </EndLayout>
  );
}

export function OutOfServiceScreen({ snap, tr }: ScreenProps) {
  const reason = snap.outOfServiceReason;
  return (
    <EndLayout
      icon={
        <svg viewBox="0 0 24 24" width="80" height="80">
          <rect x="5" y="4" width="5" height="16" fill="currentColor" />
          <rect x="14" y="4" width="5" height="16" fill="currentColor" />
        </svg>
      }
      title={tr.t(
        reason === 'operator:maintenance'
          ? 'outOfService.maintenance'
          : reason === 'hours:closed'
            ? 'outOfService.closed'
            : 'outOfService.title',
      )}
      lead={tr.t(reason === 'hours:closed' ? 'outOfService.closedBody' : 'outOfService.body')}
    >
      <MoneyNote snap={snap} tr={tr} />
      {reason && <StaffCode>{tr.t('unavailable.reason', { reason })}</StaffCode>}
    </EndLayout>
  );
}
