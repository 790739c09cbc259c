import { cornerOf } from '../components/CornerSequence.ts';
import { Title } from '../components/Title.tsx';
import type { ScreenProps } from './types.ts';

export function AttractScreen({ tr, send }: ScreenProps) {
  return (
    // Touching anywhere starts; the button is the keyboard's and screen reader's way in.
    // A tap in a corner may be the operator's (or the demo staff panel's) hidden entry, not a customer.
    <div
      className="attract"
      onClick={(e) => {
        if (!(e.detail > 0 && cornerOf(e.clientX, e.clientY) >= 0)) send({ type: 'TOUCH' });
      }}
    >
      <div className="attract-art" aria-hidden="true">
        <div className="attract-ring" />
        <div className="attract-ring attract-ring-2" />
        <svg className="attract-camera" viewBox="0 0 64 64">
          <rect x="6" y="18" width="52" height="36" rx="6" />
          <rect x="22" y="10" width="20" height="10" rx="3" />
          <circle cx="32" cy="36" r="11" className="lens" />
        </svg>
      </div>
      <Title>{tr.t('attract.title')}</Title>
      <p className="lead">{tr.t('attract.subtitle')}</p>
      <button type="button" className="primary huge pulse">
        {tr.t('attract.touchToStart')}
      </button>
    </div>
  );
}
