import type { CashReportSlip } from '../../hardware/receipt/receipt-printer-port.ts';
import type { CashReport, CashZReport } from './cash-book.ts';

/**
 * What the receipt printer is given for a Z-report (or a reading of the open period): the cash
 * book's figures as amounts, counts and times under the unit's name, and nothing of a customer
 * (the journal's session ids and codes stay in the journal).
 */
export function cashReportSlip(report: CashReport | CashZReport): CashReportSlip {
  const closed = 'number' in report ? report : null;
  return {
    boothName: report.unitName,
    unitId: report.unitId,
    periodNumber: closed?.number ?? null,
    from: report.from === null ? null : new Date(report.from),
    to: new Date(report.to),
    currency: report.currency,
    denominations: report.denominations.map(({ channel, value, count, amount }) => ({
      channel,
      value,
      count,
      amount,
    })),
    moneyIn: report.moneyIn.total,
    expectedInCashBox: report.expectedInCashBox,
    counted: closed?.counted ?? null,
    difference: closed?.difference ?? null,
    figures: [
      { label: 'Vouchers issued', ...report.vouchersIssued },
      { label: 'Vouchers redeemed', ...report.vouchersRedeemed },
      { label: 'Vouchers expired', ...report.vouchersExpired },
      ...(report.testCoins.count > 0 ? [{ label: 'Test coins (not credited)', ...report.testCoins }] : []),
      { label: 'Hopper paid out', amount: report.hopperPaidOut },
      ...(report.payoutsUnsettled > 0
        ? [{ label: 'Payouts not counted', amount: report.payoutsUnsettled }]
        : []),
      { label: 'Credit kept', amount: report.kept },
      { label: 'Sessions', count: report.sessions },
      { label: 'Orders delivered', ...report.orders.delivered },
      { label: 'Orders reversed', ...report.orders.reversed },
      { label: 'Orders owed', ...report.orders.owed },
      { label: 'Credit carried now', amount: report.creditCarried },
      { label: 'Prints owed now', count: report.printsOwed.sheets, amount: report.printsOwed.amount },
    ],
    closedBy: closed?.closedBy ?? null,
  };
}
