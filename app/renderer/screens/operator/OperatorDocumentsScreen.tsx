// Documents: every document the booth can make, each offered to customers or not (from the next
// customer on). The last one offered cannot be withdrawn: a booth must sell something.
import type { ScreenProps } from '../types.ts';
import { OperatorLayout } from './OperatorLayout.tsx';

export function OperatorDocumentsScreen(props: ScreenProps) {
  const { snap, tr, send } = props;
  const documents = snap.operator?.documents ?? [];
  const offered = documents.filter((d) => d.enabled).length;
  return (
    <OperatorLayout {...props} title={tr.t('operatorDocuments.title')}>
      <p className="muted">{tr.t('operator.documents.note')}</p>
      <div className="grid-buttons operator-documents">
        {documents.map((d) => (
          <button
            key={d.id}
            type="button"
            aria-pressed={d.enabled}
            disabled={d.enabled && offered === 1}
            onClick={() => send({ type: 'OPERATOR_SET_DOCUMENT', documentId: d.id, enabled: !d.enabled })}
          >
            {tr.has(`document.${d.id}`) ? tr.t(`document.${d.id}`) : d.id}
          </button>
        ))}
      </div>
    </OperatorLayout>
  );
}
