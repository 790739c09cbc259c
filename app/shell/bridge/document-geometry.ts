import type { BoothConfig } from '../../../config/schema.ts';
import { DocumentCatalogue } from '../../../config/documents/document-catalogue.ts';
import { cropNeeds } from '../../services/vision/checks/crop-needs.ts';
import type { UiDocumentGeometry } from './kiosk-api.ts';

/** Built once per config object: the catalogue parses every spec, and snapshots are frequent. */
const known = new WeakMap<BoothConfig, Record<string, UiDocumentGeometry>>();

/**
 * What the customer's screens draw from each offered document's spec: the photo's size (the
 * choose and attract screens name it, the review screen shows the photo at that aspect) and where
 * crown, chin and eyes must fall (the review's guide lines, the pose screen's oval).
 */
export function documentGeometry(config: BoothConfig): Record<string, UiDocumentGeometry> {
  let geometry = known.get(config);
  if (geometry) return geometry;
  const catalogue = DocumentCatalogue.withOperatorSpecs(config.documentSpecs);
  geometry = {};
  for (const id of config.documents) {
    if (!catalogue.has(id)) continue;
    const spec = catalogue.get(id);
    const headMid = (spec.head.heightMm.min + spec.head.heightMm.max) / 2;
    geometry[id] = {
      name: spec.name,
      widthMm: spec.print.widthMm,
      heightMm: spec.print.heightMm,
      headHeightMm: { ...spec.head.heightMm },
      eyeLineFromBottomMm: spec.eyeLineFromBottomMm ? { ...spec.eyeLineFromBottomMm } : null,
      topMarginMm: spec.topMarginMm ? { ...spec.topMarginMm } : null,
      // Where the pose coach's checks want the crown: the same placement `face.inFrame` judges.
      crownFromTopMm: cropNeeds(spec).topShareOfMargin * (spec.print.heightMm - headMid),
    };
  }
  known.set(config, geometry);
  return geometry;
}
