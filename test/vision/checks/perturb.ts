// Perturbations of real photos for the compliance-check tests, made with sharp: each one breaks
// one thing a compliant photo needs (tilt, exposure, light, focus, covered eyes, framing ...).
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp, { type Sharp } from 'sharp';
import type { AnalysedFace } from '../../../app/services/vision/engine/face-engine.ts';
import { faceGeometry, MESH_GROUPS, type Pt } from '../../../app/services/vision/checks/face-geometry.ts';
import { mouthRegions } from '../../../app/services/vision/checks/mouth-teeth.ts';

export const portraitsDir = fileURLToPath(new URL('../../../../shared/fixtures/portraits/', import.meta.url));

/** face-api's demo group photos, or null when the package is not installed. */
export function groupDir(): string | null {
  try {
    const pkg = createRequire(import.meta.url).resolve('@vladmandic/face-api/package.json');
    return path.join(path.dirname(pkg), 'demo');
  } catch {
    return null;
  }
}

const jpeg = (s: Sharp) => s.jpeg({ quality: 92 }).toBuffer();

/** Turns the photo clockwise by `degrees` (negative: anticlockwise), grey in the corners. */
export function rotate(data: Buffer, degrees: number): Promise<Buffer> {
  return jpeg(sharp(data).rotate(degrees, { background: '#a0a0a0' }));
}

/** Multiplies every pixel value (exposure off by a factor). */
export function brightness(data: Buffer, factor: number): Promise<Buffer> {
  return jpeg(sharp(data).linear(factor, 0));
}

export function blur(data: Buffer, sigma: number): Promise<Buffer> {
  return jpeg(sharp(data).blur(sigma));
}

async function raw(data: Buffer): Promise<{ rgb: Buffer; width: number; height: number }> {
  const { data: rgb, info } = await sharp(data).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { rgb, width: info.width, height: info.height };
}

function encode(rgb: Buffer, width: number, height: number): Promise<Buffer> {
  return jpeg(sharp(rgb, { raw: { width, height, channels: 3 } }));
}

/**
 * Light from one side: the image's left half of the face (the person's right) gets darker
 * towards the cheek, down to `floor` of its brightness at the face's edge and beyond.
 */
export async function sideLight(data: Buffer, face: AnalysedFace, floor = 0.35): Promise<Buffer> {
  const { rgb, width, height } = await raw(data);
  const g = faceGeometry(face);
  const cx = g.eyeMid[0];
  const half = g.faceWidth / 2;
  for (let x = 0; x < Math.min(width, Math.ceil(cx)); x++) {
    const f = Math.max(floor, 1 - ((1 - floor) * (cx - x)) / half);
    for (let y = 0; y < height; y++) {
      const i = (y * width + x) * 3;
      for (let c = 0; c < 3; c++) rgb[i + c] = Math.round(rgb[i + c]! * f);
    }
  }
  return encode(rgb, width, height);
}

const polygon = (points: readonly Pt[]) =>
  points.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(' ');

/** A black bar over both eyes, levelled with the eye line, as tall as 0.5 inter-eye distances. */
export async function coverEyes(
  data: Buffer,
  face: AnalysedFace,
  colour = '#000000',
  opacity = 1,
): Promise<Buffer> {
  const { width = 0, height = 0 } = await sharp(data).metadata();
  const g = faceGeometry(face);
  const bar = [
    g.fromFace(-1.05 * g.ied, -0.25 * g.ied),
    g.fromFace(1.05 * g.ied, -0.25 * g.ied),
    g.fromFace(1.05 * g.ied, 0.25 * g.ied),
    g.fromFace(-1.05 * g.ied, 0.25 * g.ied),
  ];
  const svg = `<svg width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg"><polygon points="${polygon(bar)}" fill="${colour}" fill-opacity="${opacity}"/></svg>`;
  return jpeg(sharp(data).composite([{ input: Buffer.from(svg) }]));
}

