// The running booth's control channel: a real BoothHost on simulated devices and its unit's data
// directory, a real Unix socket, and the CLI's own client (askBooth) talking to it.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { dataPaths } from '../../config/data-dir.ts';
import { askBooth } from '../../app/cli/control-client.ts';
import { controlCommandsFor } from '../../app/host/control/control-commands.ts';
import { ConfigStore } from '../../config/store.ts';
import { silentLogger } from '../../app/logging/logger.ts';
import type { SimulatedPaymentDevice } from '../../hardware/payment/simulated-payment-device.ts';
import type { SimulatedReceiptPrinter } from '../../hardware/receipt/simulated-receipt-printer.ts';
import { until } from '../shell/booth-fixture.ts';
import {
  capturingLogger,
  cleanUp,
  owedOrder,
  rawExchange,
  refused,
  running,
  unitDir,
} from './control-fixture.ts';

afterEach(cleanUp);

describe('the control channel of a running booth', () => {
  it('serves an owner-only socket; status and the cash report need no PIN and say nothing personal', async () => {
    const dir = unitDir();
    const { host } = await running(dir);
    const path = dataPaths(dir).controlSocket;
    expect(statSync(path).isSocket()).toBe(true);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    await owedOrder(host, { sheet: true });

    const status = (await askBooth(dir, { command: 'status', args: {} })) as Record<string, unknown>;
    expect(status).toMatchObject({
      state: 'attract.idle',
      screen: 'attract',
      outOfServiceReason: null,
      maintenance: false,
      printsLeft: host.booth.devices.photoPrinter.status().mediaRemaining,
      currency: 'EUR',
      takings: { cashIn: 200 },
      owed: { orders: 1, sheets: 1 },
    });
    expect((status.devices as { device: string }[]).map((d) => d.device)).toEqual([
      'camera',
      'payment',
      'photo-printer',
      'receipt-printer',
    ]);
    const cash = (await askBooth(dir, { command: 'cash.report', args: {} })) as Record<string, unknown>;
    expect(cash).toMatchObject({ expectedInCashBox: 200, moneyIn: { coin: 200, total: 200 } });
    // The owed row names the order, never the session (nor its receipt code).
    const owed = (await askBooth(dir, { command: 'owed.list', args: {} })) as Record<string, unknown>[];
    expect(owed).toHaveLength(1);
    expect(Object.keys(owed[0]!).sort()).toEqual(
      ['attempts', 'lastError', 'orderId', 'price', 'sheetsLeft', 'since', 'state'].sort(),
    );
    expect(JSON.stringify(owed)).not.toMatch(/test-/);
  }, 60_000);

  it('answers garbage, unknown commands, bad arguments and an oversized line with an error, and keeps running', async () => {
    const dir = unitDir();
    const { host } = await running(dir);
    const path = dataPaths(dir).controlSocket;
    const answers = await rawExchange(
      path,
      [
        'this is not json',
        JSON.stringify({ id: 2, command: 'launch-rockets', args: {} }),
        JSON.stringify({ id: 3, command: 'cash.empty', args: { counted: -5 }, pin: '0000' }),
        JSON.stringify({ id: 4, command: 'status', args: {}, extra: true }),
        JSON.stringify({ id: 5, command: 'status' }),
      ].join('\n') + '\n',
      5,
    );
    const parsed = answers.map(
      (a) => JSON.parse(a) as { id: unknown; ok: boolean; error?: { code: string; message: string } },
    );
    expect(parsed.map((p) => [p.id, p.ok, p.error?.code])).toEqual([
      [null, false, 'request-invalid'],
      [2, false, 'request-invalid'],
      [3, false, 'request-invalid'],
      [4, false, 'request-invalid'],
      [5, true, undefined],
    ]);
    expect(parsed[1]!.error!.message).toContain('unknown command "launch-rockets"');
    expect(parsed[2]!.error!.message).toContain('counted');
    // Refused before any PIN was tried: the bad request cost the pad nothing.
    expect(host.operatorAccess!.padState().attemptsLeft).toBe(5);

    const flood = await rawExchange(path, 'x'.repeat(70 * 1024), 1);
    expect(JSON.parse(flood[0]!)).toMatchObject({ ok: false, error: { code: 'request-too-long' } });
    expect(await askBooth(dir, { command: 'status', args: {} })).toMatchObject({ state: 'attract.idle' });
  }, 60_000);

  it('refuses a money command without a PIN and with a wrong one; wrong PINs lock the same pad as the screen', async () => {
    const dir = unitDir();
    const log = capturingLogger();
    const { host } = await running(dir, log.logger);
    const empty = (pin?: string) =>
      askBooth(dir, { command: 'cash.empty', args: { counted: 0 }, ...(pin === undefined ? {} : { pin }) });
    expect(await refused(empty())).toMatchObject({ code: 'pin-required' });
    for (let left = 4; left >= 1; left--)
      expect(await refused(empty('9999'))).toEqual({
        code: 'pin-refused',
        message: `wrong PIN (${left} tries left before the pad locks)`,
      });
    const locked = await refused(empty('9999'));
    expect(locked.message).toMatch(/locked after wrong PINs until/);
    // Locked now: even the right (demo) PIN is refused, as on the screen, and nothing was closed.
    expect((await refused(empty('0000'))).message).toMatch(/locked/);
    expect(host.operatorAccess!.padState().lockedUntil).toBeGreaterThan(Date.now());
    expect(host.journal.zReports(5)).toEqual([]);
    const attempts = host.operatorAccess!.recentAudit(20).filter((a) => a.action === 'pin-entry');
    // The log says what was refused, and never holds a PIN.
    const refusals = log.lines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((e) => e.msg === 'control: request refused');
    expect(refusals.map((e) => [e.command, e.code])).toEqual([
      ['cash.empty', 'pin-required'],
      ...Array.from({ length: 6 }, () => ['cash.empty', 'pin-refused']),
    ]);
    expect(log.lines.join('')).not.toMatch(/9999|"0000"/);
    expect(attempts.map((a) => a.result)).toEqual([
      'refused-locked',
      'locked-out',
      'wrong',
      'wrong',
      'wrong',
      'wrong',
    ]);
  }, 60_000);

  it('empties the cash box through the desk (Z-report kept and printed) and loads media', async () => {
    const dir = unitDir({ photoPrinter: { adapter: 'simulated', capacity: 3 } });
    const { host } = await running(dir);
    await owedOrder(host, { sheet: true }); // 200 taken into the cash box
    const z = (await askBooth(dir, { command: 'cash.empty', args: { counted: 150 }, pin: '0000' })) as Record<
      string,
      unknown
    >;
    expect(z).toMatchObject({ period: 1, expectedInBox: 200, counted: 150, difference: -50, printed: true });
    expect(host.journal.zReports(1)[0]).toMatchObject({ number: 1, counted: 150 });
    const slips = (host.booth.devices.receiptPrinter as SimulatedReceiptPrinter).cashReports;
    expect(slips.at(-1)).toMatchObject({ periodNumber: 1, counted: 150, difference: -50 });
    const audit = host.operatorAccess!.recentAudit(10);
    expect(audit.find((a) => a.action === 'cash-box-emptied')).toMatchObject({
      role: 'technician',
      before: 200,
      after: 150,
    });

    const paper = await askBooth(dir, { command: 'media.loaded', args: { prints: 40 }, pin: '0000' });
    expect(paper).toMatchObject({ remaining: 40, status: 'ok' });
    expect(host.booth.devices.photoPrinter.status().mediaRemaining).toBe(40);
    expect(audit.length).toBeLessThan(host.operatorAccess!.recentAudit(20).length);
  }, 60_000);

  it('a new price is written to the config file, audited, and what the next customer pays', async () => {
    const dir = unitDir();
    const { host } = await running(dir);
    expect(
      await refused(
        askBooth(dir, { command: 'price.set', args: { product: 'photos-9', amount: 300 }, pin: '0000' }),
      ),
    ).toMatchObject({
      code: 'product-unknown',
      message: expect.stringContaining('the products are photos-2'),
    });
    const change = await askBooth(dir, {
      command: 'price.set',
      args: { product: 'photos-2', amount: 300 },
      pin: '0000',
    });
    expect(change).toMatchObject({ before: 200, after: 300, applies: 'now' });
    expect(JSON.parse(readFileSync(dataPaths(dir).config, 'utf8')).products[0].price).toBe(300);
    // Audited once, as the technician the demo PIN signs in as (the refused unknown product: never).
    expect(host.operatorAccess!.recentAudit(10).filter((a) => a.action === 'price-changed')).toEqual([
      expect.objectContaining({ role: 'technician', subject: 'photos-2', before: 200, after: 300 }),
    ]);
    await until(() => host.booth.config.products[0]!.price === 300, 10_000, 'new config applied');

    // The next customer: 2 € is no longer enough; 3 € is.
    const booth = host.booth;
    await until(() => booth.view().waitingForCustomer, 10_000, 'attract');
    booth.send({ type: 'TOUCH' });
    booth.send({ type: 'SELECT_LANGUAGE', language: 'en' });
    booth.send({ type: 'ACCEPT_CONSENT' });
    await until(() => booth.view().screen.screen === 'choose', 10_000, 'choose');
    booth.send({ type: 'CHOOSE', documentId: 'schengen-visa', productId: 'photos-2' });
    const payment = booth.devices.payment as SimulatedPaymentDevice;
    await until(() => payment.status().accepting, 10_000, 'coins accepted');
    // With a customer at the booth, money commands wait for them to leave.
    expect(
      await refused(askBooth(dir, { command: 'cash.empty', args: { counted: 0 }, pin: '0000' })),
    ).toMatchObject({ code: 'customer-at-booth' });
    expect(payment.insertCoin(200)).toBe('credited');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(booth.view().screen.screen).toBe('payment');
    expect(payment.insertCoin(100)).toBe('credited');
    await until(() => booth.view().screen.screen === 'pose', 10_000, 'pose');
    expect(host.journal.totals(0)).toMatchObject({ inserted: 300, balance: 0 });
  }, 60_000);
});

