// The booth's ID photos measured by a face detector the product does not use: IdPhotoProducer
// (human in the engine's worker thread) makes photos from the portrait fixtures
// (../shared/fixtures/portraits/), and @vladmandic/face-api (SSD MobileNet v1 + 68 landmarks, on
// tfjs wasm in this thread: see face-api-measure.ts) checks each compliant photo against its spec
// and against the producer's own report. One engine and one face-api for the file.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DocumentCatalogue } from '../../config/documents/document-catalogue.ts';
import type { DocumentSpec } from '../../config/documents/document-spec.ts';
import { IdPhotoProducer, type ProducedIdPhoto } from '../../app/services/production/id-photo-producer.ts';
import { WorkerFaceEngine } from '../../app/services/vision/engine/worker-face-engine.ts';
import { idPhotoPoints, loadFaceApi, topOfPersonPx, type FaceApiDetection } from './face-api-measure.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const portraitsDir = path.resolve(repoRoot, '../shared/fixtures/portraits');

const PORTRAITS = ['test0', 'test3', 'test4'] as const;
const SPEC_IDS = ['schengen-visa', 'cn-visa', 'in-form'] as const;
const MIN_COMPLIANT = 6;

/**
 * Chin-to-crown head height over chin-to-eye-line distance. Adult anthropometry puts the crown
 * about 1.05 chin-to-eye distances above the eye line (the product's CROWN_OVER_EYE_LINE, set
 * independently here on purpose: the factor is the brief's, not read from the code under test).
 */
const HEAD_OVER_CHIN_TO_EYE = 2.05;
/**
 * Slack on the head height estimated from face-api's chin and eyes. face-api's landmark 8 is the
 * iBUG jaw point (lowest point of the jaw contour as that model was trained to place it) and its
 * eye centres are means of six lid/corner points, while the product takes the chin from human's
 * 468-point mesh and the eye line from the iris centres: the two detectors' "chin" and "eye" are
 * not the same anatomical points, and the 2.05 factor is a population average, not this person's.
 * (Measured on the fixtures: the estimate lies 0.6-1.8 mm below the report's head height, test3's
 * 31.9 mm just under the 32 mm minimum.)
 */
const HEAD_SLACK_MM = 2;
/**
 * Slack on the margins: the top one is read from the pixels (the hair's soft edge, JPEG
 * ringing), the bottom one from face-api's landmark 8, not the product's chin.
 */
const MARGIN_SLACK_MM = 1;
/**
 * Slack on centring: the jaw ends (0, 16) are not human's cheek edges, and face-api's sit about
 * 0.3-0.5 mm left of the face's middle whichever way the photo is mirrored (measured: a
 * landmark bias of the model, not an offset in the photo).
 */
const CENTRE_SLACK_MM = 1;
const MAX_TILT_DEG = 2;
/** Largest difference between face-api's eye line and the one in the producer's report. */
const MAX_EYE_LINE_DISAGREEMENT_MM = 1.5;

/**
 * Where the eye line may lie, mm above the photo's bottom edge: the spec's published range, or
 * else the band the head height range implies. Derivation: on a compliant photo the head, chin
 * to crown H >= head.heightMm.min, lies wholly inside the photo, with at least bottomMarginMm.min
 * (else 0) below the chin and topMarginMm.min (else 0) above the crown. With a `head` crown (top
 * of the skull) the eye line sits H / 2.05 above the chin and H * 1.05 / 2.05 below the crown, so
 *   bottomMin + H / 2.05  <=  eye line  <=  print.heightMm - topMin - H * 1.05 / 2.05.
 * Both bounds close in as H grows, so the smallest allowed head gives the widest band (the union
 * over every compliant head height): that band is what is checked. For schengen-visa and in-form
 * (35x45, head 32-36, no margins) it is 15.61-28.61 mm.
 * With a `hair` crown, H includes hair above the skull: crown-to-eye is then at least
 * H * 1.05 / 2.05, so the upper bound still holds, but chin-to-eye is only the skull's share and
 * has no lower bound in the head range, so the lower bound is just bottomMin (the chin's own
 * clearance is checked separately against bottomMarginMm). For cn-visa (33x48, head 28-33 to
 * the hair, top margin 3-5, bottom margin 7-20): 7-30.66 mm.
 */
function eyeLineBand(spec: DocumentSpec): { min: number; max: number; published: boolean } {
  if (spec.eyeLineFromBottomMm) return { ...spec.eyeLineFromBottomMm, published: true };
  const head = spec.head.heightMm.min;
  const chinToEye = head / HEAD_OVER_CHIN_TO_EYE;
  const bottomMin = spec.bottomMarginMm?.min ?? 0;
  return {
    min: spec.head.crown === 'hair' ? bottomMin : bottomMin + chinToEye,
    max: spec.print.heightMm - (spec.topMarginMm?.min ?? 0) - (head - chinToEye),
    published: false,
  };
}

