// The end of a session: thank-you, photos owed, still there, errors, unavailable, out of service.
import { Title } from '../components/Title.tsx';
import type { ScreenProps } from './types.ts';

function ReceiptCode({ code, label }: { code: string | null; label: string }) {
  if (!code) return null;
  return (
    <div className="receipt">
      <p className="receipt-label">{label}</p>
      <p className="receipt-code" translate="no">
        {code}
      </p>
    </div>
  );
}

export function ThankYouScreen({ snap, tr, send }: ScreenProps) {
  return (
    <div className="center">
      <Title>{tr.t('thankYou.title')}</Title>
      <p className="lead">{tr.t('thankYou.body')}</p>
      <ReceiptCode code={snap.receiptCode} label={tr.t('receipt.codeLabel')} />
      <p>{tr.t('thankYou.howTo', { days: snap.retentionDays })}</p>
      <div className="actions">
        <button type="button" className="primary" onClick={() => send({ type: 'FINISH' })}>
          {tr.t('common.finish')}
        </button>
      </div>
    </div>
  );
}

export function PrintOwedScreen({ snap, tr, send }: ScreenProps) {
  return (
    <div className="center">
      <Title>{tr.t('printOwed.title')}</Title>
      <p className="lead">{tr.t('printOwed.body')}</p>
      <ReceiptCode code={snap.receiptCode} label={tr.t('receipt.codeLabel')} />
      <p>{tr.t('printOwed.keepCode')}</p>
      <div className="actions">
        {/* An error state: the flow ends it on a touch. */}
        <button type="button" className="primary" onClick={() => send({ type: 'TOUCH' })}>
          {tr.t('common.finish')}
        </button>
      </div>
    </div>
  );
}

export function StillThereScreen({ tr, send }: ScreenProps) {
  return (
    <div className="center">
      <Title>{tr.t('stillThere.title')}</Title>
      <p className="lead">{tr.t('stillThere.body')}</p>
      <div className="actions">
        <button type="button" className="secondary" onClick={() => send({ type: 'CANCEL' })}>
          {tr.t('common.cancel')}
        </button>
        <button type="button" className="primary" onClick={() => send({ type: 'STILL_HERE' })}>
          {tr.t('stillThere.here')}
        </button>
      </div>
    </div>
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

export function ErrorScreen({ snap, tr, send }: ScreenProps) {
  return (
    <div className="center">
      <div className="big-icon" aria-hidden="true">
        !
      </div>
      <Title>{tr.t('error.title')}</Title>
      <p className="lead">{tr.t(faultKey(snap.fault?.state))}</p>
      {snap.fault && (
        <p className="staff-code" translate="no">
          {tr.t('error.code', { code: `${snap.fault.state}/${snap.fault.code}` })}
        </p>
      )}
      <div className="actions">
        <button type="button" className="primary" onClick={() => send({ type: 'TOUCH' })}>
          {tr.t('common.ok')}
        </button>
      </div>
    </div>
  );
}

export function UnavailableScreen({ snap, tr, send }: ScreenProps) {
  const reason = snap.outOfServiceReason ?? snap.fault?.code ?? null;
  return (
    <div className="center">
      <Title>{tr.t('unavailable.title')}</Title>
      <p className="lead">{tr.t('unavailable.body')}</p>
      {reason && (
        <p className="staff-code" translate="no">
          {tr.t('unavailable.reason', { reason })}
        </p>
      )}
      <div className="actions">
        <button type="button" className="primary" onClick={() => send({ type: 'TOUCH' })}>
          {tr.t('common.ok')}
        </button>
      </div>
    </div>
  );
}

export function OutOfServiceScreen({ snap, tr }: ScreenProps) {
  return (
    <div className="center">
      <div className="big-icon" aria-hidden="true">
        <svg viewBox="0 0 24 24" width="80" height="80">
          <rect x="5" y="4" width="5" height="16" fill="currentColor" />
          <rect x="14" y="4" width="5" height="16" fill="currentColor" />
        </svg>
      </div>
      <Title>{tr.t('outOfService.title')}</Title>
      <p className="lead">{tr.t('outOfService.body')}</p>
      {snap.outOfServiceReason && (
        <p className="staff-code" translate="no">
          {tr.t('unavailable.reason', { reason: snap.outOfServiceReason })}
        </p>
      )}
    </div>
  );
}
