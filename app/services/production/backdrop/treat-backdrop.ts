/**
 * The backdrop of an ID photo. First, where the backdrop is plain, exposure and white balance
 * are corrected so the booth's physical backdrop looks its known colour (every spec allows that).
 * Then, where the spec allows replacement, the person is put in front of the spec's colour with
 * a soft edge: inside a band around the mask's edge, the alpha comes from how far each pixel is
 * from the fitted backdrop colour, and the old backdrop's share of the pixel is swapped for the
 * new colour (C + (1 - alpha)(new - old)), which keeps fine hair and leaves no halo of the old
 * colour. A busy backdrop (outside a booth) falls back to the mask's own soft edge.
 */
import type { RawRgb } from '../render-crop.ts';
import { fitBackdrop, type BackdropModel } from './backdrop-model.ts';
import { fromLinear, hexToRgb, nearestColour, toLinear, type Rgb } from './colour.ts';
import { boxBlur, dilate, erode, type Mask } from './mask-filters.ts';

export interface BackdropRules {
  readonly colours: readonly string[];
  readonly replace: boolean;
  readonly replaceWith?: string | undefined;
}

export interface BackdropOptions {
  /** The face's box in the photo's pixels: its highlights limit how far exposure may rise. */
  readonly faceBox?: readonly [x: number, y: number, width: number, height: number] | undefined;
  /**
   * The booth's physical backdrop colour: white balance and exposure make the backdrop this
   * colour. Without it, the accepted colour nearest to what the photo shows.
   */
  readonly physicalBackdrop?: string | undefined;
}

export interface BackdropOutcome {
  readonly image: RawRgb;
  readonly mode: 'replaced' | 'corrected' | 'unchanged';
  /** The backdrop around the person was plain enough to measure and correct against. */
  readonly plain: boolean;
  /** Linear-light gains applied per channel (1, 1, 1 when none). */
  readonly gains: Rgb;
  /** The backdrop colour behind the person now. */
  readonly colour: string | null;
}

/** Residual (sRGB levels) above which the backdrop counts as busy, not a lit plain backdrop. */
const PLAIN_NOISE = 7;
/** Largest exposure or white-balance change per channel (a stop either way). */
const MAX_GAIN = 2;
/** Level the brightest face highlights may reach after the gains. */
const HIGHLIGHT_CEILING = 248;

export function treatBackdrop(
  photo: RawRgb,
  alpha: Mask,
  rules: BackdropRules,
  options: BackdropOptions = {},
): BackdropOutcome {
  const margin = Math.max(2, Math.round(photo.width * 0.03));
  const near = dilate(alpha, margin);
  const seen = fitBackdrop(photo, near);
  const plain = seen.seen && seen.share > 0.04 && seen.noise < PLAIN_NOISE;
  let image = photo;
  let gains: Rgb = [1, 1, 1];
  if (plain) {
    const target = hexToRgb(options.physicalBackdrop ?? nearestColour(seen.mean, rules.colours).hex);
    gains = correctionGains(photo, alpha, seen.mean, target, options.faceBox);
    image = applyGains(photo, gains);
  }
  if (!rules.replace) {
    return { image, mode: plain ? 'corrected' : 'unchanged', plain, gains, colour: null };
  }
  const colour = rules.replaceWith ?? rules.colours[0]!;
  const backdrop = plain ? fitBackdrop(image, near) : null;
  return {
    image: replaceBackdrop(image, alpha, near, hexToRgb(colour), backdrop, margin),
    mode: 'replaced',
    plain,
    gains,
    colour,
  };
}

