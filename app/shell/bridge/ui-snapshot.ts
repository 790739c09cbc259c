import type { KioskConfig } from '../../../config/schema.ts';
import type { SessionContext } from '../../../flows/session/context.ts';
import { stateName } from '../../../flows/session/state-name.ts';
import type { PolicyNotice } from '../../services/vault/privacy-policy.ts';
import type { UiScreen, UiSnapshot } from './kiosk-api.ts';

/** The flow's state name → the screen a person sees (and why it is `busy`). */
export function screenFor(state: string): { screen: UiScreen; busy: string | null } {
  const exact = exactScreens[state];
  if (exact) return exact;
  const top = state.split('.')[0]!;
  const byTop = topScreens[top];
  if (byTop) return byTop;
  if (state.startsWith('customer.payment.') || state === 'customer.payment')
    return { screen: 'payment', busy: null };
  // A state this bridge does not know yet (the flow grew): a spinner, never a blank screen.
  return { screen: 'busy', busy: null };
}

const busy = (reason: string) => ({ screen: 'busy' as const, busy: reason });
const plain = (screen: UiScreen) => ({ screen, busy: null });

const exactScreens: Record<string, { screen: UiScreen; busy: string | null }> = {
  'customer.language': plain('language'),
  'customer.consent': plain('consent'),
  'customer.choose': plain('choose'),
  'customer.shooting.pose': plain('pose'),
  'customer.shooting.countdown': plain('countdown'),
  'customer.review': plain('review'),
  'customer.opening': busy('opening'),
  'customer.checkingDevices': busy('checking-devices'),
  'customer.ordering': busy('ordering'),
  'customer.capturing': busy('capturing'),
  'customer.checking': busy('checking'),
};

/** Top-level states; their sub-states (outOfService.rechecking, printOwed.*) show the same screen. */
const topScreens: Record<string, { screen: UiScreen; busy: string | null }> = {
  attract: plain('attract'),
  delivering: busy('delivering'),
  ending: busy('ending'),
  producing: plain('producing'),
  printing: plain('printing'),
  printOwed: plain('printOwed'),
  thankYou: plain('thankYou'),
  stillThere: plain('stillThere'),
  paymentFailed: plain('error'),
  cameraFailed: plain('error'),
  productionFailed: plain('error'),
  printFailed: plain('error'),
  storageFailed: plain('error'),
  failed: plain('error'),
  unavailable: plain('unavailable'),
  outOfService: plain('outOfService'),
};

export interface SnapshotSource {
  /** The flow's state value (`{ customer: 'review' }`) and context. */
  value: unknown;
  context: SessionContext;
}

export interface UiSnapshotInput {
  session: SnapshotSource;
  config: KioskConfig;
  /** The consent screen's policy text in a language; asked only on the consent screen. */
  policy: (language: string) => PolicyNotice | null;
  demo: boolean;
  /** The review still as a data URL once it is ready (asked only on the review screen). */
  reviewPhoto: string | null;
  seq: number;
}

/**
 * What the screen may see of the session, and nothing more: no session, order or still id, no
 * paths; the receipt code only where it is shown, the policy only on consent, the photo only on
 * review.
 */
export function toUiSnapshot(input: UiSnapshotInput): UiSnapshot {
  const { session, config, demo, seq } = input;
  const context = session.context;
  const state = stateName(session.value);
  const { screen, busy } = screenFor(state);
  const notice = screen === 'consent' ? input.policy(context.language) : null;
  return {
    seq,
    screen,
    state,
    busy,
    language: context.language,
    languages: [...config.languages.enabled],
    unitName: config.unit.name,
    currency: config.currency,
    documents: [...config.documents],
    products: config.products.map((p) => ({
      id: p.id,
      price: p.price,
      prints: p.prints,
      photosPerSheet: p.photosPerSheet,
      digital: p.digital,
    })),
    choice: { documentId: context.documentId, productId: context.productId, price: context.price },
    credit: context.credit,
    payment: {
      coins: [...config.money.coins],
      bills: [...config.money.bills],
      noChangeGiven: config.money.noChangeGiven,
    },
    consent: notice
      ? {
          text: notice.text,
          version: notice.version,
          changed: notice.changedAt !== null,
          guardianNotice: notice.guardianNotice,
        }
      : null,
    coach: {
      ready: context.coach.ready,
      hint: context.coach.hint,
      checks: { ...context.coach.checks },
      manualCaptureOffered: context.manualCaptureOffered,
    },
    countdownMs: config.timeouts.countdownMs,
    review:
      screen === 'review' && context.review
        ? {
            verdict: context.review.verdict,
            checks: (
              context.review.checks ?? context.review.failed.map((id) => ({ id, pass: false, message: '' }))
            ).map((c) => ({ id: c.id, pass: c.pass, message: c.message })),
            photo: input.reviewPhoto,
          }
        : null,
    retakesLeft: context.retakesLeft,
    receiptCode: screen === 'thankYou' || screen === 'printOwed' ? context.receiptCode : null,
    printing:
      screen === 'printing' ? { printed: context.printedSheets, total: context.sheetIds.length } : null,
    fault:
      screen === 'error' && context.fault ? { state: context.fault.state, code: context.fault.code } : null,
    outOfServiceReason:
      screen === 'outOfService' || screen === 'unavailable' ? context.outOfServiceReason : null,
    demo,
    stillThereMs: config.timeouts.stillThereMs,
    retentionDays: config.retention.days,
  };
}

/** Two snapshots show the same thing (everything but `seq` equal). */
export function sameSnapshot(a: UiSnapshot, b: UiSnapshot): boolean {
  return JSON.stringify({ ...a, seq: 0 }) === JSON.stringify({ ...b, seq: 0 });
}