/** Dark glasses: a tinted ellipse over each eye. */
export async function darkGlasses(data: Buffer, face: AnalysedFace, opacity = 0.9): Promise<Buffer> {
  const { width = 0, height = 0 } = await sharp(data).metadata();
  const g = faceGeometry(face);
  const angle = (Math.atan2(g.ex[1], g.ex[0]) * 180) / Math.PI;
  const lens = ([x, y]: Pt) =>
    `<ellipse cx="${x}" cy="${y}" rx="${0.36 * g.ied}" ry="${0.24 * g.ied}" transform="rotate(${angle} ${x} ${y})" fill="#101010" fill-opacity="${opacity}"/>`;
  const svg = `<svg width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg">${lens(g.rightEye)}${lens(g.leftEye)}</svg>`;
  return jpeg(sharp(data).composite([{ input: Buffer.from(svg) }]));
}

/** Two portraits side by side at the same height. */
export async function sideBySide(a: Buffer, b: Buffer, height = 768): Promise<Buffer> {
  const left = await sharp(a).resize({ height }).toBuffer({ resolveWithObject: true });
  const right = await sharp(b).resize({ height }).toBuffer({ resolveWithObject: true });
  return jpeg(
    sharp({
      create: { width: left.info.width + right.info.width, height, channels: 3, background: '#c8c8c8' },
    }).composite([
      { input: left.data, left: 0, top: 0 },
      { input: right.data, left: left.info.width, top: 0 },
    ]),
  );
}

/** Cuts the photo off through the forehead, halfway between the eyes and the top of the face mesh. */
export async function cropThroughForehead(data: Buffer, face: AnalysedFace): Promise<Buffer> {
  const { width = 0, height = 0 } = await sharp(data).metadata();
  const g = faceGeometry(face);
  const top = Math.round((g.point(10)[1] + g.eyeMid[1]) / 2);
  return jpeg(sharp(data).extract({ left: 0, top, width, height: height - top }));
}

/** The person far from the camera: the photo shrunk by `factor` onto a grey canvas of the original size. */
export async function farAway(data: Buffer, factor: number): Promise<Buffer> {
  const { width = 0, height = 0 } = await sharp(data).metadata();
  const small = await sharp(data)
    .resize({ width: Math.round(width * factor) })
    .toBuffer({ resolveWithObject: true });
  return jpeg(
    sharp({ create: { width, height, channels: 3, background: '#c8c8c8' } }).composite([
      {
        input: small.data,
        left: Math.round((width - small.info.width) / 2),
        top: Math.round((height - small.info.height) / 3),
      },
    ]),
  );
}

/**
 * A busy background: everything around the head (outside an ellipse 1.9 face widths wide and
 * 1.5 head heights tall) and above the shoulders becomes a pattern of random grey blocks.
 */
export async function busyBackground(data: Buffer, face: AnalysedFace, seed = 1): Promise<Buffer> {
  const { rgb, width, height } = await raw(data);
  const g = faceGeometry(face);
  let s = seed;
  const random = () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
  const block = Math.max(4, Math.round(g.ied / 6));
  const bw = Math.ceil(width / block);
  const blocks = Array.from(
    { length: bw * Math.ceil(height / block) },
    () => 40 + Math.round(random() * 180),
  );
  const uc = (g.toFace(g.point(234))[0] + g.toFace(g.point(454))[0]) / 2;
  const vc = (g.eyeToChin - 1.05 * g.eyeToChin) / 2;
  const a = 0.95 * g.faceWidth;
  const b = 0.75 * g.headHeight;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [u, v] = g.toFace([x, y]);
      if (v > g.eyeToChin) continue;
      const du = (u - uc) / a;
      const dv = (v - vc) / b;
      if (du * du + dv * dv <= 1) continue;
      const grey = blocks[Math.floor(y / block) * bw + Math.floor(x / block)]!;
      const i = (y * width + x) * 3;
      rgb[i] = grey;
      rgb[i + 1] = grey;
      rgb[i + 2] = grey;
    }
  }
  return encode(rgb, width, height);
}

function insidePolygon(poly: readonly Pt[], x: number, y: number): boolean {
  let inside = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const [xi, yi] = poly[i]!;
    const [xj, yj] = poly[j]!;
    if (yi > y !== yj > y && x < xi + ((y - yi) / (yj - yi)) * (xj - xi)) inside = !inside;
  }
  return inside;
}

