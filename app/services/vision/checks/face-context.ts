/** What every face check is handed: the face, its geometry, the shared pixels, the limits and the crop needs. */
import type { AnalysedFace } from '../engine/face-engine.ts';
import type { CropNeeds } from './crop-needs.ts';
import type { FaceGeometry } from './face-geometry.ts';
import type { ComplianceLimits } from './limits.ts';
import type { StillPixels } from './still-pixels.ts';

export interface FaceContext {
  /** Size of the image as given; the face's coordinates are in these pixels. */
  readonly image: { readonly width: number; readonly height: number };
  readonly face: AnalysedFace;
  readonly geometry: FaceGeometry;
  readonly pixels: StillPixels;
  readonly limits: ComplianceLimits;
  readonly needs: CropNeeds;
}
