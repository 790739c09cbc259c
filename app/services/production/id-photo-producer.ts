/**
 * Makes a document's ID photo from a captured still, and proves it: face analysis of the still,
 * the crown from the person's mask, a crop planned to the spec's rules, one master image at the
 * finer of the print's and the digital file's resolutions with its backdrop treated once, then
 * the print photo, the print sheet and the digital file cut from that master. The print photo is
 * analysed again and every rule is judged on what it measures.
 */
import sharp from 'sharp';
import type { DocumentSpec } from '../../../config/documents/document-spec.ts';
import { digitalAspect } from '../../../config/documents/document-spec.ts';
import type { FaceAnalysis, FaceImage } from '../vision/engine/face-engine.ts';
import { DEFAULT_LIMITS } from '../vision/checks/limits.ts';
import { headLandmarks } from './head-landmarks.ts';
import { planCrop } from './crop-plan.ts';
import { renderCrop, type RawRgb } from './render-crop.ts';
import { maskAroundHead, regionAroundHead, type PersonSegmenter } from './still-mask.ts';
import { treatBackdrop } from './backdrop/treat-backdrop.ts';
import { measureIdPhoto } from './measure-id-photo.ts';
import { rangeRule, type ProductionRule } from './production-rule.ts';
import { encodePrintJpeg, planPrintSheets, renderPrintSheet, type PrintMedia } from './print-sheet.ts';
import { encodeWithinBytes } from './digital-file.ts';
import { boxInOutput, masterFrame, pickDigitalSize, renderMask } from './master-image.ts';
import { cutFromMaster, cutMask } from './cut-from-master.ts';
import { faceCountFailure, sizeRule } from './producer-rules.ts';
import { failedReport, madeReport, type ProducedIdPhoto } from './production-report.ts';
import { ProductionError } from './production-error.ts';

export type { ProducedIdPhoto, ProductionReport } from './production-report.ts';
export { ProductionError, type ProductionErrorCode } from './production-error.ts';

/** What production needs of the face engine. */
export interface ProductionEngine extends PersonSegmenter {
  analyze(image: FaceImage, options: { mode: 'live' | 'still' }): Promise<FaceAnalysis>;
}

export interface ProduceOptions {
  /** Photos on the sheet. */
  readonly copies: number;
  readonly media?: PrintMedia;
  /** Printer resolution: the photo and the sheet are made at exactly this. Default 300. */
  readonly dpi?: number;
  readonly cutMarks?: boolean;
  /** The day printed in the sheet's footer (default: today, local time). */
  readonly date?: Date;
  /** The booth's physical backdrop colour (white balance reference). */
  readonly physicalBackdrop?: string;
}

export class IdPhotoProducer {
  constructor(private readonly engine: ProductionEngine) {}

  async produce(still: Buffer, spec: DocumentSpec, options: ProduceOptions): Promise<ProducedIdPhoto> {
    const dpi = options.dpi ?? 300;
    const media = options.media ?? '4x6';
    const ms: Record<string, number> = {};
    const timed = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
      const t0 = performance.now();
      try {
        return await work();
      } finally {
        ms[name] = Math.round(performance.now() - t0);
      }
    };
    // Fails before any work when not even one photo fits the media.
    const sheetPlans = planPrintSheets(spec.print, options.copies, { media, dpi });

