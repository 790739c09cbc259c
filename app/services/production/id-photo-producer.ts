/**
 * Makes a document's ID photo from a captured still, and proves it: face analysis of the still,
 * the crown from the person's mask, a crop planned to the spec's rules, one master image at the
 * finer of the print's and the digital file's resolutions with its backdrop treated once, then
 * the print photo, the print sheet and the digital file cut from that master. The print photo is
 * analysed again and every rule is judged on what it measures.
 */
import sharp from 'sharp';
import { BoothError, type ProductionCode } from '../../../core/errors.ts';
import type { DocumentSpec } from '../../../config/documents/document-spec.ts';
import { digitalAspect, digitalSizes } from '../../../config/documents/document-spec.ts';
import type { FaceAnalysis, FaceImage } from '../vision/engine/face-engine.ts';
import { DEFAULT_LIMITS } from '../vision/checks/limits.ts';
import { headLandmarks, type HeadLandmarks, type MaskSampler } from './head-landmarks.ts';
import { planCrop, printFrame, type CropPlan } from './crop-plan.ts';
import { renderCrop, type RawRgb } from './render-crop.ts';
import { maskAroundHead, regionAroundHead, type PersonSegmenter } from './still-mask.ts';
import { treatBackdrop, type BackdropOutcome } from './backdrop/treat-backdrop.ts';
import { measureIdPhoto, type PhotoMeasures } from './measure-id-photo.ts';
import { rangeRule, type ProductionRule } from './production-rule.ts';
import { encodePrintJpeg, planPrintSheets, renderPrintSheet, type PrintMedia } from './print-sheet.ts';
import { encodeWithinBytes } from './digital-file.ts';

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

export interface ProductionReport {
  readonly spec: string;
  readonly document: string;
  /** Every rule passed: the files can be handed over. */
  readonly compliant: boolean;
  /** Made by the simulation's stand-in, which checks no rule. */
  readonly simulated?: true;
  /** The first failing rule, for the retake hint or the error. */
  readonly failed: ProductionRule | null;
  readonly photo: { readonly widthPx: number; readonly heightPx: number; readonly dpi: number } | null;
  readonly headHeightMm: number | null;
  readonly eyeLineFromBottomMm: number | null;
  readonly topMarginMm: number | null;
  readonly offCentreMm: number | null;
  readonly rotationDeg: number | null;
  /** Print pixels per still pixel. */
  readonly scale: number | null;
  readonly crown: {
    readonly measure: DocumentSpec['head']['crown'];
    readonly source: HeadLandmarks['crownSource'];
  } | null;
  readonly eyeLine: HeadLandmarks['eyeSource'] | null;
  readonly background: {
    readonly mode: BackdropOutcome['mode'];
    readonly plain: boolean;
    readonly colour: string | null;
    readonly measured: PhotoMeasures['background'];
  } | null;
  readonly digital: {
    readonly widthPx: number;
    readonly heightPx: number;
    readonly bytes: number;
    readonly quality: number;
  } | null;
  /** One entry per sheet: copies that do not fit one sheet go on more. */
  readonly sheets: ReadonlyArray<{
    readonly media: PrintMedia;
    readonly copies: number;
    readonly widthPx: number;
    readonly heightPx: number;
  }>;
  readonly rules: readonly ProductionRule[];
  readonly ms: Readonly<Record<string, number>>;
}

export interface ProducedIdPhoto {
  readonly report: ProductionReport;
  /** Present when compliant. */
  readonly files: {
    readonly photo: Buffer;
    readonly sheets: readonly Buffer[];
    readonly digital: Buffer;
  } | null;
}

export type ProductionErrorCode = Extract<ProductionCode, 'image-corrupt' | 'production-failed'>;

export class ProductionError extends BoothError<ProductionErrorCode> {
  constructor(code: ProductionErrorCode, message: string) {
    super(code, message);
    this.name = 'ProductionError';
  }
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
    if (faces.length !== 1) {
      const rule: ProductionRule = {
        id: 'face.single',
        pass: false,
        measured: faces.length,
        unit: 'faces',
        min: 1,
        max: 1,
        message: faces.length
          ? `${faces.length} faces in the still; only one person may be in the photo`
          : 'No face in the still',
      };
      return { report: failedReport(spec, [rule], ms), files: null };
    }
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
    const failed = rules.find((r) => !r.pass) ?? null;
    const m = measured.measures;
    const report: ProductionReport = {
      spec: spec.id,
      document: spec.name,
      compliant: failed === null,
      failed,
      photo: { widthPx: printPx.width, heightPx: printPx.height, dpi },
      headHeightMm: m ? round(m.headHeightMm) : null,
      eyeLineFromBottomMm: m ? round(m.eyeLineMm) : null,
      topMarginMm: m ? round(m.topMarginMm) : null,
      offCentreMm: m ? round(m.offCentreMm) : null,
      rotationDeg: round(plan.rotationDeg),
      scale: round(dpi / 25.4 / plan.planned.stillPxPerMm, 4),
      crown: { measure: spec.head.crown, source: head.crownSource },
      eyeLine: head.eyeSource,
      background: {
        mode: treated.mode,
        plain: treated.plain,
        colour: treated.colour,
        measured: m?.background ?? null,
      },
      digital: {
        widthPx: digitalRgb.width,
        heightPx: digitalRgb.height,
        bytes: digital.bytes,
        quality: digital.quality,
      },
      sheets: sheetPlans.map((p) => ({
        media,
        copies: p.placements.length,
        widthPx: p.width,
        heightPx: p.height,
      })),
      rules,
      ms,
    };
    return { report, files: failed ? null : { photo, sheets, digital: digital.jpeg } };
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

/** The print's frame, widened where the digital file is wider than the print. */
function masterFrame(spec: DocumentSpec) {
  const frame = printFrame(spec);
  return { ...frame, widthMm: Math.max(frame.widthMm, frame.heightMm * digitalAspect(spec)) };
}

/**
 * The digital file's pixel size: the print's own resolution (or the still's, if that is less),
 * brought into the spec's range. More pixels than the print has add no detail, only bytes the
 * authority's range may not allow.
 */
function pickDigitalSize(
  spec: DocumentSpec,
  printHeightPx: number,
  stillPxOverHeight: number,
): { width: number; height: number } {
  const sizes = digitalSizes(spec.digital.widthPx, spec.digital.heightPx, digitalAspect(spec)); // largest first
  const want = Math.min(printHeightPx, stillPxOverHeight);
  const atLeast = sizes.filter((s) => s.height >= want);
  return (
    atLeast[atLeast.length - 1] ??
    sizes[0] ?? { width: spec.digital.widthPx.min, height: spec.digital.heightPx.min }
  );
}

/** The person mask carried through the same crop as the photo (bilinear, so its edge stays soft). */
function renderMask(mask: MaskSampler, plan: CropPlan): { data: Uint8Array; width: number; height: number } {
  const { widthPx: width, heightPx: height } = plan;
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++)
      data[y * width + x] = mask.smoothAlphaAt(plan.toStill(x + 0.5, y + 0.5)) ?? 0;
  }
  return { data, width, height };
}

