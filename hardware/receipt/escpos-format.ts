// How the ESC/POS slips write money and time.

/** `800` EUR → `EUR 8.00`, with the currency's own number of minor digits (JPY 0, KWD 3). */
export function formatAmount(minor: number, currency: string): string {
  let digits = 2;
  try {
    digits =
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ??
      2;
  } catch {
    // not an ISO 4217 code: print it with two decimals rather than lose the receipt
  }
  return `${currency} ${(minor / 10 ** digits).toFixed(digits)}`;
}

/** `2026-01-05 09:30` in `timeZone` (the system's when not given). */
export function formatDate(at: Date, timeZone?: string): string {
  return new Intl.DateTimeFormat('sv-SE', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).format(at);
}