    const analysis = await timed('analyse', () => this.#analyse(still));
    const image = { width: analysis.width, height: analysis.height };
    const faces = analysis.faces.filter((f) => f.box[3] >= 0.25 * (analysis.faces[0]?.box[3] ?? 0));
    if (faces.length !== 1)
      return { report: failedReport(spec, [faceCountFailure(faces.length)], ms), files: null };
    const face = faces[0]!;
    const rough = headLandmarks(face, { crown: spec.head.crown });
    // One segmentation of the still around the head serves the crown and the backdrop: the region
    // reaches far enough to hold the tallest document's frame.
    const region = regionAroundHead(rough.frame.origin, rough.chinV - rough.crownV, image);
    const mask = await timed('segment', () => maskAroundHead(this.engine, still, image, region));
    const head = headLandmarks(face, { crown: spec.head.crown, mask });

    // The master: the print's frame, widened where the digital file is wider, at the finer of the
    // print's and the digital file's resolutions. The plan's geometry does not depend on the
    // output's pixel size, so the first plan sizes the digital file from the still's pixels.
    const cropOptions = {
      minPrintDpi: spec.limits.minPrintDpi ?? DEFAULT_LIMITS.minPrintDpi,
      levelEyes: spec.levelEyes,
      image,
    };
    const frame = masterFrame(spec);
    const first = planCrop(head, frame, { ...cropOptions, outputPx: { width: 100, height: 100 } });
    if (!first.feasible)
      return { report: failedReport(spec, first.rules, ms, head, first, dpi), files: null };
    const digitalSize = pickDigitalSize(
      spec,
      (spec.print.heightMm / 25.4) * dpi,
      first.planned.stillPxPerMm * spec.print.heightMm,
    );
    const pxPerMm = Math.max(dpi / 25.4, digitalSize.height / spec.print.heightMm);
    const plan = planCrop(head, frame, {
      ...cropOptions,
      outputPx: { width: Math.round(frame.widthMm * pxPerMm), height: Math.round(frame.heightMm * pxPerMm) },
    });

    const masterRgb = await timed('render', () => renderCrop(still, plan, image));
    const masterAlpha = renderMask(mask, plan);
    const treated = await timed('backdrop', async () =>
      treatBackdrop(masterRgb, masterAlpha, spec.background, {
        physicalBackdrop: options.physicalBackdrop,
        faceBox: boxInOutput(face.box, plan),
      }),
    );

    const printPx = {
      width: Math.round((spec.print.widthMm / 25.4) * dpi),
      height: Math.round((spec.print.heightMm / 25.4) * dpi),
    };
    const cut = (raw: RawRgb, widthMm: number, size: { width: number; height: number }) =>
      cutFromMaster(raw, (widthMm / frame.widthMm) * raw.width, size);
    const printRgb = await cut(treated.image, spec.print.widthMm, printPx);
    const printAlpha = await cutMask(
      masterAlpha,
      (spec.print.widthMm / frame.widthMm) * masterAlpha.width,
      printPx,
    );

    // Measuring runs in the engine's worker while the files are encoded here.
    const measuring = timed('measure', async () => {
      const again = await this.engine.analyze(
        { rgb: printRgb.data, width: printRgb.width, height: printRgb.height },
        { mode: 'still' },
      );
      return measureIdPhoto(printRgb, printAlpha, again.faces, spec);
    });
    const photo = await timed('encodePhoto', () =>
      encodePrintJpeg(
        sharp(printRgb.data, { raw: { width: printPx.width, height: printPx.height, channels: 3 } }),
        dpi,
      ),
    );
    const digitalRgb = await cut(treated.image, spec.print.heightMm * digitalAspect(spec), digitalSize);
    const date = localDate(options.date ?? new Date());
    const [digital, sheets] = await Promise.all([
      timed('digital', () => encodeWithinBytes({ ...digitalRgb, channels: 3 }, spec.digital.bytes)),
      timed('sheet', () =>
        Promise.all(
          sheetPlans.map((sheetPlan) =>
            renderPrintSheet(photo, sheetPlan, {
              cutMarks: options.cutMarks ?? true,
              footerText: `${spec.name} · ${date}`,
            }),
          ),
        ),
      ),
    ]);
    const measured = await measuring;

    const rules: ProductionRule[] = [
      ...measured.rules,
      ...plan.rules.filter((r) => r.id === 'crop.inside' || r.id === 'resolution'),
      // Sizes are read back from the encoded files, not from what was asked of the encoder.
      sizeRule('photo.size', await sharp(photo).metadata(), {
        width: { min: printPx.width, max: printPx.width },
        height: { min: printPx.height, max: printPx.height },
      }),
      sizeRule('digital.size', await sharp(digital.jpeg).metadata(), {
        width: spec.digital.widthPx,
        height: spec.digital.heightPx,
      }),
      rangeRule('digital.bytes', digital.bytes, 'bytes', spec.digital.bytes),
    ];
    const report = madeReport({
      spec,
      media,
      dpi,
      printPx,
      head,
      plan,
      backdrop: treated,
      measures: measured.measures,
      digital: {
        width: digitalRgb.width,
        height: digitalRgb.height,
        bytes: digital.bytes,
        quality: digital.quality,
      },
      sheetPlans,
      rules,
      ms,
    });
    return { report, files: report.compliant ? { photo, sheets, digital: digital.jpeg } : null };
  }

  async #analyse(still: Buffer): Promise<FaceAnalysis> {
    try {
      return await this.engine.analyze({ data: still }, { mode: 'still' });
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'image-corrupt' || code === 'image-invalid')
        throw new ProductionError('image-corrupt', `the still cannot be read: ${(error as Error).message}`);
      throw error;
    }
  }
}

/** YYYY-MM-DD in the booth's local time (the day the customer sees on the sheet). */
function localDate(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}
