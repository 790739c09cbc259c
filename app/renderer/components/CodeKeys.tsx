// The pad for codes the booth prints (voucher and receipt codes, Crockford base 32): no I, L, O
// or U, so nothing on it is ambiguous. Ten characters, shown as XXXXX-XXXXX.

const keys = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'.split('');
export const codeLength = 10;

/** `ABCDE12345` → `ABCDE-12345`, as the slips print it. */
export const shownCode = (typed: string) =>
  typed.length > 5 ? `${typed.slice(0, 5)}-${typed.slice(5)}` : typed;

export function CodeKeys({
  typed,
  onChange,
  deleteLabel,
}: {
  typed: string;
  onChange: (next: string) => void;
  deleteLabel: string;
}) {
  return (
    <div className="voucher-keys">
      {keys.map((k) => (
        <button
          key={k}
          type="button"
          className="key"
          disabled={typed.length >= codeLength}
          onClick={() => onChange(typed.length < codeLength ? typed + k : typed)}
        >
          {k}
        </button>
      ))}
      <button
        type="button"
        className="key wide"
        aria-label={deleteLabel}
        disabled={typed.length === 0}
        onClick={() => onChange(typed.slice(0, -1))}
      >
        ⌫
      </button>
    </div>
  );
}
