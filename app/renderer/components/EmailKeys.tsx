// The on-screen keyboard for an email address: letters, digits, the characters addresses use,
// and whole endings as keys (a customer at a booth types "@gmail.com" once, not ten letters).
// It edits a real <input type="email">, so a physical keyboard and a screen reader work too.
import type { Translator } from '../i18n/index.ts';

const rows = ['1234567890', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm.-_'];
const short = ['@', '.com', '.de', '.fr'];
const domains = ['@gmail.com', '@outlook.com', '@yahoo.com'];
/** RFC 5321's limit for a whole address. */
export const maxAddressLength = 254;

/** The shape the booth sends on: one @, something before it, a dot and a top-level name after. */
export const looksLikeAddress = (text: string) =>
  text.length <= maxAddressLength && /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)*\.[a-z]{2,}$/i.test(text);

export function EmailField({
  value,
  onChange,
  label,
  id,
}: {
  value: string;
  onChange: (next: string) => void;
  label: string;
  id: string;
}) {
  return (
    <div className="email-field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="email"
        // The booth's keys below type it; no system keyboard pops up over them.
        inputMode="none"
        autoComplete="off"
        spellCheck={false}
        autoCapitalize="none"
        dir="ltr"
        maxLength={maxAddressLength}
        value={value}
        onChange={(e) => onChange(e.target.value.replace(/\s/g, '').toLowerCase())}
      />
    </div>
  );
}

export function EmailKeys({
  value,
  onChange,
  tr,
}: {
  value: string;
  onChange: (next: string) => void;
  tr: Translator;
}) {
  const type = (text: string) => {
    // One @ only: an ending key after an @ replaces what followed it.
    const next =
      text.startsWith('@') && value.includes('@') ? value.slice(0, value.indexOf('@')) + text : value + text;
    onChange(next.slice(0, maxAddressLength));
  };
  return (
    <div className="email-keys" dir="ltr">
      {rows.map((row) => (
        <div className="email-row" key={row}>
          {row.split('').map((k) => (
            <button key={k} type="button" className="key" onClick={() => type(k)}>
              {k}
            </button>
          ))}
        </div>
      ))}
      <div className="email-row">
        {short.map((k) => (
          <button key={k} type="button" className="key wide" onClick={() => type(k)}>
            {k}
          </button>
        ))}
        <button
          type="button"
          className="key wide"
          aria-label={tr.t('email.deleteKey')}
          disabled={value.length === 0}
          onClick={() => onChange(value.slice(0, -1))}
        >
          ⌫
        </button>
      </div>
      <div className="email-row">
        {domains.map((k) => (
          <button key={k} type="button" className="key wide" onClick={() => type(k)}>
            {k}
          </button>
        ))}
      </div>
    </div>
  );
}
