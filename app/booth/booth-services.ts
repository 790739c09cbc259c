import { randomUUID } from 'node:crypto';
import type { Clock } from '../../core/clock.ts';
import { offeredProducts, type BoothConfig } from '../../config/schema.ts';
import { contactReasons, type ContactReason, type Outbox } from '../services/outbox/outbox.ts';
import { OutboxError } from '../services/outbox/outbox-error.ts';
import type { SessionServices } from '../../flows/session/services.ts';
import type { SessionOutcome } from '../../flows/session/context.ts';
import type { CreditJournal } from '../money/credit-journal.ts';
import type { Logger } from '../logging/logger.ts';
import type { PhotoStore, SessionKeep } from '../services/photo-store/photo-store.ts';
import type { PoseCoach, StillChecker } from '../services/vision/pose-coach.ts';
import type { PhotoProducer } from '../services/production/photo-producer.ts';
import type { ProducedIdPhoto } from '../services/production/id-photo-producer.ts';
import type { BoothDevices } from './booth-devices.ts';
import { deviceHealth, type HealthSource } from './device-health.ts';
import { runLiveCoaching } from './live-coaching.ts';
import { newReceiptCode } from '../../core/receipt-code.ts';
import { printSheetWithRetries, PrintsOwedError } from './sheet-printing.ts';
import { BoothServiceError } from './booth-service-error.ts';
import { faultCode, type CoachUpdate } from '../../flows/session/services.ts';
import type { LiveFrame } from '../../hardware/camera/camera-port.ts';
import type { MoneyBack, MoneyHandedBack } from './money-back.ts';
import { crashPoint } from '../../core/crash-point.ts';

export interface BoothServiceDeps {
  config: BoothConfig;
  devices: BoothDevices;
  journal: CreditJournal;
  /** Gives the credit a session leaves back per the unit's policy (coins, voucher, carry, keep). */
  moneyBack: MoneyBack;
  photos: PhotoStore;
  /** A fresh coach for one session's live view, for the chosen document. */
  newCoach: (documentId: string, camera: { stillWidth?: number }) => PoseCoach;
  stillChecker: StillChecker;
  /** Makes the document's photos from a still, and says whether every rule of the document holds. */
  producer: PhotoProducer;
  clock: Clock;
  logger: Logger;
  /** The booth's backdrop and lamps, as a health status (absent when not watched). */
  environment?: HealthSource;
  /** Repeated payment faults, as a health status (see PaymentFaultWatch). */
  paymentFaults?: HealthSource;
  /** Free space for the journal and the vault, as a health status (see StorageWatch). */
  storage?: HealthSource;
  hours?: HealthSource;
  /** The booth's end of service: no money taken from `closed` on. */
  endOfService?: HealthSource;
  /** Where consent is recorded (policy version, time, language; no identity). */
  consents?: { record(sessionId: string, language: string): void };
  /** Told when a session ends, with what the session did (for the simulator and diagnostics). */
  onSessionEnd?: (summary: SessionSummary) => void;
  /** Each live frame the coach analysed, with what it found (the screen's live view). */
  onLiveFrame?: (frame: LiveFrame, update: CoachUpdate) => void;
  /** Where an email the customer asked for goes (sealed, sent in the background); absent: none is sent. */
  outbox?: CustomerOutbox;
}

/** What the session asks of the outbox: the digital file, and a contact request. */
export type CustomerOutbox = Pick<Outbox, 'requestDigitalCopy' | 'requestContact'>;

export interface SessionSummary {
  sessionId: string | null;
  outcome: SessionOutcome;
  fault: { state: string; code: string } | null;
  sheetsPrinted: number;
  /** The rule (or check) ids each refused photo failed, one entry per rule per refusal. */
  refusedRules: string[];
}

