import { offeredProducts, type BoothConfig } from '../../../config/schema.ts';
import { contactReasons } from '../../services/outbox/outbox-api.ts';
import type { SessionContext } from '../../../flows/session/context.ts';
import type { BoothView } from '../../../flows/booth/view.ts';
import type { PolicyNotice } from '../../services/vault/privacy-policy.ts';
import type { UiOperator, UiSnapshot } from './kiosk-api.ts';
import type { OperatorContext } from '../../../flows/operator/context.ts';
import { documentGeometry } from './document-geometry.ts';

export interface UiSnapshotInput {
  /** The booth's state as its tags and meta tell it. */
  booth: Pick<BoothView, 'state' | 'screen' | 'outOfServiceReason'>;
  /** Operator mode's context while the operator is in (absent or null otherwise). */
  operator?: OperatorContext | null;
  /** The session's context (a fresh one while the booth is out of service). */
  context: SessionContext;
  config: BoothConfig;
  /** The consent screen's policy text in a language; asked only on the consent screen. */
  policy: (language: string) => PolicyNotice | null;
  demo: boolean;
  /** A simulated coin hopper is there for the staff panel. */
  demoHopper: boolean;
  /** The review still as a data URL once it is ready (asked only on the review screen). */
  reviewPhoto: string | null;
  /** The booth's end of service under way (the closing notice), else absent or null. */
  endOfService?: { phase: 'closing' | 'closed' | 'decommissioned'; closesAt: number | null } | null;
  seq: number;
}

/** Screens that show the receipt code: the end of a session, and wherever money is involved. */
const receiptScreens = new Set<string>([
  'thankYou',
  'printOwed',
  'confirmCancel',
  'error',
  'unavailable',
  'moneyBack',
  // A contact request goes with the code: the form says so.
  'contact',
  'contactSent',
]);

/**
 * What the screen may see of the session, and nothing more: no session, order or still id, no
 * paths; the receipt code only where it is shown, the policy only on consent, the photo only on
 * review.
 */
export function toUiSnapshot(input: UiSnapshotInput): UiSnapshot {
  const { booth, context, config, demo, demoHopper, seq } = input;
  const { state } = booth;
  const screen = booth.screen.screen;
  const held = context.heldNote?.amount ?? 0;
  const atStake = context.credit + held + (context.orderId ? context.price : 0);
  // Closing a session that pays coins back takes a while: the spinner says what it is doing.
  const busy =
    booth.screen.busy === 'ending' && config.money.unusedCredit === 'refund' && atStake > 0
      ? 'paying-back'
      : (booth.screen.busy ?? null);
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
    documentGeometry: documentGeometry(config),
    products: offeredProducts(config).map((p) => ({
      id: p.id,
      price: p.price,
      prints: p.prints,
      photosPerSheet: p.photosPerSheet,
      digital: p.digital,
    })),
    choice: { documentId: context.documentId, productId: context.productId, price: context.price },
    credit: context.credit,
    money: {
      carried: Math.min(context.carriedCredit, context.credit),
      // A placed order's price comes back as credit if the session ends before delivery (the
      // flow clears the order once it is delivered or owed).
      atStake,
      unusedCredit: config.money.unusedCredit,
      contact: config.unit.contact,
      heldNote: held,
      handedBack:
        screen === 'moneyBack' && context.handedBack
          ? {
              amount: context.handedBack.amount,
              paidOut: context.handedBack.paidOut,
              // The code is the voucher: shown on this screen only, with its last day as a date.
              voucher: context.handedBack.voucher && {
                code: context.handedBack.voucher.code,
                amount: context.handedBack.voucher.amount,
                validUntil: new Date(context.handedBack.voucher.expiresAt).toISOString(),
                printed: context.handedBack.voucher.printed,
              },
              carried: context.handedBack.carried,
              kept: context.handedBack.kept,
            }
          : null,
      voucher: {
        redeemed: context.voucherRedeemed,
        error: context.voucherError,
        busy: state.includes('redeeming'),
      },
    },
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
            // The photo is the document's crop only where the checker planned one.
            cropped: context.review.crop !== undefined,
          }
        : null,
    retakesLeft: context.retakesLeft,
    receiptCode: receiptScreens.has(screen) ? context.receiptCode : null,
    printing:
      screen === 'printing' ? { printed: context.printedSheets, total: context.sheetIds.length } : null,
    fault:
      screen === 'error' && context.fault ? { state: context.fault.state, code: context.fault.code } : null,
    outOfServiceReason:
      screen === 'outOfService' || screen === 'unavailable' ? booth.outOfServiceReason : null,
    demo,
    demoHopper,
    stillThereMs: config.timeouts.stillThereMs,
    retentionDays: config.retention.days,
    mail: {
      canSend: config.mail !== null,
      operatorContact: config.mail?.operatorAddress ?? config.unit.contact,
      replyWorkingDays: config.mail?.replyWorkingDays ?? 10,
      reasons: [...contactReasons],
      digitalCopy: context.digitalCopy,
      emailError: context.emailError,
      contactError: context.contactError,
    },
    endOfService: input.endOfService
      ? {
          phase: input.endOfService.phase,
          closesAt:
            input.endOfService.closesAt === null ? null : new Date(input.endOfService.closesAt).toISOString(),
        }
      : null,
    serviceKey: config.operator.serviceKey,
    operator: input.operator ? operatorView(input.operator) : null,
  };
}

/** What the operator's screens show: never a PIN (the context holds none). */
function operatorView(o: OperatorContext): UiOperator {
  return {
    role: o.role,
    refusal: o.refusal,
    maintenance: o.maintenance,
    takings: o.takings,
    zReport: o.zReport,
    paper: o.paper,
    receipt: o.receipt,
    counters: o.counters,
    tests: o.tests,
    prices: o.prices,
    documents: o.documents,
    owed: o.owed,
    service: o.service,
    owedMail: o.owedMail,
    error: o.error,
  };
}

/** Two snapshots show the same thing (everything but `seq` equal). */
export function sameSnapshot(a: UiSnapshot, b: UiSnapshot): boolean {
  return JSON.stringify({ ...a, seq: 0 }) === JSON.stringify({ ...b, seq: 0 });
}