describe('while the host swaps the booth for a new config', () => {
  it('a request waits for the next booth instead of failing', async () => {
    const dir = unitDir();
    const { host } = await running(dir);
    const store = new ConfigStore({ file: dataPaths(dir).config });
    const commands = controlCommandsFor({ host, configStore: store, logger: silentLogger(), startedAt: 0 });
    host.requestConfig(store.load());
    // Step microtasks until the old booth is stopped and the new one not yet built.
    let between = false;
    for (let i = 0; i < 1_000 && !between; i++) {
      await Promise.resolve();
      try {
        void host.booth;
      } catch {
        between = true;
      }
    }
    expect(between, 'the host never was between two booths').toBe(true);
    const status = await commands.handle({ id: 1, command: 'status', args: {} });
    expect(status).toMatchObject({ screen: expect.any(String) });
    expect(() => host.booth).not.toThrow();
  }, 60_000);
});

describe('no booth running', () => {
  it('says so with the data directory, for a missing socket and for a stale one a crash left', async () => {
    const dir = unitDir();
    const expected = `no booth is running on ${dir} (start it with kiosk start)`;
    expect(await refused(askBooth(dir, { command: 'status', args: {} }))).toEqual({
      code: 'booth-not-running',
      message: expected,
    });
    // A process that bound the socket and died without a word: the file stays, nothing answers.
    const path = dataPaths(dir).controlSocket;
    const child = spawnSync(process.execPath, [
      '-e',
      `require('net').createServer().listen(${JSON.stringify(path)}, () => process.kill(process.pid, 'SIGKILL'))`,
    ]);
    expect(child.signal).toBe('SIGKILL');
    expect(statSync(path).isSocket()).toBe(true);
    expect(await refused(askBooth(dir, { command: 'status', args: {} }))).toEqual({
      code: 'booth-not-running',
      message: expected,
    });
    // The next booth removes it and serves a socket of its own.
    await running(dir);
    expect(await askBooth(dir, { command: 'status', args: {} })).toMatchObject({ screen: 'attract' });
  }, 60_000);

  it('a file that is not a socket in its place: no booth answers, and the booth will not remove it', async () => {
    const dir = unitDir();
    const path = dataPaths(dir).controlSocket;
    writeFileSync(path, 'notes\n');
    expect(await refused(askBooth(dir, { command: 'status', args: {} }))).toMatchObject({
      code: 'booth-not-running',
    });
    await expect(running(dir)).rejects.toThrow(`${path} is in the way of the control socket and is not one`);
    expect(readFileSync(path, 'utf8')).toBe('notes\n');
  }, 60_000);

  it('closing the channel removes its socket', async () => {
    const dir = unitDir();
    const { control } = await running(dir);
    await control.close();
    expect(existsSync(dataPaths(dir).controlSocket)).toBe(false);
  }, 60_000);
});
