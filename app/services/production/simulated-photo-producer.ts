/**
 * A stand-in for the production step in simulated sessions (`kiosk simulate`, flow tests), where
 * no face engine runs: it cuts the still to the document's print size around its most salient
 * region and lays the copies out with the real print sheet. Its report says `simulated`, it
 * checks no rule, and the booth never uses it for a customer (`kiosk start` always produces
 * with `BoothPhotoProducer`).
 */
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { DocumentCatalogue } from '../../../config/documents/document-catalogue.ts';
import type { ProducedIdPhoto } from './id-photo-producer.ts';
import type { PhotoProducer } from './photo-producer.ts';
import { encodePrintJpeg, mmToPx, planPrintSheets, renderPrintSheet } from './print-sheet.ts';

/** Stills remembered at most (oldest forgotten first). */
const maxRemembered = 64;

export interface SimulatedPhotoProducerOptions {
  /**
   * What the sessions will ask for (the booth's documents, and its products' photos per sheet).
   * The first time a still comes, its photos for all of these are queued, so sharp makes them
   * on the other core while the flow runs, instead of one at a time at each review while
   * simulated time stands still. The same files as made one by one: only sooner. They are made
   * one at a time and one that is asked for jumps the queue: started all at once, they would
   * share sharp's threads and the first customer would wait for all of them.
   */
  makeAhead?: { documents: readonly string[]; copies: readonly number[] };
}

export class SimulatedPhotoProducer implements PhotoProducer {
  readonly #catalogue = DocumentCatalogue.builtIn();
  /**
   * What was made from a still, by its content, document and copies (a few entries: the
   * simulated camera shoots the same demo portraits session after session, and a stand-in that
   * checks no rule would make the same files again). A soak of thousands of sessions spends its
   * time on the flow, not on sharp. Only simulated sessions come here: no customer's photo.
   */
  readonly #made = new Map<string, Promise<ProducedIdPhoto>>();
  readonly #ahead: SimulatedPhotoProducerOptions['makeAhead'];
  /** Stills (by content) whose photos were queued ahead already. */
  readonly #startedAhead = new Set<string>();
  /** Photos queued ahead and not started yet, by key, in the order they were queued. */
  readonly #queued = new Map<string, () => Promise<ProducedIdPhoto>>();
  #aheadRunning = false;

  constructor(options: SimulatedPhotoProducerOptions = {}) {
    this.#ahead = options.makeAhead;
  }

  produce(still: Buffer, documentId: string, request: { copies: number }): Promise<ProducedIdPhoto> {
    const content = createHash('sha256').update(still).digest('hex');
    const key = `${content}|${documentId}|${request.copies}`;
    const made = this.#made.get(key);
    if (made) return made;
    const start = this.#queued.get(key);
    if (start) {
      this.#queued.delete(key);
      return start();
    }
    const asked = this.#remembered(key, () => this.#produce(still, documentId, request));
    if (this.#ahead && !this.#startedAhead.has(content) && this.#startedAhead.size < maxRemembered) {
      this.#startedAhead.add(content);
      for (const id of this.#ahead.documents) {
        for (const copies of this.#ahead.copies) {
          const aheadKey = `${content}|${id}|${copies}`;
          if (aheadKey === key || this.#queued.has(aheadKey)) continue;
          this.#queued.set(aheadKey, () =>
            this.#remembered(aheadKey, () => this.#produce(still, id, { copies })),
          );
        }
      }
      // Nobody waits for these yet: the queue starts once the asked one is made.
      asked.then(
        () => this.#makeAhead(),
        () => this.#makeAhead(),
      );
    }
    return asked;
  }

  /** Makes the queued photos one after the other; whoever asks later gets the promise (and its failure). */
  async #makeAhead(): Promise<void> {
    if (this.#aheadRunning) return;
    this.#aheadRunning = true;
    try {
      for (const [key, start] of this.#queued) {
        this.#queued.delete(key);
        await start().catch(() => {});
      }
    } finally {
      this.#aheadRunning = false;
    }
  }

  #remembered(key: string, make: () => Promise<ProducedIdPhoto>): Promise<ProducedIdPhoto> {
    let made = this.#made.get(key);
    if (!made) {
      if (this.#made.size >= maxRemembered) this.#made.delete(this.#made.keys().next().value!);
      made = make();
      this.#made.set(key, made);
      made.catch(() => this.#made.delete(key));
    }
    return made;
  }

  async #produce(still: Buffer, documentId: string, request: { copies: number }): Promise<ProducedIdPhoto> {
    const spec = this.#catalogue.get(documentId);
    const dpi = 300;
    const width = mmToPx(spec.print.widthMm, dpi);
    const height = mmToPx(spec.print.heightMm, dpi);
    const photo = await encodePrintJpeg(
      sharp(still, { failOn: 'error' })
        .autoOrient()
        .resize(width, height, { fit: 'cover', position: sharp.strategy.attention }),
      dpi,
    );
    const plans = planPrintSheets(spec.print, request.copies, { dpi });
    // Sheets planned alike (8 copies as two sheets of 4) are the same file: rendered once.
    const rendered = new Map<string, Promise<Buffer>>();
    const sheets = await Promise.all(
      plans.map((plan) => {
        const layout = JSON.stringify(plan);
        let sheet = rendered.get(layout);
        if (!sheet) {
          sheet = renderPrintSheet(photo, plan, { footerText: `${spec.name} (simulated)` });
          rendered.set(layout, sheet);
        }
        return sheet;
      }),
    );
    return {
      report: {
        spec: spec.id,
        document: spec.name,
        compliant: true,
        simulated: true,
        failed: null,
        photo: { widthPx: width, heightPx: height, dpi },
        headHeightMm: null,
        eyeLineFromBottomMm: null,
        topMarginMm: null,
        offCentreMm: null,
        rotationDeg: null,
        scale: null,
        crown: null,
        eyeLine: null,
        background: null,
        digital: null,
        sheets: plans.map((p) => ({
          media: p.media,
          copies: p.placements.length,
          widthPx: p.width,
          heightPx: p.height,
        })),
        rules: [],
        ms: {},
      },
      files: { photo, sheets, digital: photo },
    };
  }
}