/** An eye's opening (lid margins), grown by `grow` around its centre. */
function eyeOpening(face: AnalysedFace, side: 'right' | 'left', grow: number): Pt[] {
  const g = faceGeometry(face);
  const contour = side === 'right' ? MESH_GROUPS.rightEyeContour : MESH_GROUPS.leftEyeContour;
  const c = side === 'right' ? g.rightEye : g.leftEye;
  return contour.map((i) => {
    const [x, y] = g.point(i);
    return [c[0] + (x - c[0]) * grow, c[1] + (y - c[1]) * grow];
  });
}

/** Closed eyes: each eye opening painted with the skin below it, with a dark lash line. */
export async function closeEyes(data: Buffer, face: AnalysedFace): Promise<Buffer> {
  const { rgb, width, height } = await raw(data);
  const g = faceGeometry(face);
  for (const side of ['right', 'left'] as const) {
    const poly = eyeOpening(face, side, 1.35);
    const c = side === 'right' ? g.rightEye : g.leftEye;
    const below = g.fromFace(g.toFace(c)[0], g.toFace(c)[1] + 0.3 * g.ied);
    const skin = [0, 0, 0];
    let n = 0;
    const r = Math.max(2, Math.round(0.06 * g.ied));
    for (let y = Math.round(below[1]) - r; y <= Math.round(below[1]) + r; y++) {
      for (let x = Math.round(below[0]) - r; x <= Math.round(below[0]) + r; x++) {
        for (let k = 0; k < 3; k++) skin[k]! += rgb[(y * width + x) * 3 + k]!;
        n++;
      }
    }
    const xs = poly.map((p) => p[0]);
    const ys = poly.map((p) => p[1]);
    const lash = g.fromFace(g.toFace(c)[0], g.toFace(c)[1] + 0.04 * g.ied)[1];
    for (let y = Math.floor(Math.min(...ys)); y <= Math.ceil(Math.max(...ys)); y++) {
      for (let x = Math.floor(Math.min(...xs)); x <= Math.ceil(Math.max(...xs)); x++) {
        if (x < 0 || y < 0 || x >= width || y >= height || !insidePolygon(poly, x + 0.5, y + 0.5)) continue;
        const dark = Math.abs(y - lash) < Math.max(1, 0.02 * g.ied);
        for (let k = 0; k < 3; k++) rgb[(y * width + x) * 3 + k] = dark ? 40 : Math.round(skin[k]! / n);
      }
    }
  }
  return encode(rgb, width, height);
}

/**
 * Eyes looking aside: each eye opening is repainted as white of the eye with the iris (a dark
 * disc of the iris's size) moved sideways by `shift` eye widths (positive: towards the image's right).
 */
export async function lookAside(data: Buffer, face: AnalysedFace, shift: number): Promise<Buffer> {
  const { rgb, width, height } = await raw(data);
  const g = faceGeometry(face);
  for (const side of ['right', 'left'] as const) {
    const poly = eyeOpening(face, side, 1.1);
    const [outer, inner] = side === 'right' ? [33, 133] : [263, 362];
    const [ax, ay] = g.point(outer);
    const [bx, by] = g.point(inner);
    const eyeWidth = Math.hypot(ax - bx, ay - by);
    const iris = face.iris?.[side];
    const radius = iris?.radius ?? 0.2 * eyeWidth;
    const c = iris?.center ?? [(ax + bx) / 2, (ay + by) / 2];
    const cx = c[0] + shift * eyeWidth * g.ex[0];
    const cy = c[1] + shift * eyeWidth * g.ex[1];
    const xs = poly.map((p) => p[0]);
    const ys = poly.map((p) => p[1]);
    for (let y = Math.floor(Math.min(...ys)); y <= Math.ceil(Math.max(...ys)); y++) {
      for (let x = Math.floor(Math.min(...xs)); x <= Math.ceil(Math.max(...xs)); x++) {
        if (x < 0 || y < 0 || x >= width || y >= height || !insidePolygon(poly, x + 0.5, y + 0.5)) continue;
        const d = Math.hypot(x + 0.5 - cx, y + 0.5 - cy);
        const colour = d < radius * 0.45 ? [15, 12, 10] : d < radius ? [70, 50, 35] : [225, 222, 218];
        for (let k = 0; k < 3; k++) rgb[(y * width + x) * 3 + k] = colour[k]!;
      }
    }
  }
  return encode(rgb, width, height);
}

