// The review screen's picture of the ID photo: the crop production plans, found from the still's
// face analysis, at the document's aspect, with the face where the spec puts it.
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkerFaceEngine } from '../../app/services/vision/engine/worker-face-engine.ts';
import { reviewCrop, reviewCropJpeg } from '../../app/services/vision/live/review-crop.ts';
import { DocumentCatalogue } from '../../config/documents/document-catalogue.ts';

let engine: WorkerFaceEngine;
let still: Buffer;

beforeAll(async () => {
  engine = await WorkerFaceEngine.start();
  still = await readFile(new URL('../../demo-assets/portraits/portrait-1.jpg', import.meta.url));
}, 120_000);

afterAll(async () => {
  await engine?.close();
});

describe('the review crop', () => {
  it.each(['schengen-visa', 'us-passport'])(
    '%s: the document aspect, the face inside, the head its height',
    async (id) => {
      const spec = DocumentCatalogue.builtIn().get(id);
      const analysis = await engine.analyze({ data: still }, { mode: 'still' });
      const image = { width: analysis.width, height: analysis.height };
      const face = analysis.faces[0]!;
      const crop = reviewCrop(face, spec, image);
      // The frame's sides keep the print's proportions.
      expect(Math.hypot(...crop.across) / Math.hypot(...crop.down)).toBeCloseTo(
        spec.print.widthMm / spec.print.heightMm,
        3,
      );
      const jpeg = await reviewCropJpeg(still, crop, image, 450);
      const meta = await sharp(jpeg).metadata();
      expect(meta.height).toBe(450);
      expect(meta.width).toBe(Math.round((450 * spec.print.widthMm) / spec.print.heightMm));
      // The face box lies inside the crop, and is a large share of it (not the half-body still).
      const [x, y, w, h] = face.box;
      const toCrop = (px: number, py: number) => {
        const dx = px - crop.origin[0];
        const dy = py - crop.origin[1];
        const a = Math.hypot(...crop.across);
        const d = Math.hypot(...crop.down);
        return [
          (dx * crop.across[0] + dy * crop.across[1]) / (a * a),
          (dx * crop.down[0] + dy * crop.down[1]) / (d * d),
        ];
      };
      for (const [u, v] of [toCrop(x, y), toCrop(x + w, y + h)]) {
        expect(u).toBeGreaterThan(0);
        expect(u).toBeLessThan(1);
        expect(v).toBeGreaterThan(0);
        expect(v).toBeLessThan(1);
      }
      expect(h / Math.hypot(...crop.down)).toBeGreaterThan(0.4);
    },
    60_000,
  );
});
