import type { ReviewReport } from '../../../../flows/session/context.ts';
import type { FaceEngine } from '../engine/face-engine.ts';
import type { StillChecker } from '../pose-coach.ts';
import { checkStill } from '../checks/check-still.ts';
import type { ComplianceLimits } from '../checks/limits.ts';
import { DocumentCatalogue } from '../../../../config/documents/document-catalogue.ts';
import { reviewCrop } from './review-crop.ts';

/**
 * The review screen's verdict: the face engine on the captured still, every check against the
 * chosen document's limits. A still that cannot be read fails with `image.readable`.
 */
export class EngineStillChecker implements StillChecker {
  constructor(
    private readonly engine: FaceEngine,
    private readonly limits: Partial<ComplianceLimits> = {},
    private readonly catalogue: DocumentCatalogue = DocumentCatalogue.builtIn(),
    /** The unit's limits (config `vision.checks`), under the spec's own. */
    private readonly defaults: Partial<ComplianceLimits> = {},
  ) {}

  async check(still: Buffer, documentId: string): Promise<ReviewReport> {
    let report;
    let framing: Pick<ReviewReport, 'crop' | 'image'> = {};
    try {
      const analysis = await this.engine.analyze({ data: still }, { mode: 'still' });
      const spec = this.catalogue.get(documentId);
      const image = { width: analysis.width, height: analysis.height };
      // The largest face is the one the checks judge; the screen shows its crop.
      const face = [...analysis.faces].sort((a, b) => b.box[3] - a.box[3])[0];
      if (face) framing = { crop: reviewCrop(face, spec, image), image };
      report = await checkStill({ data: still }, analysis, spec, this.limits, this.defaults);
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'image-corrupt' || code === 'image-invalid') {
        return {
          verdict: 'fail',
          failed: ['image.readable'],
          checks: [{ id: 'image.readable', pass: false, message: 'The photo could not be read.' }],
        };
      }
      throw error;
    }
    return {
      verdict: report.verdict,
      failed: report.checks.filter((c) => !c.pass).map((c) => c.id),
      checks: report.checks.map((c) => ({ id: c.id, pass: c.pass, message: c.message })),
      ...framing,
    };
  }
}
