// The PIN pad behind the hidden entry, and the new PIN the demo one must give way to on real hardware.
import { useEffect, useState } from 'react';
import type { ScreenProps } from '../types.ts';
import { NumberPad } from './NumberPad.tsx';
import { OperatorLayout } from './OperatorLayout.tsx';

/** Seconds until `until` (epoch ms), ticking once a second while it is in the future. */
function useSecondsUntil(until: number | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (until === null || until <= now) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [until, now]);
  return until === null ? 0 : Math.max(0, Math.ceil((until - now) / 1000));
}

export function OperatorPinScreen(props: ScreenProps) {
  const { snap, tr, send } = props;
  const [pin, setPin] = useState('');
  const refusal = snap.operator?.refusal ?? null;
  const lockedFor = useSecondsUntil(refusal?.lockedUntil ?? null);
  // A refused PIN clears the pad for the next try.
  useEffect(() => setPin(''), [refusal]);
  const status =
    lockedFor > 0
      ? tr.t('operator.pin.locked', {
          time: `${Math.floor(lockedFor / 60)}:${String(lockedFor % 60).padStart(2, '0')}`,
        })
      : refusal
        ? tr.t('operator.pin.wrong', { left: refusal.attemptsLeft })
        : '';
  // The shared frame (banner, the error of a failed check, Leave); no Back: there is no menu yet.
  return (
    <OperatorLayout
      {...props}
      title={tr.t('operatorPin.title')}
      back={false}
      actions={
        <button
          type="button"
          className="primary"
          disabled={pin.length < 4 || lockedFor > 0}
          onClick={() => send({ type: 'OPERATOR_PIN', pin })}
        >
          {tr.t('operator.pin.enter')}
        </button>
      }
    >
      <p className="pin-dots" aria-label={tr.t('operator.pin.typed', { count: pin.length })}>
        {'●'.repeat(pin.length) || '\u00a0'}
      </p>
      <p className="voucher-status" role="status" aria-live="polite">
        {status}
      </p>
      <NumberPad value={pin} onChange={setPin} maxLength={12} tr={tr} label={tr.t('operatorPin.title')} />
    </OperatorLayout>
  );
}

export function OperatorNewPinScreen(props: ScreenProps) {
  const { tr, send } = props;
  const [first, setFirst] = useState<string | null>(null);
  const [pin, setPin] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const next = () => {
    if (first === null) {
      setFirst(pin);
      setPin('');
      setMismatch(false);
    } else if (first === pin) send({ type: 'OPERATOR_NEW_PIN', pin });
    else {
      setFirst(null);
      setPin('');
      setMismatch(true);
    }
  };
  return (
    <OperatorLayout
      {...props}
      title={tr.t('operatorNewPin.title')}
      back={false}
      actions={
        <>
          <button
            type="button"
            className="primary"
            disabled={pin.length < 4 || pin === '0000'}
            onClick={next}
          >
            {tr.t(first === null ? 'operator.pin.next' : 'operator.newPin.save')}
          </button>
        </>
      }
    >
      <p className="lead">{tr.t(first === null ? 'operator.newPin.lead' : 'operator.newPin.again')}</p>
      <p className="pin-dots">{'●'.repeat(pin.length) || '\u00a0'}</p>
      <p className="voucher-status" role="status" aria-live="polite">
        {mismatch ? tr.t('operator.newPin.mismatch') : ''}
      </p>
      <NumberPad value={pin} onChange={setPin} maxLength={12} tr={tr} label={tr.t('operatorNewPin.title')} />
    </OperatorLayout>
  );
}
