/**
 * The booth's production step: a captured still in, the document's print sheets and digital
 * file out, with the report that says whether every rule of the document holds.
 */
import type { BoothConfig } from '../../../config/schema.ts';
import { DocumentCatalogue } from '../../../config/documents/document-catalogue.ts';
import { IdPhotoProducer, type ProducedIdPhoto, type ProductionEngine } from './id-photo-producer.ts';

export interface PhotoProducer {
  /** `copies`: photos the customer gets on paper (laid out on as many sheets as they need). */
  produce(still: Buffer, documentId: string, request: { copies: number }): Promise<ProducedIdPhoto>;
}

/** The real producer for a unit: its documents (operator specs included), printer and backdrop. */
export class BoothPhotoProducer implements PhotoProducer {
  readonly #producer: IdPhotoProducer;
  #catalogue: DocumentCatalogue;
  #config: BoothConfig;

  constructor(engine: ProductionEngine, config: BoothConfig) {
    this.#producer = new IdPhotoProducer(engine);
    this.#catalogue = DocumentCatalogue.withOperatorSpecs(config.documentSpecs);
    this.#config = config;
  }

  /**
   * A new config: new media, dpi or document specs apply from the next photo made (the engine,
   * and the models it loaded, stay). Returns whether anything the producer uses changed.
   */
  reconfigure(config: BoothConfig): boolean {
    const uses = (c: BoothConfig) =>
      JSON.stringify([c.production, c.documentSpecs, c.environment.backdrop.colour]);
    const changed = uses(config) !== uses(this.#config);
    this.#config = config;
    if (changed) this.#catalogue = DocumentCatalogue.withOperatorSpecs(config.documentSpecs);
    return changed;
  }

  produce(still: Buffer, documentId: string, request: { copies: number }): Promise<ProducedIdPhoto> {
    const { production, environment } = this.#config;
    return this.#producer.produce(still, this.#catalogue.get(documentId), {
      copies: request.copies,
      media: production.media,
      dpi: production.dpi,
      cutMarks: production.cutMarks,
      // The booth's own backdrop is the white-balance reference for its own stills.
      physicalBackdrop: environment.backdrop.colour,
    });
  }
}
