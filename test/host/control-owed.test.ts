// Owed prints through the running booth's control channel: retried on the booth's own queue, given
// up with the price handed back by its own MoneyBack (a voucher slip, the hopper's coins).
import { afterEach, describe, expect, it } from 'vitest';
import { askBooth } from '../../app/cli/control-client.ts';
import { main } from '../../app/cli/main.ts';
import type { SimulatedPhotoPrinter } from '../../hardware/printer/simulated-photo-printer.ts';
import type { SimulatedReceiptPrinter } from '../../hardware/receipt/simulated-receipt-printer.ts';
import { until } from '../shell/booth-fixture.ts';
import { cleanUp, owedOrder, refused, running, unitDir } from './control-fixture.ts';

afterEach(cleanUp);

describe('owed prints on a running booth', () => {
  it('owed prints: retry prints now on a ready printer; giving up hands the price back as a voucher slip', async () => {
    const dir = unitDir();
    const { host } = await running(dir);
    const printer = host.booth.devices.photoPrinter as SimulatedPhotoPrinter;
    const printable = await owedOrder(host, { sheet: true });
    const before = printer.status().mediaRemaining!;
    const retried = await askBooth(dir, { command: 'owed.retry', args: { order: printable }, pin: '0000' });
    expect(retried).toMatchObject({ delivered: true, sheetsPrinted: 1, stoppedBy: null });
    expect(printer.status().mediaRemaining).toBe(before - 1);
    expect(await askBooth(dir, { command: 'owed.list', args: {} })).toEqual([]);
    expect(
      await refused(askBooth(dir, { command: 'owed.retry', args: { order: printable }, pin: '0000' })),
    ).toMatchObject({ code: 'owed-not-found' });

    // Its sheet is gone: retrying makes the booth's queue give up on it, and the money is still owed.
    const lost = await owedOrder(host, { sheet: false });
    const stuck = await askBooth(dir, { command: 'owed.retry', args: { order: lost }, pin: '0000' });
    expect(stuck).toMatchObject({ delivered: false, stoppedBy: expect.stringMatching(/^sheet-unreadable/) });
    expect(await askBooth(dir, { command: 'owed.list', args: {} })).toMatchObject([
      { orderId: lost, state: 'given-up' },
    ]);
    const receipt = host.booth.devices.receiptPrinter as SimulatedReceiptPrinter;
    const slips = receipt.vouchers.length;
    const back = await askBooth(dir, {
      command: 'owed.give-up',
      args: { order: lost, as: 'voucher' },
      pin: '0000',
    });
    expect(back).toMatchObject({ price: 200, paidOut: 0, voucher: { amount: 200, printed: true } });
    // A printed slip's code is on the slip only, not in the answer.
    expect(JSON.stringify(back)).not.toMatch(/"code"/);
    expect(receipt.vouchers).toHaveLength(slips + 1);
    expect(receipt.vouchers.at(-1)).toMatchObject({ amount: 200 });
    expect(host.journal.totals(0)).toMatchObject({
      vouchersOutstanding: 200,
      balance: 0,
      owed: 0,
      reversed: 200,
    });
    expect(await askBooth(dir, { command: 'owed.list', args: {} })).toEqual([]);
    expect(host.operatorAccess!.recentAudit(5).find((a) => a.action === 'owed-print-given-up')).toMatchObject(
      {
        subject: lost,
        before: 200,
      },
    );
  }, 60_000);

  it('giving up as a refund pays the hopper\u2019s coins, and the rest as a voucher', async () => {
    const dir = unitDir({ hopper: { adapter: 'simulated', coinValue: 100, coins: 50 } });
    const { host } = await running(dir);
    const order = await owedOrder(host, { sheet: true, price: 250 });
    // Keep the booth's queue from printing it first: the printer jams.
    (host.booth.devices.photoPrinter as SimulatedPhotoPrinter).injectFault('jam');
    await until(
      () => host.booth.view().betweenCustomers && !host.booth.view().waitingForCustomer,
      10_000,
      'out of service',
    );
    const back = await askBooth(dir, { command: 'owed.give-up', args: { order, as: 'refund' }, pin: '0000' });
    // Two 1 € coins; the 50 cents the hopper cannot pay come as a voucher.
    expect(back).toMatchObject({ price: 250, paidOut: 200, voucher: { amount: 50, printed: true } });
    expect(host.journal.totals(0)).toMatchObject({
      refunded: 200,
      vouchersOutstanding: 50,
      balance: 0,
      owed: 0,
    });
  }, 60_000);

  it('kiosk owed list and give-up in words: the order and its state, and a voucher code only when no slip printed', async () => {
    const dir = unitDir();
    const { host } = await running(dir);
    const order = await owedOrder(host, { sheet: false });
    // The booth's queue tries it, cannot read its sheet, and leaves it to staff.
    await host.booth.deliverOwedPrintsNow();
    const cli = async (args: string[]) => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await main([...args, '--data-dir', dir], {
        out: (l) => out.push(l),
        err: (l) => err.push(l),
      });
      return { code, out: out.join('\n'), err: err.join('\n') };
    };
    const list = await cli(['owed', 'list']);
    expect(list.code).toBe(0);
    expect(list.out).toMatch(
      new RegExp(`^${order} +\\d{4}-\\d\\d-\\d\\d [\\d:]+Z +1 +0 +sheet-unreadable`, 'm'),
    );
    expect(list.out).toContain('(cannot print: give up with a refund or voucher)');
    expect(list.out).not.toContain('test-');
    expect(JSON.parse((await cli(['owed', 'list', '--json'])).out)).toMatchObject([
      { orderId: order, state: 'given-up' },
    ]);

    // No paper in the receipt printer: the voucher is good all the same, and its code is shown once.
    (host.booth.devices.receiptPrinter as SimulatedReceiptPrinter).injectFault('out-of-paper');
    process.env.KIOSK_PIN = '0000';
    try {
      const given = await cli(['owed', 'give-up', order, '--as', 'voucher']);
      expect(given.code).toBe(0);
      expect(given.out).toContain(`order ${order} given up: €2.00 handed back`);
      const code = /give the customer this code: (\S+) \(valid until/.exec(given.out)?.[1];
      expect(code).toBeDefined();
      expect(host.journal.voucher(code!)).toMatchObject({ amount: 200, state: 'issued' });
    } finally {
      delete process.env.KIOSK_PIN;
    }
    expect((await cli(['owed', 'list'])).out).toBe('no prints owed');
  }, 60_000);

  it('retry prints while the operator has the booth in operator mode (nobody in a session)', async () => {
    const dir = unitDir();
    const { host } = await running(dir);
    host.ui.handle({ type: 'OPERATOR_ENTER' });
    host.ui.handle({ type: 'OPERATOR_PIN', pin: '0000' });
    await until(() => host.ui.latest?.screen === 'operatorMenu', 5_000, 'operator menu');
    const order = await owedOrder(host, { sheet: true });
    const retried = await askBooth(dir, { command: 'owed.retry', args: { order }, pin: '0000' });
    expect(retried).toMatchObject({ delivered: true, sheetsPrinted: 1 });
    expect(host.ui.latest?.screen).toBe('operatorMenu');
  }, 60_000);
});
