import { describe, expect, it } from 'vitest';
import { boothConfigSchema } from '../../config/schema.ts';
import { initialContext, type SessionContext } from '../../flows/session/context.ts';
import { flowSettings } from '../../app/booth/booth.ts';
import { toUiSnapshot } from '../../app/shell/bridge/ui-snapshot.ts';
import { sessionMachine } from '../../flows/session/machine.ts';
import { boothMachine } from '../../flows/booth/machine.ts';
import { screenOf } from '../../flows/session/screens.ts';
import type { PolicyNotice } from '../../app/services/vault/privacy-policy.ts';

const config = boothConfigSchema.parse({});

/** A context with every personal field set, so the test sees which ones leak. */
function busyContext(): SessionContext {
  return {
    ...initialContext(flowSettings(config)),
    sessionId: 'session-secret-id',
    receiptCode: 'RCPT-1234',
    language: 'de',
    documentId: 'eu-passport',
    productId: 'photos-4',
    price: 800,
    credit: 1000,
    orderId: 'order-secret-id',
    stillId: 'still-secret-id',
    coach: { ready: true, hint: 'hint.moveCloser', checks: { 'eyes.open': true } },
    review: { verdict: 'pass', failed: [], checks: [{ id: 'eyes.open', pass: true, message: 'eyes open' }] },
    sheetIds: ['sheet-secret-1', 'sheet-secret-2'],
    printedSheets: 1,
    fault: { state: 'printing', code: 'jam' },
    outOfServiceReason: 'photo-printer:media-empty',
  };
}

/** A nested state value from a dotted name. */
function value(state: string): unknown {
  const parts = state.split('.');
  let v: unknown = parts.pop()!;
  while (parts.length) v = { [parts.pop()!]: v };
  return v;
}

const notice: PolicyNotice = {
  language: 'de',
  text: '# Datenschutz',
  version: 'abc',
  changedAt: null,
  guardianNotice: true,
};

/** The screen the real machines' meta gives a state (booth states for out of service). */
function screenFor(state: string, context = busyContext()) {
  const meta = state.startsWith('outOfService')
    ? boothMachine
        .resolveState({
          value: value(state) as never,
          context: {
            settings: context.settings,
            outOfServiceReason: context.outOfServiceReason,
            maintenance: false,
            operatorIdleMs: 120_000,
          },
        })
        .getMeta()
    : sessionMachine.resolveState({ value: value(state) as never, context }).getMeta();
  const found = screenOf(meta);
  return { screen: found.screen, busy: found.busy ?? null };
}

function snap(state: string, context = busyContext()) {
  const found = screenFor(state, context);
  return toUiSnapshot({
    booth: {
      state,
      screen: { screen: found.screen, ...(found.busy ? { busy: found.busy } : {}) },
      outOfServiceReason: context.outOfServiceReason,
    },
    context,
    config,
    policy: () => notice,
    demo: true,
    demoHopper: false,
    reviewPhoto: 'data:image/jpeg;base64,AAAA',
    seq: 7,
  });
}

const mapping: [state: string, screen: string, busy: string | null][] = [
  ['attract.checking', 'attract', null],
  ['attract.idle', 'attract', null],
  ['customer.language', 'language', null],
  ['customer.consent', 'consent', null],
  ['customer.opening', 'busy', 'opening'],
  ['customer.choose', 'choose', null],
  ['customer.checkingDevices', 'busy', 'checking-devices'],
  ['customer.payment.waiting', 'payment', null],
  ['customer.ordering', 'busy', 'ordering'],
  ['customer.shooting.pose', 'pose', null],
  ['customer.shooting.countdown', 'countdown', null],
  ['customer.capturing', 'busy', 'capturing'],
  ['customer.checking', 'busy', 'checking'],
  ['customer.review', 'review', null],
  ['stillThere', 'stillThere', null],
  ['confirmCancel', 'confirmCancel', null],
  ['producing', 'producing', null],
  ['printing', 'printing', null],
  ['printOwed', 'printOwed', null],
  ['delivering', 'busy', 'delivering'],
  ['thankYou', 'thankYou', null],
  ['paymentFailed', 'error', null],
  ['cameraFailed', 'error', null],
  ['productionFailed', 'error', null],
  ['printFailed', 'error', null],
  ['storageFailed', 'error', null],
  ['failed', 'error', null],
  ['unavailable', 'unavailable', null],
  ['ending', 'busy', 'ending'],
  ['outOfService.waiting', 'outOfService', null],
  ['outOfService.rechecking', 'outOfService', null],
];

