// Digits for the operator: the PIN (shown as dots), a counted amount, a number of prints. Large
// keys in a phone layout; the value is the caller's, so each screen shows it its own way.
import type { Translator } from '../../i18n/index.ts';

export function NumberPad({
  value,
  onChange,
  maxLength,
  tr,
  label,
}: {
  value: string;
  onChange: (next: string) => void;
  maxLength: number;
  tr: Translator;
  /** What the digits are for, for screen readers. */
  label: string;
}) {
  const press = (digit: string) => {
    if (value.length < maxLength) onChange(value + digit);
  };
  return (
    <div className="number-pad" role="group" aria-label={label}>
      {['1', '2', '3', '4', '5', '6', '7', '8', '9'].map((d) => (
        <button key={d} type="button" className="key" onClick={() => press(d)}>
          {d}
        </button>
      ))}
      <button
        type="button"
        className="key"
        onClick={() => onChange('')}
        aria-label={tr.t('operator.pad.clear')}
      >
        C
      </button>
      <button type="button" className="key" onClick={() => press('0')}>
        0
      </button>
      <button
        type="button"
        className="key"
        onClick={() => onChange(value.slice(0, -1))}
        aria-label={tr.t('operator.pad.delete')}
      >
        ⌫
      </button>
    </div>
  );
}