/** Gains that turn the backdrop's mean into the target, limited so the face's highlights do not clip. */
function correctionGains(
  photo: RawRgb,
  alpha: Mask,
  mean: Rgb,
  target: Rgb,
  faceBox: BackdropOptions['faceBox'],
): Rgb {
  const raw = [0, 1, 2].map((c) =>
    Math.min(MAX_GAIN, Math.max(1 / MAX_GAIN, toLinear(target[c]!) / Math.max(toLinear(mean[c]!), 1e-4))),
  );
  // The face's brightest pixels (99th percentile of the largest channel) must stay below the
  // ceiling; a white shirt is already at the top and does not count.
  const [fx, fy, fw, fh] = faceBox ?? [0, 0, photo.width, photo.height];
  const levels: number[] = [];
  for (let y = Math.max(0, Math.floor(fy)); y < Math.min(photo.height, fy + fh); y += 2) {
    for (let x = Math.max(0, Math.floor(fx)); x < Math.min(photo.width, fx + fw); x += 2) {
      const i = y * photo.width + x;
      if (alpha.data[i]! < 230) continue;
      levels.push(Math.max(...[0, 1, 2].map((c) => toLinear(photo.data[i * 3 + c]!) * raw[c]!)));
    }
  }
  levels.sort((a, b) => a - b);
  const bright = levels.length ? levels[Math.floor(levels.length * 0.99)]! : 0;
  const ceiling = toLinear(HIGHLIGHT_CEILING);
  const damp = bright > ceiling ? ceiling / bright : 1;
  // The limit holds a brightening back; it never turns it into a darkening.
  return [0, 1, 2].map((c) =>
    raw[c]! >= 1 ? Math.max(1, raw[c]! * damp) : raw[c]! * damp,
  ) as unknown as Rgb;
}

function applyGains(photo: RawRgb, gains: Rgb): RawRgb {
  const luts = gains.map((g) =>
    Uint8Array.from({ length: 256 }, (_, level) =>
      Math.min(255, Math.max(0, Math.round(fromLinear(toLinear(level) * g)))),
    ),
  );
  const out = Buffer.alloc(photo.data.length);
  for (let i = 0; i < out.length; i++) out[i] = luts[i % 3]![photo.data[i]!]!;
  return { ...photo, data: out };
}

function replaceBackdrop(
  photo: RawRgb,
  alpha: Mask,
  outer: Mask,
  colour: Rgb,
  backdrop: BackdropModel | null,
  margin: number,
): RawRgb {
  const { width, height, data } = photo;
  // The band where the edge can be: around the mask's 50% line, as wide as the mask's likely
  // error (`outer` is the mask dilated by the margin).
  const inner = erode(alpha, Math.max(1, Math.round(margin / 2)));
  const edgeAlpha = new Uint8Array(width * height);
  // Colour distance at which a pixel counts as all person: skin and hair stand well clear of a
  // backdrop; fine hair blends with it and gets a partial alpha.
  const full = 60;
  const floor = backdrop ? 3 * backdrop.noise + 4 : 0;
  const field = new Float32Array(width * 3);
  for (let y = 0; y < height; y++) {
    backdrop?.row(y, field);
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const a = alpha.data[i]!;
      if (inner.data[i]! >= 230) edgeAlpha[i] = 255;
      else if (outer.data[i]! < 26) edgeAlpha[i] = 0;
      else if (!backdrop) edgeAlpha[i] = smoothstep(0.25, 0.75, a / 255) * 255;
      else {
        const d = Math.hypot(
          data[i * 3]! - field[x * 3]!,
          data[i * 3 + 1]! - field[x * 3 + 1]!,
          data[i * 3 + 2]! - field[x * 3 + 2]!,
        );
        const fromColour = Math.min(1, Math.max(0, (d - floor) / full));
        // Deep inside the mask the person wins even where clothes match the backdrop's colour.
        const fromMask = Math.min(1, Math.max(0, (a / 255 - 0.75) * 4));
        edgeAlpha[i] = Math.round(Math.max(fromColour, fromMask) * 255);
      }
    }
  }
  // The mask's own edge is softened against stair steps; the colour alpha is soft already, and
  // blurring it would lend a strand's alpha to the backdrop pixels beside it (a grey fringe).
  const soft = backdrop ? { data: edgeAlpha } : boxBlur({ data: edgeAlpha, width, height }, 1);
  const out = Buffer.alloc(data.length);
  for (let y = 0; y < height; y++) {
    backdrop?.row(y, field);
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const a = soft.data[i]! / 255;
      for (let c = 0; c < 3; c++) {
        const pixel = data[i * 3 + c]!;
        // With a known old backdrop, swap its share of the pixel; without, blend over the new colour.
        const value = backdrop
          ? pixel + (1 - a) * (colour[c]! - field[x * 3 + c]!)
          : a * pixel + (1 - a) * colour[c]!;
        out[i * 3 + c] = a === 0 ? colour[c]! : Math.min(255, Math.max(0, Math.round(value)));
      }
    }
  }
  return { ...photo, data: out };
}

function smoothstep(lo: number, hi: number, x: number): number {
  const t = Math.min(1, Math.max(0, (x - lo) / (hi - lo)));
  return t * t * (3 - 2 * t);
}
