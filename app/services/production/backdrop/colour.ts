/**
 * Colour arithmetic the backdrop needs: sRGB to linear light and back (exposure and white
 * balance are products in linear light), and CIE L*a*b* for colour distances a person would see.
 */
export type Rgb = readonly [r: number, g: number, b: number];
export type Lab = readonly [l: number, a: number, b: number];

export function hexToRgb(hex: string): Rgb {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) throw new RangeError(`not a colour like #ffffff: "${hex}"`);
  return [parseInt(m[1]!, 16), parseInt(m[2]!, 16), parseInt(m[3]!, 16)];
}

/** sRGB level 0..255 to linear light 0..1. */
export function toLinear(level: number): number {
  const c = level / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

/** Linear light 0..1 to an sRGB level 0..255 (not rounded, not clamped). */
export function fromLinear(light: number): number {
  const c = light <= 0.0031308 ? light * 12.92 : 1.055 * Math.max(light, 0) ** (1 / 2.4) - 0.055;
  return c * 255;
}

const LINEAR = Float64Array.from({ length: 256 }, (_, i) => toLinear(i));

/** sRGB (0..255, D65) to CIE L*a*b*. */
export function rgbToLab([r, g, b]: Rgb): Lab {
  const lr = linearOf(r);
  const lg = linearOf(g);
  const lb = linearOf(b);
  const x = (0.4124 * lr + 0.3576 * lg + 0.1805 * lb) / 0.95047;
  const y = 0.2126 * lr + 0.7152 * lg + 0.0722 * lb;
  const z = (0.0193 * lr + 0.1192 * lg + 0.9505 * lb) / 1.08883;
  const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : ((24389 / 27) * t + 16) / 116);
  const fx = f(x);
  const fy = f(y);
  const fz = f(z);
  return [116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)];
}

function linearOf(level: number): number {
  const i = Math.round(level);
  return i >= 0 && i <= 255 && i === level ? LINEAR[i]! : toLinear(level);
}

/** CIE76 colour difference. */
export function deltaE(a: Lab, b: Lab): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
}

/** The accepted colour nearest to `colour`, and how far it is. */
export function nearestColour(colour: Rgb, accepted: readonly string[]): { hex: string; distance: number } {
  const lab = rgbToLab(colour);
  let best = { hex: accepted[0]!, distance: Infinity };
  for (const hex of accepted) {
    const distance = deltaE(lab, rgbToLab(hexToRgb(hex)));
    if (distance < best.distance) best = { hex, distance };
  }
  return best;
}