/** The session flow's services, over this booth's devices, journal, store and engines. */
export function createBoothServices(
  deps: BoothServiceDeps,
): SessionServices & { currentSession(): string | null } {
  const { config, devices, journal, photos, clock, logger } = deps;
  const product = (id: string) => {
    const found = config.products.find((p) => p.id === id);
    if (!found) throw new BoothServiceError('unknown-product', `unknown product "${id}"`);
    return found;
  };
  const fewestPrints = Math.min(...offeredProducts(config).map((p) => p.prints));
  const outbox = (): CustomerOutbox => {
    if (!deps.outbox) throw new OutboxError('mail-not-configured', 'this booth sends no email');
    return deps.outbox;
  };
  let current: string | null = null;
  // What each open session bought and printed, for printing and for its summary.
  const productBySession = new Map<string, string>();
  const printedBySession = new Map<string, number>();
  // The photos made from the session's latest still that passed review, in the vault until printing.
  const madeBySession = new Map<string, { stillId: string; sheetIds: string[] }>();
  // What sent each open session's photos back (check or rule ids), for the operator's counters.
  const refusedBySession = new Map<string, string[]>();
  const refused = (sessionId: string, ids: readonly string[]) =>
    refusedBySession.set(sessionId, [...(refusedBySession.get(sessionId) ?? []), ...ids]);

  /** Makes the photos from a still and keeps them in the session's vault compartment. */
  const make = async (sessionId: string, stillId: string, documentId: string): Promise<ProducedIdPhoto> => {
    const chosen = product(productBySession.get(sessionId) ?? '');
    const still = await photos.get(stillId);
    const made = await deps.producer.produce(still, documentId, { copies: chosen.photosPerSheet });
    if (made.files) {
      const sheetIds: string[] = [];
      for (const sheet of made.files.sheets) sheetIds.push(await photos.put(sessionId, 'print-sheet', sheet));
      if (chosen.digital) await photos.put(sessionId, 'digital-file', made.files.digital);
      madeBySession.set(sessionId, { stillId, sheetIds });
    }
    return made;
  };

  type Ending = Parameters<SessionServices['endSession']>[0];
  // Sessions whose ending failed part-way, by session id; retried by the device check.
  const unfinished = new Map<string, Ending>();
  let closingBooks: Promise<string | null> | null = null;

  /**
   * Closes a session's books and its vault compartment. Safe to run again after it failed
   * part-way: an order already settled is not reversed twice.
   */
  const finish = async ({
    sessionId,
    orderId,
    outcome,
    fault,
  }: Ending): Promise<{ credit: number; handedBack: MoneyHandedBack | null }> => {
    // The order was paid but not delivered: the customer keeps the money as credit.
    if (orderId && journal.openOrders().some((o) => o.id === orderId)) {
      journal.reverseOrder(orderId, fault ? `${fault.state}:${fault.code}` : outcome);
      crashPoint('during-ending');
    }
    const settled = sessionId ? await deps.moneyBack.settle(sessionId) : null;
    const sheetsPrinted = sessionId ? (printedBySession.get(sessionId) ?? 0) : 0;
    const refusedRules = sessionId ? (refusedBySession.get(sessionId) ?? []) : [];
    if (sessionId) {
      refusedBySession.delete(sessionId);
      printedBySession.delete(sessionId);
      productBySession.delete(sessionId);
      madeBySession.delete(sessionId);
      await photos.endSession(sessionId, keepAfter(outcome, config));
    }
    logger.info(
      {
        sessionId,
        outcome,
        fault,
        leftover: settled?.amount ?? 0,
        policy: config.money.unusedCredit,
        paidOut: settled?.paidOut ?? 0,
        voucher: settled?.voucher?.amount ?? 0,
        sheetsPrinted,
      },
      'session ended',
    );
    current = null;
    deps.onSessionEnd?.({ sessionId, outcome, fault, sheetsPrinted, refusedRules });
    return { credit: journal.balance(), handedBack: settled && settled.amount > 0 ? settled : null };
  };

  /** Retries the endings a full disk cut off; returns why the books are still open, or null. */
  const closeUnfinished = async (): Promise<string | null> => {
    for (const [sessionId, ending] of unfinished) {
      try {
        // A payout whose count could not be written is counted first: its coins are out.
        await deps.moneyBack.recoverPayouts();
        await finish(ending);
      } catch (error) {
        return `journal:${faultCode(error)}`;
      }
      unfinished.delete(sessionId);
      logger.warn({ sessionId, orderId: ending.orderId }, 'session closed in the books once it could be');
    }
    return null;
  };

  return {
    currentSession: () => current,

    // Prints owed to earlier customers come out first, so they are reserved from the media left.
    checkDevices: async ({ productId }) => {
      // Between customers: vouchers whose last day has passed are journaled as expired. A write
      // that fails here (a full disk) fails again where it matters, below.
      try {
        deps.moneyBack.expireDue();
      } catch (error) {
        logger.warn({ code: faultCode(error) }, 'vouchers past their last day could not be expired yet');
      }
      // A session whose books could not be closed (a full disk) keeps the booth closed until
      // they are: its paid order goes back to credit the moment there is room again.
      if (unfinished.size > 0) {
        // One closing at a time: a second check while coins drop must not count or pay twice.
        closingBooks ??= closeUnfinished().finally(() => (closingBooks = null));
        const reason = await closingBooks;
        if (reason) return { ok: false, reason };
      }
      return deviceHealth(
        devices,
        (productId ? product(productId).prints : fewestPrints) + journal.owedPrintCount(),
        {
          environment: deps.environment,
          paymentFaults: deps.paymentFaults,
          storage: deps.storage,
          hours: deps.hours,
          endOfService: deps.endOfService,
        },
      );
    },

    openSession: async ({ language }) => {
      const sessionId = randomUUID();
      const receiptCode = newReceiptCode();
      // The compartment comes first: if the vault cannot take a session, nothing is captured.
      await photos.beginSession(sessionId, { receiptCode });
      deps.consents?.record(sessionId, language);
      current = sessionId;
      logger.info({ sessionId }, 'session opened');
      return { sessionId, receiptCode, credit: journal.balance() };
    },

    setAcceptance: (enabled) => devices.payment.setAcceptance(enabled),
    stackEscrow: (ref) => devices.payment.stackEscrow(ref),
    returnEscrow: (ref) => devices.payment.returnEscrow(ref),

    placeOrder: async ({ sessionId, productId, price }) => {
      const orderId = randomUUID();
      journal.placeOrder({ sessionId, orderId, productId, price });
      crashPoint('after-order');
      productBySession.set(sessionId, productId);
      return { orderId, credit: journal.balance() };
    },

    coachLiveView: ({ documentId }, report) =>
      runLiveCoaching({
        camera: devices.camera,
        coach: deps.newCoach(documentId, devices.camera),
        clock,
        report: { ...report, frame: deps.onLiveFrame },
      }),

    captureStill: async ({ sessionId }) => {
      const still = await devices.camera.captureStill();
      return { stillId: await photos.put(sessionId, 'still', still.data) };
    },

    // Review: the still's face checks, then the document's photo made from it. A still whose
    // photo cannot meet a rule (the head too near an edge, the backdrop the wrong colour) fails
    // review with that rule, so the customer retakes instead of paying for a refused photo.
    checkStill: async ({ sessionId, stillId, documentId }) =>
      clock.track(
        (async () => {
          const report = await deps.stillChecker.check(await photos.get(stillId), documentId);
          if (report.verdict !== 'pass') {
            refused(sessionId, report.failed);
            return report;
          }
          const made = await make(sessionId, stillId, documentId);
          if (made.report.compliant) return report;
          const failed = made.report.rules.filter((r) => !r.pass);
          refused(
            sessionId,
            failed.map((r) => r.id),
          );
          // Rule ids and numbers only: which rule sent the customer back, never the picture.
          logger.info(
            {
              sessionId,
              spec: documentId,
              failed: failed.map((r) => ({ rule: r.id, measured: r.measured })),
            },
            'photo cannot be made compliant: retake',
          );
          return {
            verdict: 'fail' as const,
            failed: failed.map((r) => r.id),
            checks: [
              ...(report.checks ?? []),
              ...failed.map((r) => ({ id: r.id, pass: false, message: r.message })),
            ],
          };
        })(),
      ),

    producePhotos: async ({ sessionId, stillId, documentId }) => {
      const made = madeBySession.get(sessionId);
      if (made?.stillId === stillId) return { sheetIds: made.sheetIds };
      const again = await clock.track(make(sessionId, stillId, documentId));
      if (!again.report.compliant)
        throw new BoothServiceError(
          'not-compliant',
          `the photo cannot be made: ${again.report.failed?.message ?? 'a rule failed'}`,
        );
      return { sheetIds: madeBySession.get(sessionId)!.sheetIds };
    },

    // Each sheet is retried per config; when the printer still fails, the sheets not yet out are
    // owed (journaled with the paid order) and printed once the printer is back, or the price goes
    // back to credit where the unit is set to refund.
    printSheets: async ({ sessionId, orderId, sheetIds }) => {
      const prints = product(productBySession.get(sessionId) ?? '').prints;
      let printed = 0;
      for (const [i, sheetId] of sheetIds.entries()) {
        const sheet = {
          jobName: `booth-${sessionId.slice(0, 8)}`,
          media: config.production.media,
          copies: prints,
          data: await photos.get(sheetId),
        };
        try {
          const job = printSheetWithRetries(devices.photoPrinter, sheet, config.printing, clock);
          crashPoint('mid-print');
          await job;
        } catch (error) {
          printedBySession.set(sessionId, printed);
          if (config.printing.whenFailed !== 'owe') throw error;
          const owed = sheetIds.slice(i);
          journal.owePrints({
            orderId,
            sessionId,
            sheetIds: owed,
            copies: prints,
            media: config.production.media,
            reason: faultCode(error),
          });
          logger.warn({ sessionId, orderId, cause: faultCode(error), sheets: owed.length }, 'prints owed');
          throw new PrintsOwedError(faultCode(error), owed.length);
        }
        printed += prints;
        crashPoint('after-sheet');
      }
      printedBySession.set(sessionId, printed);
      return { printed };
    },

    deliverOrder: async ({ orderId }) => {
      crashPoint('during-delivery');
      journal.deliverOrder(orderId);
    },

    redeemVoucher: async ({ sessionId, code }) => deps.moneyBack.redeem(code, sessionId),

    // The address goes on to the outbox as it came: never logged here, sealed there.
    requestDigitalCopy: async (input) => {
      await outbox().requestDigitalCopy(input);
    },
    requestContact: async ({ reason, ...input }) => {
      if (!(contactReasons as readonly string[]).includes(reason))
        throw new OutboxError('reason-invalid', `"${reason}" is not one of ${contactReasons.join(', ')}`);
      await outbox().requestContact({ ...input, reason: reason as ContactReason });
    },

    printReceipt: async ({ receiptCode, productId, price }) => {
      if (!devices.receiptPrinter) return;
      await devices.receiptPrinter.printReceipt({
        boothName: config.unit.name,
        at: new Date(clock.now()),
        product: productId,
        amountPaid: price,
        currency: config.currency,
        receiptCode,
        retentionDays: config.retention.days,
      });
    },

    endSession: async (ending) => {
      try {
        return await finish(ending);
      } catch (error) {
        // The order stays paid and the booth goes out of service: staff must hear of it, and the
        // device check retries the ending until it goes through.
        logger.error(
          { err: error, sessionId: ending.sessionId, orderId: ending.orderId },
          'session could not be closed in the books: out of service until it can be',
        );
        if (ending.sessionId) unfinished.set(ending.sessionId, ending);
        current = null;
        throw error;
      }
    },
  };
}

/**
 * What a session leaves in the vault: a delivered photo is kept for reprints until retention
 * runs out (or wiped at once if the unit is set so); anything else has no purpose left.
 */
export function keepAfter(outcome: SessionOutcome, config: BoothConfig): SessionKeep {
  // Owed prints are printed from the vault later: their sheets must stay (until retention).
  if (outcome === 'owed') return 'retain';
  if (outcome === 'completed' && !config.retention.wipeAfterPrint) return 'retain';
  return 'wipe';
}