interface Case {
  readonly portrait: (typeof PORTRAITS)[number];
  readonly specId: (typeof SPEC_IDS)[number];
}
interface Outcome {
  readonly spec: DocumentSpec;
  readonly made: ProducedIdPhoto;
  readonly detection: FaceApiDetection | null;
}

const cases: Case[] = PORTRAITS.flatMap((portrait) => SPEC_IDS.map((specId) => ({ portrait, specId })));
const key = (c: Case) => `${c.portrait} × ${c.specId}`;
const outcomes = new Map<string, Outcome>();
const rows: Array<Record<string, string | number>> = [];
let engine: WorkerFaceEngine | undefined;
let faceApiInfo = '';
const t0 = performance.now();
let setupMs = 0;

beforeAll(async () => {
  // The engine (human, worker thread) and face-api (wasm, this thread) load side by side.
  const [started, faceApi] = await Promise.all([WorkerFaceEngine.start(), loadFaceApi()]);
  engine = started;
  faceApiInfo = `face-api ${faceApi.versions.faceApi} on tfjs ${faceApi.versions.tfjs} ${faceApi.backend}, loaded in ${faceApi.loadMs} ms`;
  const producer = new IdPhotoProducer(started);
  const catalogue = DocumentCatalogue.builtIn();
  for (const c of cases) {
    const spec = catalogue.get(c.specId);
    const still = await readFile(path.join(portraitsDir, `${c.portrait}.jpg`));
    const made = await producer.produce(still, spec, { copies: 1, date: new Date(2026, 0, 2) });
    const detection = made.files ? await faceApi.detect(made.files.photo) : null;
    outcomes.set(key(c), { spec, made, detection });
  }
  setupMs = performance.now() - t0;
}, 300_000);

afterAll(async () => {
  const backend = engine?.info?.backend;
  await engine?.close();
  if (rows.length) {
    console.log(
      `face-api vs the booth's photos: engine (human) on ${backend}; ${faceApiInfo}; ` +
        `setup with ${cases.length} productions ${Math.round(setupMs)} ms, file ${Math.round(performance.now() - t0)} ms`,
    );
    console.table(rows);
  }
});

