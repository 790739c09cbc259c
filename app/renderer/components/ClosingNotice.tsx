// The booth's end of service, said to everyone who walks up: the date it stops serving, then
// that it has closed. The privacy policy promises that users are told when the service stops.
import type { UiSnapshot } from '../../shell/bridge/kiosk-api.ts';
import type { Translator } from '../i18n/index.ts';

export function ClosingNotice({ snap, tr }: { snap: UiSnapshot; tr: Translator }) {
  const end = snap.endOfService;
  if (!end) return null;
  const date = end.closesAt
    ? new Intl.DateTimeFormat(snap.language, { dateStyle: 'long' }).format(new Date(end.closesAt))
    : '';
  return (
    <p className="closing-notice" role="status">
      {end.phase === 'closing' ? tr.t('endOfService.closing', { date }) : tr.t('endOfService.closed')}
    </p>
  );
}