/** A still-pixel box's bounding box in the plan's output pixels. */
function boxInOutput(
  box: readonly [number, number, number, number],
  plan: CropPlan,
): [number, number, number, number] {
  const [x, y, w, h] = box;
  const corners = [
    plan.fromStill([x, y]),
    plan.fromStill([x + w, y]),
    plan.fromStill([x, y + h]),
    plan.fromStill([x + w, y + h]),
  ];
  const xs = corners.map((c) => c[0]);
  const ys = corners.map((c) => c[1]);
  const left = Math.min(...xs);
  const top = Math.min(...ys);
  return [left, top, Math.max(...xs) - left, Math.max(...ys) - top];
}

/** YYYY-MM-DD in the booth's local time (the day the customer sees on the sheet). */
function localDate(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** The centred part of the master `widthPx` wide, scaled to `size`. */
async function cutFromMaster(
  raw: RawRgb,
  widthPx: number,
  size: { width: number; height: number },
): Promise<RawRgb> {
  const w = Math.min(raw.width, Math.round(widthPx));
  const left = Math.floor((raw.width - w) / 2);
  const { data, info } = await sharp(raw.data, { raw: { width: raw.width, height: raw.height, channels: 3 } })
    .extract({ left, top: 0, width: w, height: raw.height })
    .resize(size.width, size.height, { fit: 'fill', kernel: 'lanczos3' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

async function cutMask(
  mask: { data: Uint8Array; width: number; height: number },
  widthPx: number,
  size: { width: number; height: number },
) {
  const w = Math.min(mask.width, Math.round(widthPx));
  const left = Math.floor((mask.width - w) / 2);
  const { data } = await sharp(Buffer.from(mask.data), {
    raw: { width: mask.width, height: mask.height, channels: 1 },
  })
    .extract({ left, top: 0, width: w, height: mask.height })
    .resize(size.width, size.height, { fit: 'fill' })
    .extractChannel(0) // sharp widens one channel to three on the way out otherwise
    .raw()
    .toBuffer({ resolveWithObject: true });
  return {
    data: new Uint8Array(data.buffer, data.byteOffset, data.length),
    width: size.width,
    height: size.height,
  };
}

function failedReport(
  spec: DocumentSpec,
  rules: readonly ProductionRule[],
  ms: Record<string, number>,
  head?: HeadLandmarks,
  plan?: CropPlan,
  dpi = 300,
): ProductionReport {
  return {
    spec: spec.id,
    document: spec.name,
    compliant: false,
    failed: rules.find((r) => !r.pass) ?? null,
    photo: null,
    headHeightMm: plan ? round(plan.planned.headHeightMm) : null,
    eyeLineFromBottomMm: plan ? round(plan.planned.eyeLineMm) : null,
    topMarginMm: plan ? round(plan.planned.topMarginMm) : null,
    offCentreMm: plan ? round(plan.planned.offCentreMm) : null,
    rotationDeg: plan ? round(plan.rotationDeg) : null,
    scale: plan ? round(dpi / 25.4 / plan.planned.stillPxPerMm, 4) : null,
    crown: head ? { measure: spec.head.crown, source: head.crownSource } : null,
    eyeLine: head?.eyeSource ?? null,
    background: null,
    digital: null,
    sheets: [],
    rules,
    ms,
  };
}

/** A pixel-size rule on an encoded file: both sides in their ranges (the height is the value shown). */
function sizeRule(
  id: 'photo.size' | 'digital.size',
  file: { width?: number | undefined; height?: number | undefined },
  ranges: { width: { min: number; max: number }; height: { min: number; max: number } },
): ProductionRule {
  const { width = 0, height = 0 } = file;
  const widthOk = width >= ranges.width.min && width <= ranges.width.max;
  const rule = rangeRule(id, widthOk ? height : null, 'px', ranges.height);
  const size = `${width}x${height} px`;
  return {
    ...rule,
    message: widthOk
      ? `${rule.message}; the file is ${size}`
      : `The file is ${size}: its width is out of ${ranges.width.min} to ${ranges.width.max} px`,
  };
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