describe('toUiSnapshot', () => {
  it.each(mapping)('%s shows the %s screen (busy: %s)', (state, screen, busy) => {
    expect(screenFor(state)).toEqual({ screen, busy });
    const s = snap(state);
    expect(s.screen).toBe(screen);
    expect(s.busy).toBe(busy);
    expect(s.state).toBe(state);
    expect(s.seq).toBe(7);
  });

  it('a state the bridge does not know yet shows a spinner', () => {
    expect(screenOf({})).toEqual({ screen: 'busy' });
    expect(screenOf({ 'session.somethingNew': { label: 'no screen here' } })).toEqual({ screen: 'busy' });
  });

  it.each(mapping.map(([state]) => [state]))(
    '%s never carries a session, order, still or sheet id',
    (state) => {
      const json = JSON.stringify(snap(state));
      for (const secret of ['session-secret-id', 'order-secret-id', 'still-secret-id', 'sheet-secret'])
        expect(json).not.toContain(secret);
      expect(Object.keys(snap(state))).not.toEqual(expect.arrayContaining(['sessionId']));
    },
  );

  it('the receipt code only at the end and where money is involved (cancel, errors, unavailable)', () => {
    const shown = new Set(['thankYou', 'printOwed', 'confirmCancel', 'error', 'unavailable']);
    expect([...mapping].some(([, screen]) => screen === 'confirmCancel')).toBe(true);
    for (const [state, screen] of mapping) {
      const s = snap(state);
      if (shown.has(screen)) expect(s.receiptCode).toBe('RCPT-1234');
      else {
        expect(s.receiptCode).toBeNull();
        expect(JSON.stringify(s)).not.toContain('RCPT-1234');
      }
    }
  });

  it('the policy text only on consent, the photo and checks only on review', () => {
    for (const [state, screen] of mapping) {
      const s = snap(state);
      if (screen === 'consent') {
        expect(s.consent).toEqual({
          text: '# Datenschutz',
          version: 'abc',
          changed: false,
          guardianNotice: true,
        });
      } else expect(s.consent).toBeNull();
      if (screen === 'review') {
        expect(s.review).toEqual({
          verdict: 'pass',
          checks: [{ id: 'eyes.open', pass: true, message: 'eyes open' }],
          photo: 'data:image/jpeg;base64,AAAA',
          cropped: false,
        });
      } else {
        expect(s.review).toBeNull();
        expect(JSON.stringify(s)).not.toContain('base64');
      }
    }
  });

  it('fault only on error screens, the out-of-service reason only where it is shown, printing while printing', () => {
    expect(snap('printFailed').fault).toEqual({ state: 'printing', code: 'jam' });
    expect(snap('customer.choose').fault).toBeNull();
    expect(snap('outOfService.waiting').outOfServiceReason).toBe('photo-printer:media-empty');
    expect(snap('unavailable').outOfServiceReason).toBe('photo-printer:media-empty');
    expect(snap('attract.idle').outOfServiceReason).toBeNull();
    expect(snap('printing').printing).toEqual({ printed: 1, total: 2 });
    expect(snap('thankYou').printing).toBeNull();
  });

  it('tells the screen whose money is in: carried credit (at most what is there), the policy, the contact', () => {
    const carried = snap('customer.payment.waiting', {
      ...busyContext(),
      credit: 1000,
      carriedCredit: 300,
      orderId: null,
    });
    expect(carried.money).toMatchObject({
      carried: 300,
      atStake: 1000,
      unusedCredit: config.money.unusedCredit,
      contact: null,
      heldNote: 0,
      handedBack: null,
    });
    // Credit spent on an order: what is left of the earlier customer's money is all that shows.
    const spent = snap('customer.shooting.pose', { ...busyContext(), credit: 200, carriedCredit: 300 });
    expect(spent.money.carried).toBe(200);
    // With an order placed, its price is at stake too: it comes back if the session ends now.
    const ordered = snap('cameraFailed', { ...busyContext(), credit: 200, orderId: 'o1', price: 800 });
    expect(ordered.money.atStake).toBe(1000);
  });

  it('carries the config the screens need', () => {
    const s = snap('customer.payment.waiting');
    expect(s).toMatchObject({
      language: 'de',
      languages: config.languages.enabled,
      unitName: config.unit.name,
      currency: 'EUR',
      documents: config.documents,
      choice: { documentId: 'eu-passport', productId: 'photos-4', price: 800 },
      credit: 1000,
      payment: { coins: config.money.coins, bills: config.money.bills, noChangeGiven: true },
      coach: {
        ready: true,
        hint: 'hint.moveCloser',
        checks: { 'eyes.open': true },
        manualCaptureOffered: false,
      },
      countdownMs: config.timeouts.countdownMs,
      retakesLeft: config.retakes,
      demo: true,
      demoHopper: false,
      stillThereMs: config.timeouts.stillThereMs,
    });
    expect(s.products[0]).toEqual({
      id: 'photos-4',
      price: 800,
      prints: 1,
      photosPerSheet: 4,
      digital: false,
    });
  });

  it('review checks fall back to the failed ids when the checker gives no checklist', () => {
    const context = { ...busyContext(), review: { verdict: 'fail' as const, failed: ['eyes.open'] } };
    expect(snap('customer.review', context).review?.checks).toEqual([
      { id: 'eyes.open', pass: false, message: '' },
    ]);
  });

  it("says the review photo is the crop where the checker planned one, and each document's geometry from its spec", () => {
    const context = busyContext();
    context.review = {
      ...context.review!,
      crop: { origin: [100, 50], across: [350, 0], down: [0, 450] },
      image: { width: 1000, height: 800 },
    };
    expect(snap('customer.review', context).review?.cropped).toBe(true);
    // Never the crop's numbers themselves: they would tell where the face was.
    expect(JSON.stringify(snap('customer.review', context))).not.toContain('origin');
    const eu = snap('customer.choose').documentGeometry['eu-passport']!;
    expect(eu).toMatchObject({ widthMm: 35, heightMm: 45 });
    expect(eu.headHeightMm.min).toBeLessThan(eu.headHeightMm.max);
    expect(eu.crownFromTopMm).toBeGreaterThan(0);
    expect(eu.crownFromTopMm + eu.headHeightMm.max).toBeLessThan(eu.heightMm);
    expect(Object.keys(snap('customer.choose').documentGeometry)).toEqual(config.documents);
  });
});
