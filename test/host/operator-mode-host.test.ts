// Operator mode on a real booth host (its data dir, journal, config file, simulated devices),
// driven through the screen's bridge as the touch screen drives it.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dataPaths } from '../../config/data-dir.ts';
import { ConfigStore } from '../../config/store.ts';
import { BoothHost } from '../../app/host/booth-host.ts';
import { configuredDevices } from '../../app/host/device-set.ts';
import { silentLogger } from '../../app/logging/logger.ts';
import type { SimulatedReceiptPrinter } from '../../hardware/receipt/simulated-receipt-printer.ts';
import type { SimulatedPhotoPrinter } from '../../hardware/printer/simulated-photo-printer.ts';
import type { SimulatedPaymentDevice } from '../../hardware/payment/simulated-payment-device.ts';
import { until } from '../shell/booth-fixture.ts';
import { SimClock } from '../../core/sim-clock.ts';
import { freePort } from '../services/outbox/smtp-test-server.ts';
import type { Clock } from '../../core/clock.ts';
import { walkUpAndPay } from '../support/walk-up.ts';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function unitDir(printer?: (dir: string) => object, operator?: object): string {
  const dir = mkdtempSync(join(tmpdir(), 'operator-host-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(
    dataPaths(dir).config,
    JSON.stringify({
      environment: { enabled: false },
      timeouts: { countdownMs: 50, healthRecheckMs: 500 },
      products: [{ id: 'photos-2', prints: 1, photosPerSheet: 2, price: 200 }],
      documents: ['schengen-visa'],
      hardware: {
        camera: { adapter: 'simulated', portrait: 1 },
        // One print's worth of paper: the first customer empties it.
        photoPrinter: printer?.(dir) ?? { adapter: 'simulated', capacity: 1 },
      },
      ...(operator ? { operator } : {}),
    }),
  );
  return dir;
}

async function openHost(dir: string, clock?: Clock): Promise<BoothHost> {
  const store = new ConfigStore({ file: dataPaths(dir).config });
  const config = store.load();
  const host = await BoothHost.open(
    {
      dataDir: dir,
      ...(clock ? { clock } : {}),
      logger: silentLogger(),
      holder: 'test',
      vision: 'none',
      configStore: store,
      devices: ({ clock, journal, mediaCounter }) =>
        configuredDevices(clock, { seed: 3, counters: journal, mediaCounter }),
    },
    config,
  );
  await host.start(config);
  return host;
}

const send = (host: BoothHost, event: unknown) => host.ui.handle(event);
const screen = (host: BoothHost) => host.ui.latest?.screen;

describe('operator mode on the booth', () => {
  it('takings match the journal, the cash box is emptied into a Z-report, paper loaded reopens the booth', async () => {
    const dir = unitDir();
    let host = await openHost(dir);
    cleanups.push(() => host.close());
    // A customer pays 2 € and takes the photo: the printer's one print is used.
    await walkUpAndPay(host.booth, { documentId: 'schengen-visa', productId: 'photos-2', coin: 200 });
    host.booth.send({ type: 'CAPTURE_NOW' });
    await until(() => screen(host) === 'review', 30_000, 'review');
    host.booth.send({ type: 'ACCEPT_PHOTO' });
    await until(() => screen(host) === 'thankYou', 30_000, 'thank you');
    host.booth.send({ type: 'FINISH' });
    await until(() => screen(host) === 'outOfService', 10_000, 'out of paper');

    // Customer events are refused in operator mode, operator events outside it.
    expect(send(host, { type: 'OPERATOR_PIN', pin: '0000' })).toBe(false);
    expect(send(host, { type: 'OPERATOR_ENTER' })).toBe(true);
    await until(() => screen(host) === 'operatorPin', 5_000, 'pin pad');
    expect(host.ui.latest?.operator).toMatchObject({ role: null, maintenance: false });
    expect(send(host, { type: 'TOUCH' })).toBe(false);
    expect(send(host, { type: 'OPERATOR_PIN', pin: 'abcd' })).toBe(false);

    // The demo PIN opens on simulated hardware without a forced change.
    send(host, { type: 'OPERATOR_PIN', pin: '0000' });
    await until(() => screen(host) === 'operatorMenu', 5_000, 'menu');
    send(host, { type: 'OPERATOR_OPEN', page: 'takings' });
    await until(() => screen(host) === 'operatorTakings', 5_000, 'takings');
    const takings = host.ui.latest!.operator!.takings!;
    expect(takings.coins).toEqual([{ value: 200, count: 1 }]);
    expect(takings.cashIn).toBe(host.journal.totals().inserted);
    expect(takings.sales).toMatchObject({ delivered: 1, revenue: 200 });

    send(host, { type: 'OPERATOR_EMPTY_CASH', counted: 150 });
    await until(() => screen(host) === 'operatorZReport', 5_000, 'Z-report');
    expect(host.ui.latest!.operator!.zReport).toMatchObject({
      period: 1,
      expectedInBox: 200,
      counted: 150,
      difference: -50,
      printed: true,
    });
    const slips = (host.booth.devices.receiptPrinter as SimulatedReceiptPrinter).cashReports;
    expect(slips.at(-1)).toMatchObject({ periodNumber: 1, counted: 150, difference: -50 });

    send(host, { type: 'OPERATOR_BACK' });
    send(host, { type: 'OPERATOR_OPEN', page: 'paper' });
    await until(() => screen(host) === 'operatorPaper', 5_000, 'paper');
    expect(host.ui.latest!.operator!.paper).toMatchObject({ remaining: 0, status: 'media-empty' });
    send(host, { type: 'OPERATOR_MEDIA_LOADED', prints: 50 });
    await until(() => host.ui.latest?.operator?.paper?.remaining === 50, 5_000, 'media loaded');
    expect(host.ui.latest!.operator!.paper!.status).toBe('ok');
    send(host, { type: 'OPERATOR_EXIT' });
    await until(() => host.booth.view().waitingForCustomer, 10_000, 'back in service');

    // A new period began: nothing taken since the emptying. It survives a restart.
    await host.close();
    host = await openHost(dir);
    send(host, { type: 'OPERATOR_ENTER' });
    send(host, { type: 'OPERATOR_PIN', pin: '0000' });
    await until(() => screen(host) === 'operatorMenu', 5_000, 'menu after restart');
    send(host, { type: 'OPERATOR_OPEN', page: 'takings' });
    await until(() => screen(host) === 'operatorTakings', 5_000, 'takings after restart');
    expect(host.ui.latest!.operator!.takings).toMatchObject({ cashIn: 0, coins: [] });
  }, 120_000);

  it('five wrong PINs lock the pad, still locked after a restart', async () => {
    const dir = unitDir();
    let host = await openHost(dir);
    cleanups.push(() => host.close());
    await until(() => host.booth.view().waitingForCustomer, 10_000, 'attract');
    send(host, { type: 'OPERATOR_ENTER' });
    await until(() => screen(host) === 'operatorPin', 5_000, 'pin pad');
    for (let i = 1; i <= 5; i++) {
      send(host, { type: 'OPERATOR_PIN', pin: '9999' });
      await until(() => host.ui.latest?.operator?.refusal?.attemptsLeft === 5 - i, 5_000, `wrong PIN ${i}`);
    }
    expect(host.ui.latest!.operator!.refusal!.lockedUntil).toBeGreaterThan(Date.now());

    await host.close();
    host = await openHost(dir);
    send(host, { type: 'OPERATOR_ENTER' });
    await until(() => screen(host) === 'operatorPin', 5_000, 'pin pad after restart');
    // Even the right PIN is refused while the pad is locked.
    send(host, { type: 'OPERATOR_PIN', pin: '0000' });
    await until(() => host.ui.latest?.operator?.refusal != null, 5_000, 'refused while locked');
    expect(screen(host)).toBe('operatorPin');
    expect(host.ui.latest!.operator!.refusal!.lockedUntil).toBeGreaterThan(Date.now());
    send(host, { type: 'OPERATOR_EXIT' });
    await until(() => host.booth.view().waitingForCustomer, 10_000, 'back to attract');
  }, 60_000);

  it('out of service for maintenance: customers see it, device health does not reopen it, a restart keeps it', async () => {
    const dir = unitDir();
    let host = await openHost(dir);
    cleanups.push(() => host.close());
    await until(() => host.booth.view().waitingForCustomer, 10_000, 'attract');
    send(host, { type: 'OPERATOR_ENTER' });
    send(host, { type: 'OPERATOR_PIN', pin: '0000' });
    await until(() => screen(host) === 'operatorMenu', 5_000, 'menu');
    send(host, { type: 'OPERATOR_OPEN', page: 'service' });
    await until(() => screen(host) === 'operatorService', 5_000, 'service page');
    send(host, { type: 'OPERATOR_OUT_OF_SERVICE' });
    await until(() => host.ui.latest?.operator?.maintenance === true, 5_000, 'maintenance on');
    send(host, { type: 'OPERATOR_EXIT' });
    await until(() => screen(host) === 'outOfService', 5_000, 'closed');
    expect(host.ui.latest!.outOfServiceReason).toBe('operator:maintenance');
    // A customer's touch does nothing; the recheck finds every device fine and still stays closed.
    expect(send(host, { type: 'TOUCH' })).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, host.config.timeouts.healthRecheckMs + 500));
    expect(screen(host)).toBe('outOfService');

    await host.close();
    host = await openHost(dir);
    await until(() => screen(host) === 'outOfService', 5_000, 'closed after restart');
    expect(host.ui.latest!.outOfServiceReason).toBe('operator:maintenance');
    send(host, { type: 'OPERATOR_ENTER' });
    send(host, { type: 'OPERATOR_PIN', pin: '0000' });
    await until(() => screen(host) === 'operatorMenu', 5_000, 'menu');
    send(host, { type: 'OPERATOR_OPEN', page: 'service' });
    await until(() => screen(host) === 'operatorService', 5_000, 'service page');
    send(host, { type: 'OPERATOR_IN_SERVICE' });
    await until(() => host.ui.latest?.operator?.maintenance === false, 5_000, 'maintenance off');
    send(host, { type: 'OPERATOR_EXIT' });
    await until(() => host.booth.view().waitingForCustomer, 10_000, 'open again');
  }, 60_000);

  it('a printer that cannot count: media loaded on the screen is counted by the booth, across a restart', async () => {
    const dir = unitDir((d) => {
      mkdirSync(join(d, 'prints'));
      return { adapter: 'folder', path: join(d, 'prints'), loadedPrints: 0 };
    });
    let host = await openHost(dir);
    cleanups.push(() => host.close());
    await until(() => screen(host) === 'outOfService', 10_000, 'out of paper');
    send(host, { type: 'OPERATOR_ENTER' });
    send(host, { type: 'OPERATOR_PIN', pin: '0000' });
    // A folder printer is real hardware: the demo PIN opens the pad once, for a PIN of the unit's own.
    await until(() => screen(host) === 'operatorNewPin', 5_000, 'new PIN asked');
    send(host, { type: 'OPERATOR_NEW_PIN', pin: '246810' });
    await until(() => screen(host) === 'operatorMenu', 5_000, 'menu');
    expect(new ConfigStore({ file: dataPaths(dir).config }).load().operator.pins.technician).toMatch(
      /^scrypt\$/,
    );
    send(host, { type: 'OPERATOR_OPEN', page: 'paper' });
    await until(() => screen(host) === 'operatorPaper', 5_000, 'paper');
    expect(host.ui.latest!.operator!.paper).toMatchObject({ remaining: 0, status: 'media-empty' });
    send(host, { type: 'OPERATOR_MEDIA_LOADED', prints: 30 });
    await until(() => host.ui.latest?.operator?.paper?.remaining === 30, 5_000, 'media loaded');
    expect(host.ui.latest!.operator!.paper).toMatchObject({ counted: true, status: 'ok' });
    send(host, { type: 'OPERATOR_EXIT' });
    await until(() => host.booth.view().waitingForCustomer, 10_000, 'back in service');

    // No config edit, no reload: the count is the booth's, and a restart keeps it.
    await host.close();
    host = await openHost(dir);
    await until(() => host.booth.view().waitingForCustomer, 10_000, 'in service after restart');
    expect(host.booth.devices.photoPrinter.status().mediaRemaining).toBe(30);
  }, 60_000);

  it("device tests on the booth's own devices: a test print, the camera (nothing kept), a receipt", async () => {
    const dir = unitDir(() => ({ adapter: 'simulated', capacity: 10 }));
    const host = await openHost(dir);
    cleanups.push(() => host.close());
    await until(() => host.booth.view().waitingForCustomer, 10_000, 'attract');
    const vaultItems = await host.privacy.vault.count();
    send(host, { type: 'OPERATOR_ENTER' });
    send(host, { type: 'OPERATOR_PIN', pin: '0000' });
    await until(() => screen(host) === 'operatorMenu', 5_000, 'menu');
    send(host, { type: 'OPERATOR_OPEN', page: 'tests' });
    for (const test of ['print', 'camera', 'receipt'] as const) {
      send(host, { type: 'OPERATOR_RUN_TEST', test });
      await until(() => host.ui.latest?.operator?.tests[test], 20_000, `${test} test`);
    }
    const tests = host.ui.latest!.operator!.tests;
    expect(tests.print).toMatchObject({ ok: true, code: null });
    expect(host.booth.devices.photoPrinter.status().mediaRemaining).toBe(9);
    expect(tests.camera).toMatchObject({ ok: true });
    expect(tests.camera!.figures.fps).toBeGreaterThan(0);
    expect(tests.camera!.figures.width).toBeGreaterThan(0);
    expect(tests.receipt).toMatchObject({ ok: true });
    const receipts = (host.booth.devices.receiptPrinter as SimulatedReceiptPrinter).printed;
    expect(receipts.at(-1)).toMatchObject({ product: 'Test receipt', amountPaid: 0 });
    // The camera test's capture is not kept anywhere.
    expect(await host.privacy.vault.count()).toBe(vaultItems);
  }, 60_000);

  it('payment test: the coin goes to the test bucket (in the cash box, credited to nobody), a note is given back', async () => {
    const dir = unitDir(() => ({ adapter: 'simulated', capacity: 10 }));
    const host = await openHost(dir);
    cleanups.push(() => host.close());
    await until(() => host.booth.view().waitingForCustomer, 10_000, 'attract');
    const payment = host.booth.devices.payment as SimulatedPaymentDevice;
    // Between customers acceptance is off: a coin is refused, not taken.
    expect(payment.insertCoin(200)).toBe('rejected');
    send(host, { type: 'OPERATOR_ENTER' });
    send(host, { type: 'OPERATOR_PIN', pin: '0000' });
    await until(() => screen(host) === 'operatorMenu', 5_000, 'menu');
    send(host, { type: 'OPERATOR_OPEN', page: 'tests' });
    send(host, { type: 'OPERATOR_RUN_TEST', test: 'payment' });
    await until(() => host.ui.latest?.busy === 'payment-test', 5_000, 'insert a coin');
    await until(() => payment.status().accepting, 5_000, 'acceptance on');
    expect(payment.insertCoin(200)).toBe('credited');
    await until(() => host.ui.latest?.operator?.tests.payment, 10_000, 'payment test result');
    expect(host.ui.latest!.operator!.tests.payment).toMatchObject({
      ok: true,
      figures: { coins: 1, amount: 200, notes: 0 },
    });
    expect(payment.status().accepting).toBe(false);
    // Nobody's credit: the next customer starts at 0; the cash book expects the coin in the box.
    expect(host.journal.balance()).toBe(0);
    expect(host.journal.totals().inserted).toBe(0);
    send(host, { type: 'OPERATOR_BACK' });
    send(host, { type: 'OPERATOR_OPEN', page: 'takings' });
    await until(() => screen(host) === 'operatorTakings', 5_000, 'takings');
    expect(host.ui.latest!.operator!.takings).toMatchObject({
      cashIn: 0,
      testCoins: 200,
      expectedInBox: 200,
    });

    // A note is recognised in escrow and given back: nothing journaled.
    send(host, { type: 'OPERATOR_BACK' });
    send(host, { type: 'OPERATOR_OPEN', page: 'tests' });
    send(host, { type: 'OPERATOR_RUN_TEST', test: 'payment' });
    await until(() => payment.status().accepting, 5_000, 'acceptance on');
    expect(payment.insertBill(500)).toBe('escrow');
    await until(() => host.ui.latest?.operator?.tests.payment?.figures.notes === 1, 10_000, 'note test');
    expect(host.ui.latest!.operator!.tests.payment!.figures).toMatchObject({
      coins: 0,
      notes: 1,
      noteAmount: 500,
    });
    expect(host.journal.cashPeriod()).toMatchObject({
      expectedInCashBox: 200,
      testCoins: { count: 1, amount: 200 },
    });
  }, 60_000);

  it('owed prints: a jam after payment owes the print; giving it up hands the price back as a voucher slip', async () => {
    const dir = unitDir(() => ({ adapter: 'simulated', capacity: 10 }));
    const host = await openHost(dir);
    cleanups.push(() => host.close());
    await walkUpAndPay(host.booth, { documentId: 'schengen-visa', productId: 'photos-2', coin: 200 });
    host.booth.send({ type: 'CAPTURE_NOW' });
    await until(() => screen(host) === 'review', 30_000, 'review');
    (host.booth.devices.photoPrinter as SimulatedPhotoPrinter).injectFault('jam');
    host.booth.send({ type: 'ACCEPT_PHOTO' });
    await until(() => screen(host) === 'printOwed', 60_000, 'prints owed');
    host.booth.send({ type: 'FINISH' });
    await until(() => screen(host) === 'outOfService', 10_000, 'out of service: jammed');

    send(host, { type: 'OPERATOR_ENTER' });
    send(host, { type: 'OPERATOR_PIN', pin: '0000' });
    await until(() => screen(host) === 'operatorMenu', 5_000, 'menu');
    send(host, { type: 'OPERATOR_OPEN', page: 'owed' });
    await until(() => screen(host) === 'operatorOwed', 5_000, 'owed page');
    const [row] = host.ui.latest!.operator!.owed!.rows;
    expect(row).toMatchObject({ state: 'owed', price: 200, sheetsLeft: 1 });
    // Still jammed: a retry says why it is still owed.
    send(host, { type: 'OPERATOR_RETRY_OWED', orderId: row!.orderId });
    await until(() => host.ui.latest?.operator?.owed?.outcome, 10_000, 'retry outcome');
    expect(host.ui.latest!.operator!.owed!.outcome).toMatchObject({ kind: 'still-owed' });
    send(host, { type: 'OPERATOR_GIVE_UP_OWED', orderId: row!.orderId, as: 'voucher' });
    await until(() => host.ui.latest?.operator?.owed?.outcome?.kind === 'handed-back', 10_000, 'handed back');
    expect(host.ui.latest!.operator!.owed).toMatchObject({
      rows: [],
      outcome: { kind: 'handed-back', paidOut: 0, voucher: 200, voucherCode: null },
    });
    const slips = (host.booth.devices.receiptPrinter as SimulatedReceiptPrinter).vouchers;
    expect(slips.at(-1)).toMatchObject({ amount: 200 });
    expect(host.journal.owedPrints()).toEqual([]);
    expect(host.journal.totals()).toMatchObject({ inserted: 200, delivered: 0, vouchersOutstanding: 200 });
  }, 120_000);

  it('outside the opening hours the booth is closed and takes no money; the operator can still come in', async () => {
    // Today's only range is six hours from now, one minute long: the booth is closed now.
    const later = new Date(Date.now() + 6 * 60 * 60_000);
    const hhmm = (d: Date) =>
      `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
    const today = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'][new Date().getDay()]!;
    const range = `${hhmm(later)}-${hhmm(new Date(later.getTime() + 60_000))}`;
    const dir = unitDir(undefined, { openingHours: { [today]: [range] } });
    const host = await openHost(dir);
    cleanups.push(() => host.close());
    await until(() => screen(host) === 'outOfService', 10_000, 'closed');
    expect(host.ui.latest!.outOfServiceReason).toBe('hours:closed');
    expect(host.booth.devices.payment.status().accepting).toBe(false);
    send(host, { type: 'OPERATOR_ENTER' });
    await until(() => screen(host) === 'operatorPin', 5_000, 'pin pad while closed');
  }, 30_000);

  it('documents offered: one more for the next customer; the last one offered cannot be withdrawn', async () => {
    const dir = unitDir(() => ({ adapter: 'simulated', capacity: 10 }));
    const host = await openHost(dir);
    cleanups.push(() => host.close());
    await until(() => host.booth.view().waitingForCustomer, 10_000, 'attract');
    send(host, { type: 'OPERATOR_ENTER' });
    send(host, { type: 'OPERATOR_PIN', pin: '0000' });
    await until(() => screen(host) === 'operatorMenu', 5_000, 'menu');
    send(host, { type: 'OPERATOR_OPEN', page: 'documents' });
    await until(() => screen(host) === 'operatorDocuments', 5_000, 'documents page');
    const offered = () => host.ui.latest!.operator!.documents!.filter((d) => d.enabled).map((d) => d.id);
    expect(offered()).toEqual(['schengen-visa']);
    // The only one offered: the config's schema refuses, nothing changes.
    send(host, { type: 'OPERATOR_SET_DOCUMENT', documentId: 'schengen-visa', enabled: false });
    await until(() => host.ui.latest?.operator?.error, 5_000, 'refused');
    expect(host.ui.latest!.operator!.error).toBe('config-invalid');
    send(host, { type: 'OPERATOR_SET_DOCUMENT', documentId: 'eu-passport', enabled: true });
    await until(() => offered().length === 2, 5_000, 'offered');
    expect(offered()).toEqual(expect.arrayContaining(['schengen-visa', 'eu-passport']));
    send(host, { type: 'OPERATOR_EXIT' });
    await until(
      () => host.booth.view().waitingForCustomer && host.config.documents.length === 2,
      10_000,
      'applied',
    );
    expect(host.ui.latest!.documents).toEqual(['schengen-visa', 'eu-passport']);
  }, 30_000);

  it('products: one withdrawn from sale is gone for the next customer, its price kept; the last one offered stays', async () => {
    const dir = unitDir(() => ({ adapter: 'simulated', capacity: 10 }));
    const store = new ConfigStore({ file: dataPaths(dir).config });
    store.update((draft) => {
      draft.products = [
        { id: 'photos-2', prints: 1, photosPerSheet: 2, price: 200 },
        { id: 'photos-4', prints: 1, photosPerSheet: 4, price: 400 },
      ];
    });
    const host = await openHost(dir);
    cleanups.push(() => host.close());
    await until(() => host.booth.view().waitingForCustomer, 10_000, 'attract');
    expect(host.ui.latest!.products.map((p) => p.id)).toEqual(['photos-2', 'photos-4']);
    send(host, { type: 'OPERATOR_ENTER' });
    send(host, { type: 'OPERATOR_PIN', pin: '0000' });
    await until(() => screen(host) === 'operatorMenu', 5_000, 'menu');
    send(host, { type: 'OPERATOR_OPEN', page: 'prices' });
    await until(() => screen(host) === 'operatorPrices', 5_000, 'prices page');
    const offered = () => host.ui.latest!.operator!.prices!.filter((p) => p.offered).map((p) => p.id);
    send(host, { type: 'OPERATOR_SET_PRODUCT', productId: 'photos-4', enabled: false });
    await until(() => offered().length === 1, 5_000, 'withdrawn');
    // The last one on sale: the config's schema refuses, nothing changes.
    send(host, { type: 'OPERATOR_SET_PRODUCT', productId: 'photos-2', enabled: false });
    await until(() => host.ui.latest?.operator?.error, 5_000, 'refused');
    expect(host.ui.latest!.operator!.error).toBe('config-invalid');
    expect(offered()).toEqual(['photos-2']);
    send(host, { type: 'OPERATOR_EXIT' });
    await until(
      () => host.booth.view().waitingForCustomer && host.ui.latest!.products.length === 1,
      10_000,
      'applied',
    );
    expect(host.ui.latest!.products.map((p) => p.id)).toEqual(['photos-2']);
    // Kept in the file with its price, for when it is offered again; audited.
    expect(new ConfigStore({ file: dataPaths(dir).config }).load().products[1]).toMatchObject({
      id: 'photos-4',
      price: 400,
      offered: false,
    });
    expect(host.operatorAccess!.recentAudit(20).map((a) => a.action)).toContain('product-withdrawn');
  }, 30_000);

  it('restart from the service page: a new flow on devices closed and opened again, back to the customers', async () => {
    const dir = unitDir(() => ({ adapter: 'simulated', capacity: 10 }));
    const host = await openHost(dir);
    cleanups.push(() => host.close());
    await until(() => host.booth.view().waitingForCustomer, 10_000, 'attract');
    const before = host.booth;
    const opens = { ...host.devices.opens };
    send(host, { type: 'OPERATOR_ENTER' });
    send(host, { type: 'OPERATOR_PIN', pin: '0000' });
    await until(() => screen(host) === 'operatorMenu', 5_000, 'menu');
    send(host, { type: 'OPERATOR_OPEN', page: 'service' });
    await until(() => screen(host) === 'operatorService', 5_000, 'service page');
    expect(send(host, { type: 'OPERATOR_RESTART' })).toBe(true);
    let after: typeof before | null = null;
    host.onBooth((booth) => (after = booth));
    await until(() => after !== before && after?.view().waitingForCustomer, 20_000, 'restarted');
    expect(host.devices.opens.camera).toBe(opens.camera + 1);
    expect(host.devices.opens.payment).toBe(opens.payment + 1);
    expect(host.devices.opens.photoPrinter).toBe(opens.photoPrinter + 1);
    expect(host.booth.devices.camera.status().ready).toBe(true);
    expect(host.operatorAccess!.recentAudit(20).map((a) => a.action)).toContain('booth-restart');
  }, 30_000);

  it("end of service from the technician's service page: the notice, then closed for good and the vault destroyed", async () => {
    const dir = unitDir(() => ({ adapter: 'simulated', capacity: 10 }));
    const store = new ConfigStore({ file: dataPaths(dir).config });
    store.update((draft) => {
      draft.endOfService = { noticeDays: 1 };
    });
    const clock = new SimClock(Date.UTC(2026, 11, 4, 9, 0, 0));
    const host = await openHost(dir, clock);
    cleanups.push(() => host.close());
    await until(() => host.booth.view().waitingForCustomer, 10_000, 'attract');
    send(host, { type: 'OPERATOR_ENTER' });
    // The demo PIN opens the technician's role: the one that may end the service.
    send(host, { type: 'OPERATOR_PIN', pin: '0000' });
    await until(() => screen(host) === 'operatorMenu', 5_000, 'menu');
    send(host, { type: 'OPERATOR_OPEN', page: 'service' });
    await until(() => screen(host) === 'operatorService', 5_000, 'service page');
    expect(host.ui.latest!.operator!.service).toMatchObject({ endOfService: null, noticeDays: 1 });
    send(host, { type: 'OPERATOR_DECOMMISSION' });
    await until(() => host.ui.latest?.operator?.service?.endOfService, 5_000, 'begun');
    expect(host.ui.latest!.operator!.service!.endOfService).toEqual({
      phase: 'closing',
      closesAt: clock.now() + 24 * 3_600_000,
    });
    send(host, { type: 'OPERATOR_EXIT' });
    // The notice period: the booth still serves, and every customer screen says when it closes.
    await until(() => host.booth.view().waitingForCustomer, 10_000, 'serving');
    send(host, { type: 'TOUCH' });
    await until(() => screen(host) === 'language', 5_000, 'a customer');
    expect(host.ui.latest!.endOfService).toMatchObject({ phase: 'closing' });
    send(host, { type: 'CANCEL' });
    // Simulated time: the booth's own timers (closing the visit) run as the clock is moved.
    await clock.runUntil(() => host.booth.view().waitingForCustomer, clock.now() + 60_000);
    expect(host.booth.view().waitingForCustomer).toBe(true);
    // The closing date: no more money, the vault destroyed, closed for good.
    await clock.advance(24 * 3_600_000 + 60_000);
    await until(() => host.decommission!.view().phase === 'decommissioned', 20_000, 'decommissioned');
    await clock.runUntil(() => screen(host) === 'outOfService', clock.now() + 60_000);
    expect(screen(host)).toBe('outOfService');
    expect(host.booth.view().outOfServiceReason).toMatch(/^service:(closed|decommissioned)$/);
    expect(host.ui.latest!.endOfService).toMatchObject({ phase: 'decommissioned' });
    expect(host.operatorAccess!.recentAudit(50).map((a) => a.action)).toContain('decommission-begun');
  }, 60_000);

  it('owed emails: one the mail server has not taken is on the owed page without its address; Send again tries it now', async () => {
    const dir = unitDir(() => ({ adapter: 'simulated', capacity: 10 }));
    const down = await freePort();
    const store = new ConfigStore({ file: dataPaths(dir).config });
    store.update((draft) => {
      draft.mail = {
        host: '127.0.0.1',
        port: down,
        user: 'booth',
        password: 'not-used',
        from: 'booth@example.org',
        operatorAddress: 'operator@example.org',
      };
    });
    const host = await openHost(dir);
    cleanups.push(() => host.close());
    await until(() => host.booth.view().waitingForCustomer, 10_000, 'attract');
    await host.outbox!.requestContact({
      address: 'ana@example.org',
      reason: 'money',
      receiptCode: null,
      language: 'en',
    });
    await until(() => (host.outbox!.list()[0]?.attempts ?? 0) >= 1, 10_000, 'a first try');
    send(host, { type: 'OPERATOR_ENTER' });
    send(host, { type: 'OPERATOR_PIN', pin: '0000' });
    await until(() => screen(host) === 'operatorMenu', 5_000, 'menu');
    send(host, { type: 'OPERATOR_OPEN', page: 'owed' });
    await until(() => screen(host) === 'operatorOwed', 5_000, 'owed page');
    const [row] = host.ui.latest!.operator!.owedMail!;
    expect(row).toMatchObject({ kind: 'contact', state: 'waiting' });
    expect(JSON.stringify(host.ui.latest)).not.toContain('ana@example.org');
    send(host, { type: 'OPERATOR_RESEND_MAIL', id: row!.id });
    await until(
      () => (host.ui.latest?.operator?.owedMail?.[0]?.attempts ?? 0) > row!.attempts,
      10_000,
      'tried again',
    );
    expect(host.operatorAccess!.recentAudit(20).map((a) => a.action)).toContain('mail-resent');
  }, 30_000);
});