/** An open mouth: a dark mouth opening with a row of teeth painted between the lips. */
export async function openMouth(data: Buffer, face: AnalysedFace, height = 0.3): Promise<Buffer> {
  const { width = 0, height: imageHeight = 0 } = await sharp(data).metadata();
  const g = faceGeometry(face);
  const [ru] = g.toFace(g.point(61));
  const [lu] = g.toFace(g.point(291));
  const [, uv] = g.toFace(g.point(13));
  const [, lv] = g.toFace(g.point(14));
  const centre = g.fromFace((ru + lu) / 2, (uv + lv) / 2 + (height * g.ied) / 2);
  const angle = (Math.atan2(g.ex[1], g.ex[0]) * 180) / Math.PI;
  const rx = 0.4 * (lu - ru);
  const ry = (height * g.ied) / 2;
  const svg =
    `<svg width="${width}" height="${imageHeight}" xmlns="http://www.w3.org/2000/svg">` +
    `<g transform="rotate(${angle} ${centre[0]} ${centre[1]})">` +
    `<ellipse cx="${centre[0]}" cy="${centre[1]}" rx="${rx}" ry="${ry}" fill="#3a1212"/>` +
    `<rect x="${centre[0] - rx * 0.8}" y="${centre[1] - ry}" width="${rx * 1.6}" height="${ry * 0.35}" fill="#eeeae0"/>` +
    `</g></svg>`;
  return jpeg(sharp(data).composite([{ input: Buffer.from(svg) }]));
}

/**
 * A closed mouth on a teeth smile: the band between the lips (where `mouth-teeth.ts` looks for
 * teeth) painted with the lips' own colour (their median), with a darker line where the lips meet.
 */
export async function closeMouth(data: Buffer, face: AnalysedFace): Promise<Buffer> {
  const { rgb, width, height } = await raw(data);
  const g = faceGeometry(face);
  const { band, mouth } = mouthRegions(g);
  const lips: number[][] = [[], [], []];
  const inBand = (x: number, y: number) => insidePolygon(band, x + 0.5, y + 0.5);
  const xs = mouth.map((p) => p[0]);
  const ys = mouth.map((p) => p[1]);
  const box = {
    x0: Math.max(0, Math.floor(Math.min(...xs))),
    x1: Math.min(width - 1, Math.ceil(Math.max(...xs))),
    y0: Math.max(0, Math.floor(Math.min(...ys))),
    y1: Math.min(height - 1, Math.ceil(Math.max(...ys))),
  };
  for (let y = box.y0; y <= box.y1; y++) {
    for (let x = box.x0; x <= box.x1; x++) {
      if (!insidePolygon(mouth, x + 0.5, y + 0.5) || inBand(x, y)) continue;
      for (let k = 0; k < 3; k++) lips[k]!.push(rgb[(y * width + x) * 3 + k]!);
    }
  }
  const lip = lips.map((v) => v.sort((a, b) => a - b)[Math.floor(v.length / 2)]!);
  const upper = MESH_GROUPS.innerLipUpper.map((i) => g.point(i));
  const lower = MESH_GROUPS.innerLipLower.map((i) => g.point(i));
  const line = upper.map((p, k): Pt => [(p[0] + lower[k]![0]) / 2, (p[1] + lower[k]![1]) / 2]);
  const lineY = (x: number): number => {
    for (let k = 0; k + 1 < line.length; k++) {
      const [ax, ay] = line[k]!;
      const [bx, by] = line[k + 1]!;
      if ((x - ax) * (x - bx) <= 0 && ax !== bx) return ay + ((x - ax) / (bx - ax)) * (by - ay);
    }
    return Number.NaN;
  };
  const thickness = Math.max(0.6, 0.012 * g.ied);
  for (let y = box.y0; y <= box.y1; y++) {
    for (let x = box.x0; x <= box.x1; x++) {
      if (!inBand(x, y)) continue;
      const dark = Math.abs(y + 0.5 - lineY(x + 0.5)) < thickness;
      for (let k = 0; k < 3; k++) rgb[(y * width + x) * 3 + k] = Math.round(lip[k]! * (dark ? 0.55 : 1));
    }
  }
  return encode(rgb, width, height);
}
