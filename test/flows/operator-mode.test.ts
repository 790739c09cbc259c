// Operator mode in the booth machine: only between customers and never with money in, behind the
// PIN, its pages, inactivity, maintenance, and customer events refused while it runs.
import { describe, expect, it } from 'vitest';
import { boothView } from '../../flows/booth/view.ts';
import type {
  CounterReading,
  OwedPrintView,
  DeviceTestResult,
  OperatorRole,
  OperatorServices,
  PaperReport,
  PinVerdict,
  TakingsReport,
} from '../../flows/operator/services.ts';
import { SessionHarness } from './session-harness.ts';

const takings: TakingsReport = {
  since: 0,
  coins: [{ value: 200, count: 3 }],
  notes: [{ value: 500, count: 1 }],
  cashIn: 1100,
  paidOut: 0,
  testCoins: 0,
  expectedInBox: 1100,
  vouchers: { issued: 0, redeemed: 0, expired: 0, outstanding: 0 },
  carried: 0,
  owedPrints: 0,
  sales: { delivered: 1, reversed: 0, revenue: 800 },
};

/** Operator services that remember what they were asked: PIN 4711 is the operator's, 0000 the demo one. */
function desk(options: { mustChange?: boolean } = {}) {
  const calls: { name: string; input: unknown }[] = [];
  let wrong = 0;
  let deleted = false;
  let owedRows: OwedPrintView[] = [
    {
      orderId: 'o1',
      state: 'owed',
      since: 1,
      sheetsLeft: 1,
      attempts: 2,
      lastError: 'media-jam',
      price: 800,
    },
  ];
  let products = [
    { id: 'photos-4', price: 800, prints: 1, photosPerSheet: 4, digital: false, offered: true },
    { id: 'photos-8', price: 1200, prints: 2, photosPerSheet: 4, digital: false, offered: true },
  ];
  let mail = [
    {
      id: 'm1',
      kind: 'digital-copy' as const,
      state: 'failed' as const,
      since: 1,
      expires: 9,
      attempts: 1,
      lastError: '550 mailbox unavailable',
    },
  ];
  let counters: CounterReading[] = [
    { name: 'sessions', today: 3, yesterday: 5, sinceReset: 40, resetAt: null },
    { name: 'prints', today: 2, yesterday: 4, sinceReset: 30, resetAt: null },
  ];
  let paper: PaperReport = { remaining: 0, counted: true, media: '4x6', status: 'media-empty' };
  const services: OperatorServices = {
    async checkPin({ pin }): Promise<PinVerdict> {
      calls.push({ name: 'checkPin', input: 'hidden' });
      if (pin === '4711') return { ok: true, role: 'operator', mustChangePin: false };
      if (pin === '0000') return { ok: true, role: 'technician', mustChangePin: options.mustChange ?? false };
      wrong++;
      return { ok: false, attemptsLeft: Math.max(0, 5 - wrong), lockedUntil: wrong >= 5 ? 60_000 : null };
    },
    async changePin(input) {
      calls.push({ name: 'changePin', input });
    },
    async takings() {
      calls.push({ name: 'takings', input: null });
      return takings;
    },
    async emptyCashBox(input: { counted: number; role: OperatorRole }) {
      calls.push({ name: 'emptyCashBox', input });
      return {
        ...takings,
        period: 1,
        closedAt: 5,
        counted: input.counted,
        difference: input.counted - 1100,
        printed: true,
      };
    },
    async paper() {
      return paper;
    },
    async mediaLoaded(input) {
      calls.push({ name: 'mediaLoaded', input });
      paper = { remaining: input.prints, counted: true, media: '4x6', status: 'ok' };
      return paper;
    },
    async setMaintenance(input) {
      calls.push({ name: 'setMaintenance', input });
      return { maintenance: input.on };
    },
    async findReceipt({ code }) {
      const normalised = code.toUpperCase();
      return normalised === 'ABCDE-12345' && !deleted
        ? { code: normalised, lookup: { found: true as const, createdAt: 1, expiresAt: 2, sheets: 2 } }
        : { code: normalised, lookup: { found: false as const } };
    },
    async reprint(input) {
      calls.push({ name: 'reprint', input });
      return { printed: 2 };
    },
    async deletePhotos(input) {
      calls.push({ name: 'deletePhotos', input });
      deleted = true;
      return { deleted: true };
    },
    async counters() {
      return counters;
    },
    async resetCounter(input) {
      calls.push({ name: 'resetCounter', input });
      counters = counters.map((c) => (c.name === input.name ? { ...c, sinceReset: 0, resetAt: 9 } : c));
      return counters;
    },
    async runTest(input): Promise<DeviceTestResult> {
      calls.push({ name: 'runTest', input });
      return input.test === 'camera'
        ? { ok: false, code: 'disconnected', figures: {}, at: 7 }
        : { ok: true, code: null, figures: { seconds: 1 }, at: 7 };
    },
    async prices() {
      return products;
    },
    async setPrice(input) {
      calls.push({ name: 'setPrice', input });
      products = products.map((p) => (p.id === input.productId ? { ...p, price: input.price } : p));
      return products;
    },
    async restart(input) {
      calls.push({ name: 'restart', input });
    },
    async owedMail() {
      return mail;
    },
    async resendMail(input) {
      calls.push({ name: 'resendMail', input });
      mail = mail.map((m) => (m.id === input.id ? { ...m, attempts: m.attempts + 1 } : m));
      return mail;
    },
    async serviceInfo() {
      return { diagnostics: null, endOfService: null, noticeDays: 14 };
    },
    async decommission(input) {
      calls.push({ name: 'decommission', input });
      return { diagnostics: null, endOfService: { phase: 'closing' as const, closesAt: 99 }, noticeDays: 14 };
    },
    async setProductOffered(input) {
      calls.push({ name: 'setProductOffered', input });
      products = products.map((p) => (p.id === input.productId ? { ...p, offered: input.enabled } : p));
      return products;
    },
    async owedPrints() {
      return owedRows;
    },
    async retryOwed(input) {
      calls.push({ name: 'retryOwed', input });
      return {
        rows: owedRows,
        outcome: { orderId: input.orderId, kind: 'still-owed' as const, stoppedBy: 'media-jam' },
      };
    },
    async giveUpOwed(input) {
      calls.push({ name: 'giveUpOwed', input });
      owedRows = [];
      return {
        rows: owedRows,
        outcome: {
          orderId: input.orderId,
          kind: 'handed-back' as const,
          paidOut: 0,
          voucher: 800,
          voucherCode: null,
        },
      };
    },
    async documents() {
      return [
        { id: 'eu-passport', enabled: true },
        { id: 'us-visa', enabled: false },
      ];
    },
    async setDocument(input) {
      calls.push({ name: 'setDocument', input });
      return [
        { id: 'eu-passport', enabled: true },
        { id: 'us-visa', enabled: input.enabled },
      ];
    },
    async left(input) {
      calls.push({ name: 'left', input });
    },
  };
  return { services, calls };
}

