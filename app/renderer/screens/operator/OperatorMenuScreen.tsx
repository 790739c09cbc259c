import type { UiOperatorEvent } from '../../../shell/bridge/kiosk-api.ts';
import type { ScreenProps } from '../types.ts';
import { OperatorLayout } from './OperatorLayout.tsx';

type Page = Extract<UiOperatorEvent, { type: 'OPERATOR_OPEN' }>['page'];
/** The menu's pages in the order an operator needs them most (the bridge's schema lists the same). */
const pages: readonly Page[] = [
  'takings',
  'paper',
  'prices',
  'documents',
  'owed',
  'receipts',
  'counters',
  'tests',
  'service',
];

export function OperatorMenuScreen(props: ScreenProps) {
  const { tr, send } = props;
  return (
    <OperatorLayout {...props} title={tr.t('operatorMenu.title')} back={false}>
      <div className="grid-buttons operator-menu">
        {pages.map((page) => (
          <button
            key={page}
            type="button"
            className="huge"
            onClick={() => send({ type: 'OPERATOR_OPEN', page })}
          >
            {tr.t(`operator.page.${page}`)}
          </button>
        ))}
      </div>
    </OperatorLayout>
  );
}
