/**
 * The production report: what the booth, the CLI and the bench are told about one photo —
 * whether every rule holds, the first that does not, and what was planned and measured.
 */
import type { DocumentSpec } from '../../../config/documents/document-spec.ts';
import type { BackdropOutcome } from './backdrop/treat-backdrop.ts';
import type { CropPlan } from './crop-plan.ts';
import type { HeadLandmarks } from './head-landmarks.ts';
import type { PhotoMeasures } from './measure-id-photo.ts';
import type { PrintMedia, PrintSheetPlan } from './print-sheet.ts';
import type { ProductionRule } from './production-rule.ts';

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

/** A photo that was made: what went into it and what its print measured. */
export interface MadePhoto {
  readonly spec: DocumentSpec;
  readonly media: PrintMedia;
  readonly dpi: number;
  readonly printPx: { readonly width: number; readonly height: number };
  readonly head: HeadLandmarks;
  readonly plan: CropPlan;
  readonly backdrop: BackdropOutcome;
  readonly measures: PhotoMeasures | null;
  readonly digital: {
    readonly width: number;
    readonly height: number;
    readonly bytes: number;
    readonly quality: number;
  };
  readonly sheetPlans: readonly PrintSheetPlan[];
  readonly rules: readonly ProductionRule[];
  readonly ms: Record<string, number>;
}

/** The report of a photo that was made: compliant when every one of its rules passed. */
export function madeReport(made: MadePhoto): ProductionReport {
  const { spec, dpi, plan, head, backdrop, rules } = made;
  const failed = rules.find((r) => !r.pass) ?? null;
  const m = made.measures;
  return {
    spec: spec.id,
    document: spec.name,
    compliant: failed === null,
    failed,
    photo: { widthPx: made.printPx.width, heightPx: made.printPx.height, dpi },
    headHeightMm: m ? round(m.headHeightMm) : null,
    eyeLineFromBottomMm: m ? round(m.eyeLineMm) : null,
    topMarginMm: m ? round(m.topMarginMm) : null,
    offCentreMm: m ? round(m.offCentreMm) : null,
    rotationDeg: round(plan.rotationDeg),
    scale: round(dpi / 25.4 / plan.planned.stillPxPerMm, 4),
    crown: { measure: spec.head.crown, source: head.crownSource },
    eyeLine: head.eyeSource,
    background: {
      mode: backdrop.mode,
      plain: backdrop.plain,
      colour: backdrop.colour,
      measured: m?.background ?? null,
    },
    digital: {
      widthPx: made.digital.width,
      heightPx: made.digital.height,
      bytes: made.digital.bytes,
      quality: made.digital.quality,
    },
    sheets: made.sheetPlans.map((p) => ({
      media: made.media,
      copies: p.placements.length,
      widthPx: p.width,
      heightPx: p.height,
    })),
    rules,
    ms: made.ms,
  };
}

/** The report of a photo that was not made: the rule that stopped it, and what was planned so far. */
export function failedReport(
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

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
