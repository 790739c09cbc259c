// The end of a session: thank-you, photos owed, still there, errors, unavailable, out of service.
import { CancelButton, SendButton } from '../components/SendButton.tsx';
import { EndLayout, ReceiptCode, StaffCode } from './EndLayout.tsx';
import type { ScreenProps } from './types.ts';

export function ThankYouScreen({ snap, tr, send }: ScreenProps) {
  return (
    <EndLayout
      title={tr.t('thankYou.title')}
      lead={tr.t('thankYou.body')}
      actions={
        <SendButton send={send} event={{ type: 'FINISH' }} look="primary">
          {tr.t('common.finish')}
        </SendButton>
      }
    >
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
        // An error state: the flow ends it on a touch.
        <SendButton send={send} event={{ type: 'TOUCH' }} look="primary">
          {tr.t('common.finish')}
        </SendButton>
      }
    >
      <ReceiptCode code={snap.receiptCode} label={tr.t('receipt.codeLabel')} />
      <p>{tr.t('printOwed.keepCode')}</p>
    </EndLayout>
  );
}

export function StillThereScreen({ tr, send }: ScreenProps) {
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
    />
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
      actions={<OkButton tr={tr} send={send} />}
    >
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
      title={tr.t('outOfService.title')}
      lead={tr.t('outOfService.body')}
    >
      {reason && <StaffCode>{tr.t('unavailable.reason', { reason })}</StaffCode>}
    </EndLayout>
  );
}
