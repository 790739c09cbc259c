import { performance } from 'node:perf_hooks';
import sharp from 'sharp';
import type { Logger } from '../../logging/logger.ts';
import type { Booth } from '../../booth/booth.ts';
import type { LiveFrame } from '../../../hardware/camera/camera-port.ts';
import type { CoachUpdate } from '../../../flows/session/services.ts';
import type { CustomerEvent } from '../../../flows/session/events.ts';
import type { SimulatedCamera } from '../../../hardware/camera/simulated-camera.ts';
import type { SimulatedPaymentDevice } from '../../../hardware/payment/simulated-payment-device.ts';
import type { SimulatedPhotoPrinter } from '../../../hardware/printer/simulated-photo-printer.ts';
import type { SimulatedReceiptPrinter } from '../../../hardware/receipt/simulated-receipt-printer.ts';
import type { SimulatedHopper } from '../../../hardware/hopper/simulated-hopper.ts';
import { initialContext, type SessionContext } from '../../../flows/session/context.ts';
import { flowSettings } from '../../booth/booth.ts';
import type { PolicyNotice } from '../../services/vault/privacy-policy.ts';
import type { UiEvent, UiFrame, UiSnapshot, UiStaffEvent } from './kiosk-api.ts';
import { isStaffEvent, parseUiEvent } from './ui-event-schema.ts';
import { isOperatorEvent } from '../../../flows/operator/events.ts';
import { sameSnapshot, toUiSnapshot } from './ui-snapshot.ts';
import { reviewCropJpeg } from '../../services/vision/live/review-crop.ts';
import type { ReviewReport } from '../../../flows/session/context.ts';

export interface BoothUiOptions {
  logger: Logger;
  /** Most live frames per second sent to the screen (default 15). */
  maxFps?: number;
  /** Longest edge of the review photo in pixels (default 720). */
  photoEdge?: number;
}

/** The simulators a demo booth runs on; staff events reach only these. */
export interface DemoDevices {
  camera: SimulatedCamera;
  payment: SimulatedPaymentDevice;
  photoPrinter: SimulatedPhotoPrinter;
  receiptPrinter: SimulatedReceiptPrinter | null;
  /** The booth's coin hopper when it is the simulated one (none is configured by default). */
  hopper: SimulatedHopper | null;
}

/**
 * The booth's screen as the main side sees it: follows one Booth (re-attached when the booth is
 * rebuilt on a config reload), turns its session into UiSnapshots (deduplicated, `seq`
 * increasing across booths), relays live frames (throttled, pose and countdown only) and applies
 * the screen's events: customer events to the flow, staff events to the simulators (demo only).
 * The shells (WebSocket, Electron IPC) only carry what this emits.
 */
export class BoothUi {
  readonly #logger: Logger;
  readonly #minFrameGapMs: number;
  readonly #photoEdge: number;
  readonly #snapshotListeners = new Set<(snapshot: UiSnapshot) => void>();
  readonly #frameListeners = new Set<(frame: UiFrame) => void>();
  #booth: Booth | null = null;
  #demo: DemoDevices | null = null;
  #detach: (() => void)[] = [];
  #seq = 0;
  #latest: UiSnapshot | null = null;
  #frameSeq = 0;
  #lastFrameAt = Number.NEGATIVE_INFINITY;
  #photo: { stillId: string; url: string | null } | null = null;
  /** The last customer's language and when their session ended, for the out-of-service screen. */
  #customer: { language: string; endedAt: number | null } | null = null;
  #policy: { language: string; notice: PolicyNotice | null } | null = null;
  /** Events dropped because they were not valid UiEvents, or were staff events on real hardware. */
  ignored = 0;

  constructor(options: BoothUiOptions) {
    this.#logger = options.logger;
    this.#minFrameGapMs = 1000 / (options.maxFps ?? 15);
    this.#photoEdge = options.photoEdge ?? 720;
  }

