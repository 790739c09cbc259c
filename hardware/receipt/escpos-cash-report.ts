import type { ThermalPrinter } from 'node-thermal-printer';
import { formatAmount, formatDate } from './escpos-format.ts';
import type { CashReportDenomination, CashReportSlip } from './receipt-printer-port.ts';

const channelTitles: Record<CashReportDenomination['channel'], string> = {
  coin: 'Coins',
  bill: 'Notes',
  other: 'Other',
};

/**
 * A cash report's body, under the slip's head (the booth's name and the time): which report it
 * is, the period, the coins and notes by value, expected against counted, the other figures and
 * who closed it. The printer's text is English, as on the receipts; the staff's screen has it in
 * their language. The caller cuts.
 */
export function composeCashReport(p: ThermalPrinter, r: CashReportSlip, timeZone: string | undefined): void {
  const money = (minor: number) => formatAmount(minor, r.currency);
  p.alignCenter();
  p.bold(true);
  p.setTextDoubleHeight();
  p.println(r.periodNumber === null ? 'CASH READING' : `Z-REPORT No. ${r.periodNumber}`);
  p.setTextNormal();
  p.bold(false);
  if (r.periodNumber === null) p.println('Not closed: the cash box was not emptied');
  p.alignLeft();
  p.leftRight('Unit', r.unitId);
  p.leftRight('From', r.from ? formatDate(r.from, timeZone) : '-');
  p.leftRight('To', formatDate(r.to, timeZone));
  p.drawLine();
  for (const channel of ['coin', 'bill', 'other'] as const) {
    const rows = r.denominations.filter((d) => d.channel === channel);
    if (rows.length === 0) continue;
    p.println(channelTitles[channel]);
    for (const d of rows) p.leftRight(`  ${d.count} x ${money(d.value)}`, money(d.amount));
  }
  p.bold(true);
  p.leftRight('Money in', money(r.moneyIn));
  p.bold(false);
  p.drawLine();
  p.leftRight('Expected in cash box', money(r.expectedInCashBox));
  if (r.counted !== null) p.leftRight('Counted', money(r.counted));
  if (r.difference !== null) {
    p.bold(true);
    p.leftRight('Difference', money(r.difference));
    p.bold(false);
  }
  if (r.figures.length > 0) p.drawLine();
  for (const f of r.figures) {
    const count = f.count === undefined ? '' : String(f.count);
    const amount = f.amount === undefined ? '' : money(f.amount);
    p.leftRight(f.label, [count, amount].filter(Boolean).join('  '));
  }
  if (r.closedBy) {
    p.drawLine();
    p.leftRight('Closed by', r.closedBy);
  }
  p.newLine();
}