describe('ID photos measured by face-api (independent of human)', () => {
  it(`at least ${MIN_COMPLIANT} of the ${cases.length} portrait × spec combinations come out compliant`, () => {
    const compliant = cases.filter((c) => outcomes.get(key(c))?.made.report.compliant);
    const failed = cases
      .filter((c) => !outcomes.get(key(c))?.made.report.compliant)
      .map((c) => `${key(c)}: ${outcomes.get(key(c))?.made.report.failed?.message ?? '?'}`);
    expect(compliant.length, `not compliant:\n${failed.join('\n')}`).toBeGreaterThanOrEqual(MIN_COMPLIANT);
  });

  it.for(cases)('$portrait × $specId', async (c, { skip }) => {
    const outcome = outcomes.get(key(c));
    expect(outcome).toBeDefined();
    const { spec, made, detection } = outcome!;
    if (!made.report.compliant || !made.files || !detection)
      return skip(`not compliant: ${made.report.failed?.message ?? 'no files'}`);
    const { report } = made;

    // The photo is the print at its dpi: its pixels per mm come from its height and the spec.
    const meta = await sharp(made.files.photo).metadata();
    expect(meta.format).toBe('jpeg');
    expect([meta.width, meta.height]).toEqual([report.photo!.widthPx, report.photo!.heightPx]);
    expect([detection.width, detection.height]).toEqual([meta.width, meta.height]);
    expect(meta.density).toBe(report.photo!.dpi);
    const pxPerMm = detection.height / spec.print.heightMm;

    expect(detection.faces, 'face-api finds exactly one face').toHaveLength(1);
    const face = detection.faces[0]!;
    const { rightEye, leftEye, chin, faceCentre } = idPhotoPoints(face);

    const eyeY = (rightEye.y + leftEye.y) / 2;
    const eyeLineMm = (detection.height - eyeY) / pxPerMm;
    const chinToEyeMm = (chin.y - eyeY) / pxPerMm;
    const headMm = HEAD_OVER_CHIN_TO_EYE * chinToEyeMm;
    const offCentreMm = (faceCentre.x - detection.width / 2) / pxPerMm;
    const tiltDeg = (Math.atan2(leftEye.y - rightEye.y, leftEye.x - rightEye.x) * 180) / Math.PI;
    const band = eyeLineBand(spec);
    const disagreement = eyeLineMm - report.eyeLineFromBottomMm!;

    // Where the spec's crown is the top of the hair, the head height includes the hair, which the
    // chin-to-eye distance knows nothing of (test4's bun adds about 7 mm on cn-visa): 2.05 x
    // chin-to-eye estimates the skull only, a lower bound of the hair-crown height. There the
    // crown is read from the pixels instead: the backdrop was replaced by a plain colour, so the
    // first row from the top that is not backdrop, over the middle half of the jaw's width, is the
    // top of the hair.
    const hairCrown = spec.head.crown === 'hair';
    const jawWidth = Math.abs(face.landmarks[16]!.x - face.landmarks[0]!.x);
    const hairTop = hairCrown
      ? await topOfPersonPx(made.files.photo, {
          left: faceCentre.x - jawWidth / 4,
          right: faceCentre.x + jawWidth / 4,
        })
      : null;
    const hairHeadMm = hairTop ? (chin.y - hairTop.row) / pxPerMm : null;
    const hairTopMarginMm = hairTop ? hairTop.row / pxPerMm : null;
    const chinMarginMm = (detection.height - chin.y) / pxPerMm;

    rows.push({
      photo: key(c),
      px: `${detection.width}x${detection.height}`,
      score: round(face.score, 3),
      'eye mm': round(eyeLineMm),
      'eye band': `${round(band.min)}-${round(band.max)}${band.published ? '' : ' (derived)'}`,
      'report eye': report.eyeLineFromBottomMm!,
      'Δ eye': round(disagreement),
      'head est': round(headMm),
      'report head': report.headHeightMm!,
      'hair head': hairHeadMm === null ? '-' : round(hairHeadMm),
      'head range': `${spec.head.heightMm.min}-${spec.head.heightMm.max} ${spec.head.crown}`,
      'hair top': hairTopMarginMm === null ? '-' : round(hairTopMarginMm),
      'report top': report.topMarginMm!,
      'chin margin': round(chinMarginMm),
      'off mm': round(offCentreMm),
      'report off': report.offCentreMm!,
      'tilt °': round(tiltDeg),
    });

    expect(eyeLineMm, 'eye line above the bottom edge, mm').toBeGreaterThanOrEqual(band.min);
    expect(eyeLineMm, 'eye line above the bottom edge, mm').toBeLessThanOrEqual(band.max);
    // The skull estimate is at most the head height whatever the crown (hair only adds to it).
    expect(headMm, 'head height from chin-to-eye × 2.05, mm').toBeLessThanOrEqual(
      spec.head.heightMm.max + HEAD_SLACK_MM,
    );
    if (!hairCrown) {
      expect(headMm, 'head height from chin-to-eye × 2.05, mm').toBeGreaterThanOrEqual(
        spec.head.heightMm.min - HEAD_SLACK_MM,
      );
    } else {
      expect(hairTop, 'the top of the hair is below the photo top edge').not.toBeNull();
      expect(hairTop!.row, 'the hair does not touch the top edge').toBeGreaterThan(0);
      expect(hairHeadMm!, 'chin (landmark 8) to top of the hair, mm').toBeGreaterThanOrEqual(
        spec.head.heightMm.min - HEAD_SLACK_MM,
      );
      expect(hairHeadMm!, 'chin (landmark 8) to top of the hair, mm').toBeLessThanOrEqual(
        spec.head.heightMm.max + HEAD_SLACK_MM,
      );
      if (spec.topMarginMm) {
        expect(hairTopMarginMm!, 'space above the hair, mm').toBeGreaterThanOrEqual(
          spec.topMarginMm.min - MARGIN_SLACK_MM,
        );
        expect(hairTopMarginMm!, 'space above the hair, mm').toBeLessThanOrEqual(
          spec.topMarginMm.max + MARGIN_SLACK_MM,
        );
      }
    }
    expect(chinMarginMm, 'space below the chin (landmark 8), mm').toBeGreaterThanOrEqual(
      (spec.bottomMarginMm?.min ?? 0) - (spec.bottomMarginMm ? MARGIN_SLACK_MM : 0),
    );
    if (spec.bottomMarginMm)
      expect(chinMarginMm, 'space below the chin (landmark 8), mm').toBeLessThanOrEqual(
        spec.bottomMarginMm.max + MARGIN_SLACK_MM,
      );
    expect(Math.abs(offCentreMm), 'face centre off the photo centre, mm').toBeLessThanOrEqual(
      spec.maxOffCentreMm + CENTRE_SLACK_MM,
    );
    expect(Math.abs(tiltDeg), 'eye line tilt, degrees').toBeLessThanOrEqual(MAX_TILT_DEG);
    expect(Math.abs(disagreement), "face-api's eye line vs the report's, mm").toBeLessThan(
      MAX_EYE_LINE_DISAGREEMENT_MM,
    );
  });
});

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
