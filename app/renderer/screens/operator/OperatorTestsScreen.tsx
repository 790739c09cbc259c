// Tests: a test print (the calibration sheet), the camera (live view and a capture that is not
// kept), a test receipt. Each shows whether it passed, the fault's code when not, and its figures.
import type { UiSnapshot } from '../../../shell/bridge/kiosk-api.ts';
import type { ScreenProps } from '../types.ts';
import { OperatorLayout } from './OperatorLayout.tsx';

type Test = keyof NonNullable<UiSnapshot['operator']>['tests'];
const tests: readonly Test[] = ['print', 'camera', 'receipt'];

export function OperatorTestsScreen(props: ScreenProps) {
  const { snap, tr, send } = props;
  const results = snap.operator?.tests ?? {};
  return (
    <OperatorLayout {...props} title={tr.t('operatorTests.title')}>
      <div className="grid-buttons operator-tests">
        {tests.map((test) => {
          const r = results[test];
          return (
            <div key={test} className="operator-test">
              <button
                type="button"
                className="huge"
                onClick={() => send({ type: 'OPERATOR_RUN_TEST', test })}
              >
                {tr.t(`operator.test.${test}`)}
              </button>
              <p role="status" data-testid={`test-${test}`}>
                {!r
                  ? tr.t('operator.test.notRun')
                  : r.ok
                    ? tr.t(`operator.test.${test}.ok`, r.figures)
                    : tr.t('operator.test.failed', { code: r.code ?? 'error' })}
              </p>
            </div>
          );
        })}
      </div>
    </OperatorLayout>
  );
}