  /**
   * Follows this booth from now on (the previous one, if any, is let go). `demo`: the simulators
   * behind it, when it runs on them (the staff panel works only then).
   */
  attach(booth: Booth, demo: DemoDevices | null = null): void {
    this.detach();
    this.#booth = booth;
    this.#demo = demo;
    this.#detach.push(
      booth.onChange(() => this.#publish()),
      booth.onLiveFrame((frame, update) => this.#frame(frame, update)),
    );
    this.#publish();
  }

  detach(): void {
    for (const off of this.#detach.splice(0)) off();
    this.#booth = null;
    this.#demo = null;
    this.#photo = null;
    this.#policy = null;
  }

  get latest(): UiSnapshot | null {
    return this.#latest;
  }

  /** Demo mode: the booth runs on simulators, so the staff panel works. */
  get demo(): boolean {
    return this.#demo !== null;
  }

  /** The latest snapshot at once (when there is one), then every change. */
  onSnapshot(listener: (snapshot: UiSnapshot) => void): () => void {
    this.#snapshotListeners.add(listener);
    if (this.#latest) listener(this.#latest);
    return () => void this.#snapshotListeners.delete(listener);
  }

  onFrame(listener: (frame: UiFrame) => void): () => void {
    this.#frameListeners.add(listener);
    return () => void this.#frameListeners.delete(listener);
  }

  /** An event from the screen, unvalidated. Returns whether it was applied. */
  handle(raw: unknown): boolean {
    const event = parseUiEvent(raw);
    if (!event) return this.ignore('invalid');
    return this.apply(event);
  }

  /**
   * A validated event: customer events go to the flow, operator events to operator mode (and
   * each only there: a customer event in operator mode, or an operator event outside it, is
   * refused), staff events to the simulators (demo only).
   */
  apply(event: UiEvent): boolean {
    const booth = this.#booth;
    if (!booth) return this.ignore('no-booth');
    const inOperatorMode = booth.view().operator !== null;
    if (isOperatorEvent(event)) {
      // The entry asks; the flow decides (between customers, no money in).
      if (event.type === 'OPERATOR_ENTER' ? inOperatorMode : !inOperatorMode)
        return this.ignore(
          inOperatorMode ? 'operator-mode-open-already' : 'operator-event-outside-operator-mode',
        );
      booth.sendOperator(event);
      return true;
    }
    if (!isStaffEvent(event)) {
      if (inOperatorMode) return this.ignore('customer-event-in-operator-mode');
      booth.send(event satisfies CustomerEvent);
      return true;
    }
    if (!this.#demo) return this.ignore('staff-event-on-real-hardware');
    try {
      this.#staff(this.#demo, event);
      return true;
    } catch (error) {
      this.#logger.warn({ type: event.type, reason: (error as Error).message }, 'staff event failed');
      return false;
    }
  }

  #staff(sims: DemoDevices, event: UiStaffEvent): void {
    switch (event.type) {
      case 'STAFF_INSERT': {
        const result =
          event.kind === 'coin' ? sims.payment.insertCoin(event.value) : sims.payment.insertBill(event.value);
        this.#logger.info({ kind: event.kind, value: event.value, result }, 'staff: money inserted');
        return;
      }
      case 'STAFF_FAULT': {
        const device = sims[event.device];
        if (!device) throw new Error(`no simulated ${event.device}`);
        device.injectFault(event.fault);
        this.#logger.info({ device: event.device, fault: event.fault }, 'staff: fault injected');
        return;
      }
      case 'STAFF_CLEAR_FAULTS':
        for (const device of [sims.camera, sims.payment, sims.photoPrinter, sims.receiptPrinter, sims.hopper])
          device?.clearFault();
        this.#logger.info('staff: faults cleared');
        return;
      case 'STAFF_REFILL_PRINTER':
        sims.photoPrinter.refill();
        this.#logger.info('staff: photo printer refilled');
        return;
      case 'STAFF_NEXT_PERSON':
        sims.camera
          .usePortrait(sims.camera.portrait + 1)
          .catch((error: Error) => this.#logger.warn({ reason: error.message }, 'staff: next person failed'));
        this.#logger.info('staff: next person in front of the camera');
        return;
    }
  }

  /** Counts a dropped message or event and logs why at debug level (never the payload). */
  ignore(reason: string): false {
    this.ignored++;
    // Never the payload: it is untrusted and could be large or personal.
    this.#logger.debug({ reason, ignored: this.ignored }, 'ui event ignored');
    return false;
  }

  #publish(): void {
    const booth = this.#booth;
    if (!booth) return;
    const view = booth.view();
    const flowContext = view.session?.context ?? initialContext(flowSettings(booth.config));
    // A customer's session is open while it has an id; between customers the context is fresh.
    if (flowContext.sessionId) this.#customer = { language: flowContext.language, endedAt: null };
    const context = flowContext.sessionId ? flowContext : this.#afterSession(view.screen.screen, flowContext);
    const next = toUiSnapshot({
      booth: view,
      operator: view.operator?.context ?? null,
      context,
      config: booth.config,
      policy: (language) => this.#notice(booth, language),
      demo: this.demo,
      demoHopper: this.#demo?.hopper != null,
      reviewPhoto: null,
      endOfService: booth.endOfService(),
      seq: this.#seq + 1,
    });
    // Personal data is held only while its screen shows.
    if (next.screen !== 'consent') this.#policy = null;
    const stillId = next.screen === 'review' ? context.stillId : null;
    if (!stillId) this.#photo = null;
    else if (this.#photo?.stillId !== stillId) this.#loadPhoto(booth, stillId, context.review);
    else if (next.review) next.review.photo = this.#photo.url;
    if (this.#latest && sameSnapshot(this.#latest, next)) return;
    this.#seq = next.seq;
    this.#latest = next;
    for (const listener of this.#snapshotListeners) {
      try {
        listener(next);
      } catch (error) {
        this.#logger.warn({ err: error }, 'snapshot listener failed');
      }
    }
  }

  /**
   * The context shown with no session: a fresh one, but in the language of the customer whose
   * session just ended where the booth went out of service under them (a printer jam), so they
   * read why in their own language. It lasts the inactivity time, then the default comes back.
   */
  #afterSession(screen: string, fresh: SessionContext): SessionContext {
    const customer = this.#customer;
    // Not cleared at attract: the booth passes through attract on its way out of service.
    if (!customer) return fresh;
    customer.endedAt ??= performance.now();
    const recent = performance.now() - customer.endedAt < fresh.settings.timeouts.inactivityMs;
    const shown = (screen === 'outOfService' || screen === 'unavailable') && recent;
    return shown ? { ...fresh, language: customer.language } : fresh;
  }

  #notice(booth: Booth, language: string): PolicyNotice | null {
    if (this.#policy?.language !== language)
      this.#policy = { language, notice: booth.policyNotice(language) };
    return this.#policy.notice;
  }

  #loadPhoto(booth: Booth, stillId: string, review: ReviewReport | null): void {
    const entry: { stillId: string; url: string | null } = { stillId, url: null };
    this.#photo = entry;
    (async () => {
      try {
        const still = await booth.photos.get(stillId);
        // The photo that will print, where the checker planned its crop; else the whole still.
        const jpeg =
          review?.crop && review.image
            ? await reviewCropJpeg(still, review.crop, review.image, this.#photoEdge)
            : await sharp(still)
                .rotate()
                .resize({
                  width: this.#photoEdge,
                  height: this.#photoEdge,
                  fit: 'inside',
                  withoutEnlargement: true,
                })
                .jpeg({ quality: 82 })
                .toBuffer();
        entry.url = `data:image/jpeg;base64,${jpeg.toString('base64')}`;
        if (this.#photo === entry && this.#booth === booth) this.#publish();
      } catch (error) {
        this.#logger.warn({ code: (error as { code?: string }).code ?? 'error' }, 'review photo unavailable');
      }
    })().catch(() => {}); // its own failures are logged inside
  }

  #frame(frame: LiveFrame, update: CoachUpdate): void {
    const screen = this.#latest?.screen;
    if (screen !== 'pose' && screen !== 'countdown') return;
    if (this.#frameListeners.size === 0) return;
    const now = performance.now();
    if (now - this.#lastFrameAt < this.#minFrameGapMs) return;
    this.#lastFrameAt = now;
    const box = update.face?.box;
    const ui: UiFrame = {
      seq: ++this.#frameSeq,
      width: frame.width,
      height: frame.height,
      jpeg: `data:image/jpeg;base64,${frame.data.toString('base64')}`,
      face: box ? { x: box[0], y: box[1], width: box[2], height: box[3] } : null,
    };
    for (const listener of this.#frameListeners) {
      try {
        listener(ui);
      } catch (error) {
        this.#logger.warn({ err: error }, 'frame listener failed');
      }
    }
  }
}
