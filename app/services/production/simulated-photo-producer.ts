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
   * The first time a still comes, its photos for all of these are started at once, so sharp
   * makes them on the other core while the flow runs, instead of one at a time at each review
   * while simulated time stands still. The same files as made one by one: only sooner.
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
  /** Stills (by content) whose photos were started ahead already. */
  readonly #startedAhead = new Set<string>();

  constructor(options: SimulatedPhotoProducerOptions = {}) {
    this.#ahead = options.makeAhead;
  }

  produce(still: Buffer, documentId: string, request: { copies: number }): Promise<ProducedIdPhoto> {
    const content = createHash('sha256').update(still).digest('hex');
    const made = this.#made.get(`${content}|${documentId}|${request.copies}`);
    if (made) return made;
    const asked = this.#remembered(content, still, documentId, request.copies);
    if (this.#ahead && !this.#startedAhead.has(content) && this.#startedAhead.size < maxRemembered) {
      this.#startedAhead.add(content);
      for (const id of this.#ahead.documents) {
        for (const copies of this.#ahead.copies) {
          // Nobody waits for these yet; whoever asks later gets the promise (and its failure).
          this.#remembered(content, still, id, copies).catch(() => {});
        }
      }
    }
    return asked;
  }

  #remembered(content: string, still: Buffer, documentId: string, copies: number): Promise<ProducedIdPhoto> {
    const key = `${content}|${documentId}|${copies}`;
    let made = this.#made.get(key);
    if (!made) {
      if (this.#made.size >= maxRemembered) this.#made.delete(this.#made.keys().next().value!);
      made = this.#produce(still, documentId, { copies });
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
