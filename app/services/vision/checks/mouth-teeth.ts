/**
 * Teeth between the lips, from the still's colours: a smile that shows the teeth parts the lips,
 * but the face mesh often draws them nearly closed (on the demo portrait test0 its inner-lip gap
 * reads 0.016 of the face height, as low as closed mouths). Teeth are what the mesh misses: inside
 * the band where the lips meet, pixels as bright as the lips or brighter and nearly colourless,
 * where lips are red or pink and the line between closed lips is dark.
 *
 * Written here rather than taken from a model: the emotion model that ships with human (7
 * classes on a 64 px grey crop) read "happy" 0.59 on the teeth smile and 0.39 on a neutral face
 * (test1), too close to tell them apart, while these colours separate them plainly.
 */
import { MESH_GROUPS, type FaceGeometry, type Pt } from './face-geometry.ts';
import { forEachPixelInPolygon } from './regions.ts';
import type { StillPixels } from './still-pixels.ts';

/**
 * The band searched for teeth: the inner lip margins of the mesh, widened towards the outer lip
 * edges by these shares of each lip's height (the mesh puts its inner lower lip on the teeth of
 * a smile; going further down the lower lip meets the shine of glossy lips).
 */
export const TEETH_BAND = { upper: 0.2, lower: 0.3 } as const;

/**
 * A pixel looks like a tooth when its redness ((R - G) / R) is at most `maxRedness` and at most
 * `maxRednessOfLips` times the lips' median, and its luma is at least `minLumaOfLips` times the
 * lips' median luma. Redness, not HSV saturation: under warm light (red up, blue down) teeth turn
 * yellow and saturated but stay about as red as green; by saturation test0's teeth read 0.00 with
 * red x1.1 and blue x0.8, by redness 0.33 (closed lips stay at most 0.05 in every variant).
 */
export const TOOTH_PIXEL: {
  readonly maxRedness: number;
  readonly maxRednessOfLips: number;
  readonly minLumaOfLips: number;
} = { maxRedness: 0.25, maxRednessOfLips: 0.5, minLumaOfLips: 0.95 };

export interface TeethMeasure {
  /** Share of the band between the lips whose pixels look like teeth, 0..1. */
  readonly share: number;
  /** Pixels in the band (decoded pixels). */
  readonly bandPixels: number;
  /** The lips' median redness (0..1, see `TOOTH_PIXEL`) and luma (0..255): what teeth are told apart from. */
  readonly lipRedness: number;
  readonly lipLuma: number;
}

const towards = (from: Pt, to: Pt, t: number): Pt => [
  from[0] + (to[0] - from[0]) * t,
  from[1] + (to[1] - from[1]) * t,
];

/** The band between the lips (see `TEETH_BAND`) and the whole mouth (the outer lip edges), in image pixels. */
export function mouthRegions(geometry: FaceGeometry): { band: Pt[]; mouth: Pt[] } {
  const p = (i: number) => geometry.point(i);
  const { innerLipUpper, innerLipLower, outerLipUpper, outerLipLower } = MESH_GROUPS;
  const top = innerLipUpper.map((i, k) => towards(p(i), p(outerLipUpper[k]!), TEETH_BAND.upper));
  const bottom = innerLipLower.map((i, k) => towards(p(i), p(outerLipLower[k]!), TEETH_BAND.lower));
  const mouth = [...outerLipUpper.map(p), ...outerLipLower.slice(1, -1).reverse().map(p)];
  return { band: [...top, ...bottom.slice(1, -1).reverse()], mouth };
}

/** How much redder than green a pixel is, 0..1: lips are red, teeth nearly white or yellowish. */
function rednessAt(rgb: Uint8Array, i: number): number {
  const r = rgb[3 * i]!;
  return r === 0 ? 0 : Math.max(0, (r - rgb[3 * i + 1]!) / r);
}

/** The median bin (0..255) of a histogram of `n` values: counted, not sorted (this runs on every live frame). */
function histogramMedian(counts: Uint32Array, n: number): number {
  const rank = Math.floor(n / 2);
  let seen = 0;
  for (let v = 0; v < 256; v++) {
    seen += counts[v]!;
    if (seen > rank) return v;
  }
  return 255;
}

/** The teeth measure, or null when the mouth lies outside the photo or covers too few pixels. */
export function measureTeeth(
  pixels: StillPixels,
  geometry: FaceGeometry,
  tooth: typeof TOOTH_PIXEL = TOOTH_PIXEL,
): TeethMeasure | null {
  const { band, mouth } = mouthRegions(geometry);
  // Both regions are visited row by row, left to right, so the band's indices come in order and
  // the lips (the mouth without the band) are found by walking them alongside: no set, no mask.
  const inBand: number[] = [];
  forEachPixelInPolygon(pixels, band, (i) => inBand.push(i));
  // The lips' redness in 256 steps and their luma, as histograms.
  const redCounts = new Uint32Array(256);
  const lumaCounts = new Uint32Array(256);
  let lips = 0;
  let next = 0;
  forEachPixelInPolygon(pixels, mouth, (i) => {
    while (next < inBand.length && inBand[next]! < i) next++;
    if (inBand[next] === i) return;
    redCounts[Math.round(255 * rednessAt(pixels.rgb, i))]!++;
    lumaCounts[pixels.luma[i]!]!++;
    lips++;
  });
  if (inBand.length < 8 || lips < 8) return null;
  const lipRedness = histogramMedian(redCounts, lips) / 255;
  const lipL = histogramMedian(lumaCounts, lips);
  const maxRed = Math.min(tooth.maxRedness, tooth.maxRednessOfLips * lipRedness);
  const minLuma = tooth.minLumaOfLips * lipL;
  let teeth = 0;
  for (const i of inBand) {
    if (pixels.luma[i]! >= minLuma && rednessAt(pixels.rgb, i) <= maxRed) teeth++;
  }
  return { share: teeth / inBand.length, bandPixels: inBand.length, lipRedness, lipLuma: lipL };
}