const operatorOf = (h: SessionHarness) => boothView(h.actor.getSnapshot()).operator;

async function atAttract(h: SessionHarness): Promise<void> {
  await h.start();
  await h.answer('checkDevices', { ok: true, reason: null });
  expect(h.state).toBe('attract.idle');
}

describe('operator mode', () => {
  it('opens from attract with no money in, shows the PIN pad and refuses customer events', async () => {
    const { services } = desk();
    const h = new SessionHarness(undefined, { operator: services });
    await atAttract(h);
    await h.send({ type: 'OPERATOR_ENTER' });
    expect(h.state).toBe('operator.pin');
    expect(boothView(h.actor.getSnapshot()).screen.screen).toBe('operatorPin');
    await h.send({ type: 'TOUCH' });
    await h.send({ type: 'CHOOSE', documentId: 'eu-passport', productId: 'photos-4' });
    expect(h.state).toBe('operator.pin');
  });

  it('cannot be entered during a session, nor at attract with carried credit', async () => {
    const { services } = desk();
    const h = new SessionHarness(undefined, { operator: services });
    await h.start();
    await h.toPayment();
    await h.send({ type: 'OPERATOR_ENTER' });
    expect(h.state).toMatch(/^customer\.payment/);

    const carried = new SessionHarness(undefined, { operator: services });
    await atAttract(carried);
    await carried.send({ type: 'CREDIT', amount: 200, balance: 200 });
    await carried.send({ type: 'OPERATOR_ENTER' });
    expect(carried.state).toBe('attract.idle');
  });

  it('opens from out of service (a printer out of paper) without a session', async () => {
    const { services } = desk();
    const h = new SessionHarness(undefined, { operator: services });
    await h.start();
    await h.answer('checkDevices', { ok: false, reason: 'photo-printer:media-empty' });
    expect(h.state).toMatch(/^outOfService/);
    await h.send({ type: 'OPERATOR_ENTER' });
    expect(h.state).toBe('operator.pin');
  });

  it('a wrong PIN says how many tries are left and keeps the pad; the right one opens the menu', async () => {
    const { services, calls } = desk();
    const h = new SessionHarness(undefined, { operator: services });
    await atAttract(h);
    await h.send({ type: 'OPERATOR_ENTER' });
    await h.send({ type: 'OPERATOR_PIN', pin: '1234' });
    expect(h.state).toBe('operator.pin');
    expect(operatorOf(h)?.context.refusal).toEqual({ attemptsLeft: 4, lockedUntil: null });
    await h.send({ type: 'OPERATOR_PIN', pin: '4711' });
    expect(h.state).toBe('operator.menu');
    expect(operatorOf(h)?.context.role).toBe('operator');
    expect(operatorOf(h)?.context.refusal).toBeNull();
    // The PIN never lands in the machine's context.
    expect(JSON.stringify(operatorOf(h)?.context)).not.toContain('4711');
    expect(calls.filter((c) => c.name === 'checkPin')).toHaveLength(2);
  });

  it('takings, then the cash box emptied with a counted amount gives the Z-report', async () => {
    const { services, calls } = desk();
    const h = new SessionHarness(undefined, { operator: services });
    await atAttract(h);
    await h.send({ type: 'OPERATOR_ENTER' });
    await h.send({ type: 'OPERATOR_PIN', pin: '4711' });
    await h.send({ type: 'OPERATOR_OPEN', page: 'takings' });
    expect(h.state).toBe('operator.takings.showing');
    expect(operatorOf(h)?.context.takings?.cashIn).toBe(1100);
    await h.send({ type: 'OPERATOR_EMPTY_CASH', counted: 1050 });
    expect(h.state).toBe('operator.takings.zReport');
    expect(operatorOf(h)?.context.zReport).toMatchObject({ counted: 1050, difference: -50, period: 1 });
    expect(calls.find((c) => c.name === 'emptyCashBox')?.input).toEqual({ counted: 1050, role: 'operator' });
    await h.send({ type: 'OPERATOR_BACK' });
    expect(h.state).toBe('operator.menu');
  });

  it('paper loaded on a counted printer, then exit: the booth checks its devices again', async () => {
    const { services, calls } = desk();
    const h = new SessionHarness(undefined, { operator: services });
    await h.start();
    await h.answer('checkDevices', { ok: false, reason: 'photo-printer:media-empty' });
    await h.send({ type: 'OPERATOR_ENTER' });
    await h.send({ type: 'OPERATOR_PIN', pin: '4711' });
    await h.send({ type: 'OPERATOR_OPEN', page: 'paper' });
    expect(operatorOf(h)?.context.paper?.status).toBe('media-empty');
    await h.send({ type: 'OPERATOR_MEDIA_LOADED', prints: 400 });
    expect(operatorOf(h)?.context.paper).toMatchObject({ remaining: 400, status: 'ok' });
    await h.send({ type: 'OPERATOR_EXIT' });
    expect(calls.at(-1)).toEqual({ name: 'left', input: { role: 'operator', why: 'exit' } });
    // A fresh session, whose attract check decides whether the booth opens.
    expect(h.state).toBe('attract.checking');
    await h.answer('checkDevices', { ok: true, reason: null });
    expect(h.state).toBe('attract.idle');
  });

  it('leaves by itself after the inactivity time, and a touch starts the time again', async () => {
    const { services, calls } = desk();
    const h = new SessionHarness(undefined, { operator: services, operatorIdleMs: 60_000 });
    await atAttract(h);
    await h.send({ type: 'OPERATOR_ENTER' });
    await h.advance(50_000);
    await h.send({ type: 'OPERATOR_PIN', pin: '4711' });
    await h.advance(50_000);
    expect(h.state).toBe('operator.menu');
    await h.advance(10_001);
    expect(calls.at(-1)).toEqual({ name: 'left', input: { role: 'operator', why: 'inactivity' } });
    expect(h.state).toBe('attract.checking');
  });

  it('maintenance keeps the booth closed (device health does not reopen it) until put back in service', async () => {
    const { services } = desk();
    const h = new SessionHarness(undefined, { operator: services });
    await atAttract(h);
    await h.send({ type: 'OPERATOR_ENTER' });
    await h.send({ type: 'OPERATOR_PIN', pin: '4711' });
    await h.send({ type: 'OPERATOR_OPEN', page: 'service' });
    await h.send({ type: 'OPERATOR_OUT_OF_SERVICE' });
    expect(operatorOf(h)?.context.maintenance).toBe(true);
    await h.send({ type: 'OPERATOR_EXIT' });
    expect(h.state).toMatch(/^outOfService/);
    expect(h.context.outOfServiceReason).toBe('operator:maintenance');
    await h.send({ type: 'HEALTH', ok: true, reason: null });
    await h.answer('checkDevices', { ok: true, reason: null });
    expect(h.state).toMatch(/^outOfService/);

    await h.send({ type: 'OPERATOR_ENTER' });
    await h.send({ type: 'OPERATOR_PIN', pin: '4711' });
    await h.send({ type: 'OPERATOR_OPEN', page: 'service' });
    await h.send({ type: 'OPERATOR_IN_SERVICE' });
    await h.send({ type: 'OPERATOR_EXIT' });
    expect(h.state).toBe('attract.checking');
  });

  it('a booth left in maintenance starts closed after a restart', async () => {
    const { services } = desk();
    const h = new SessionHarness(undefined, { operator: services, maintenance: true });
    await h.start();
    expect(h.state).toMatch(/^outOfService/);
    expect(h.context.outOfServiceReason).toBe('operator:maintenance');
  });

  it('the demo PIN on real hardware must be replaced before the menu', async () => {
    const { services, calls } = desk({ mustChange: true });
    const h = new SessionHarness(undefined, { operator: services });
    await atAttract(h);
    await h.send({ type: 'OPERATOR_ENTER' });
    await h.send({ type: 'OPERATOR_PIN', pin: '0000' });
    expect(h.state).toBe('operator.newPin');
    await h.send({ type: 'OPERATOR_OPEN', page: 'takings' });
    expect(h.state).toBe('operator.newPin');
    await h.send({ type: 'OPERATOR_NEW_PIN', pin: '274816' });
    expect(h.state).toBe('operator.menu');
    expect(calls.find((c) => c.name === 'changePin')?.input).toEqual({ role: 'technician', pin: '274816' });
  });

  it('receipts: a code found can be reprinted or its photos deleted; the code is forgotten when the page closes', async () => {
    const { services, calls } = desk();
    const h = new SessionHarness(undefined, { operator: services });
    await atAttract(h);
    await h.send({ type: 'OPERATOR_ENTER' });
    await h.send({ type: 'OPERATOR_PIN', pin: '4711' });
    await h.send({ type: 'OPERATOR_OPEN', page: 'receipts' });
    expect(h.state).toBe('operator.receipts.showing');
    // Nothing found: reprint and delete do nothing.
    await h.send({ type: 'OPERATOR_FIND_RECEIPT', code: 'ZZZZZ-99999' });
    expect(operatorOf(h)?.context.receipt?.lookup.found).toBe(false);
    await h.send({ type: 'OPERATOR_REPRINT' });
    await h.send({ type: 'OPERATOR_DELETE_PHOTOS' });
    expect(calls.filter((c) => c.name === 'reprint' || c.name === 'deletePhotos')).toEqual([]);

    await h.send({ type: 'OPERATOR_FIND_RECEIPT', code: 'abcde-12345' });
    expect(operatorOf(h)?.context.receipt).toMatchObject({
      code: 'ABCDE-12345',
      lookup: { found: true, sheets: 2 },
    });
    await h.send({ type: 'OPERATOR_REPRINT' });
    expect(operatorOf(h)?.context.receipt?.done).toBe('reprinted');
    await h.send({ type: 'OPERATOR_DELETE_PHOTOS' });
    expect(operatorOf(h)?.context.receipt).toMatchObject({ lookup: { found: false }, done: 'deleted' });
    expect(calls.find((c) => c.name === 'deletePhotos')?.input).toEqual({
      code: 'ABCDE-12345',
      role: 'operator',
    });
    await h.send({ type: 'OPERATOR_BACK' });
    expect(operatorOf(h)?.context.receipt).toBeNull();
  });

  it('counters: one reset at a time, the others untouched', async () => {
    const { services, calls } = desk();
    const h = new SessionHarness(undefined, { operator: services });
    await atAttract(h);
    await h.send({ type: 'OPERATOR_ENTER' });
    await h.send({ type: 'OPERATOR_PIN', pin: '4711' });
    await h.send({ type: 'OPERATOR_OPEN', page: 'counters' });
    expect(h.state).toBe('operator.counters.showing');
    expect(operatorOf(h)?.context.counters?.map((c) => c.sinceReset)).toEqual([40, 30]);
    await h.send({ type: 'OPERATOR_RESET_COUNTER', name: 'prints' });
    expect(operatorOf(h)?.context.counters?.map((c) => c.sinceReset)).toEqual([40, 0]);
    expect(calls.at(-1)).toEqual({ name: 'resetCounter', input: { name: 'prints', role: 'operator' } });
  });

  it('tests: each result is kept for the visit, a failing device is a result with its code', async () => {
    const { services } = desk();
    const h = new SessionHarness(undefined, { operator: services });
    await atAttract(h);
    await h.send({ type: 'OPERATOR_ENTER' });
    await h.send({ type: 'OPERATOR_PIN', pin: '4711' });
    await h.send({ type: 'OPERATOR_OPEN', page: 'tests' });
    await h.send({ type: 'OPERATOR_RUN_TEST', test: 'print' });
    await h.send({ type: 'OPERATOR_RUN_TEST', test: 'camera' });
    expect(h.state).toBe('operator.tests.showing');
    expect(operatorOf(h)?.context.tests).toEqual({
      print: { ok: true, code: null, figures: { seconds: 1 }, at: 7 },
      camera: { ok: false, code: 'disconnected', figures: {}, at: 7 },
    });
  });

  it('prices: a new price is saved and shown', async () => {
    const { services, calls } = desk();
    const h = new SessionHarness(undefined, { operator: services });
    await atAttract(h);
    await h.send({ type: 'OPERATOR_ENTER' });
    await h.send({ type: 'OPERATOR_PIN', pin: '4711' });
    await h.send({ type: 'OPERATOR_OPEN', page: 'prices' });
    expect(operatorOf(h)?.context.prices?.[0]?.price).toBe(800);
    await h.send({ type: 'OPERATOR_SET_PRICE', productId: 'photos-4', price: 950 });
    expect(h.state).toBe('operator.prices.showing');
    expect(operatorOf(h)?.context.prices?.[0]?.price).toBe(950);
    expect(calls.at(-1)).toEqual({
      name: 'setPrice',
      input: { productId: 'photos-4', price: 950, role: 'operator' },
    });
    await h.send({ type: 'OPERATOR_SET_PRODUCT', productId: 'photos-8', enabled: false });
    expect(h.state).toBe('operator.prices.showing');
    expect(operatorOf(h)?.context.prices?.map((p) => p.offered)).toEqual([true, false]);
    expect(calls.at(-1)).toEqual({
      name: 'setProductOffered',
      input: { productId: 'photos-8', enabled: false, role: 'operator' },
    });
  });

  it('owed prints: a retry says why it is still owed; giving up hands the price back and clears the row', async () => {
    const { services, calls } = desk();
    const h = new SessionHarness(undefined, { operator: services });
    await atAttract(h);
    await h.send({ type: 'OPERATOR_ENTER' });
    await h.send({ type: 'OPERATOR_PIN', pin: '4711' });
    await h.send({ type: 'OPERATOR_OPEN', page: 'owed' });
    expect(operatorOf(h)?.context.owed?.rows).toHaveLength(1);
    // The emails still owed are on the same page; a resend tries one now.
    expect(operatorOf(h)?.context.owedMail).toMatchObject([{ id: 'm1', state: 'failed', attempts: 1 }]);
    await h.send({ type: 'OPERATOR_RESEND_MAIL', id: 'm1' });
    expect(h.state).toBe('operator.owed.showing');
    expect(operatorOf(h)?.context.owedMail?.[0]?.attempts).toBe(2);
    expect(calls.at(-1)).toEqual({ name: 'resendMail', input: { id: 'm1', role: 'operator' } });
    await h.send({ type: 'OPERATOR_RETRY_OWED', orderId: 'o1' });
    expect(operatorOf(h)?.context.owed?.outcome).toEqual({
      orderId: 'o1',
      kind: 'still-owed',
      stoppedBy: 'media-jam',
    });
    await h.send({ type: 'OPERATOR_GIVE_UP_OWED', orderId: 'o1', as: 'voucher' });
    expect(operatorOf(h)?.context.owed).toMatchObject({
      rows: [],
      outcome: { kind: 'handed-back', voucher: 800 },
    });
    expect(calls.at(-1)).toEqual({
      name: 'giveUpOwed',
      input: { orderId: 'o1', as: 'voucher', role: 'operator' },
    });
  });

  it('documents: one offered or withdrawn at a time', async () => {
    const { services, calls } = desk();
    const h = new SessionHarness(undefined, { operator: services });
    await atAttract(h);
    await h.send({ type: 'OPERATOR_ENTER' });
    await h.send({ type: 'OPERATOR_PIN', pin: '4711' });
    await h.send({ type: 'OPERATOR_OPEN', page: 'documents' });
    expect(operatorOf(h)?.context.documents).toHaveLength(2);
    await h.send({ type: 'OPERATOR_SET_DOCUMENT', documentId: 'us-visa', enabled: true });
    expect(operatorOf(h)?.context.documents?.[1]).toEqual({ id: 'us-visa', enabled: true });
    expect(calls.at(-1)).toEqual({
      name: 'setDocument',
      input: { documentId: 'us-visa', enabled: true, role: 'operator' },
    });
  });
});
