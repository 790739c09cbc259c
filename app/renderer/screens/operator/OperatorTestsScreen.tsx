// Tests: a test print (the calibration sheet), the camera (live view and a capture that is not
// kept), a test receipt, a payment test (one coin to the test bucket, never credited). Each shows whether it passed, the fault's code when not, and its figures.
import type { UiSnapshot } from '../../../shell/bridge/kiosk-api.ts';
import type { ScreenProps } from '../types.ts';
import { OperatorLayout } from './OperatorLayout.tsx';

type Test = keyof NonNullable<UiSnapshot['operator']>['tests'];
const tests: readonly Test[] = ['print', 'camera', 'receipt', 'payment'];

type Result = NonNullable<NonNullable<UiSnapshot['operator']>['tests'][Test]>;

/** What a passed test says; the payment test's figures are money, shown in the currency. */
function passed(test: Test, r: Result, tr: ScreenProps['tr']): string {
  if (test !== 'payment') return tr.t(`operator.test.${test}.ok`, r.figures);
  const f = r.figures;
  return tr.t('operator.test.payment.ok', {
    coins: f.coins ?? 0,
    amount: tr.money(f.amount ?? 0),
    notes: f.notes ?? 0,
    noteAmount: tr.money(f.noteAmount ?? 0),
  });
}

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
                    ? passed(test, r, tr)
                    : r.code === 'nothing-inserted'
                      ? tr.t('operator.test.payment.none')
                      : tr.t('operator.test.failed', { code: r.code ?? 'error' })}
              </p>
            </div>
          );
        })}
      </div>
    </OperatorLayout>
  );
}
