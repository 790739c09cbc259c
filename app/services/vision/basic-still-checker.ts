import type { ReviewReport } from '../../../flows/session/context.ts';
import { frameStats } from './frame-stats.ts';
import type { StillChecker } from './pose-coach.ts';

/**
 * The simple still check: the image decodes, has enough pixels for a print and is neither too
 * dark nor blown out. Check ids are the ones the face-analysis engine uses.
 */
export class BasicStillChecker implements StillChecker {
  constructor(private readonly minSidePx = 400) {}

  async check(still: Buffer): Promise<ReviewReport> {
    let stats;
    try {
      stats = await frameStats(still);
    } catch {
      return { verdict: 'fail', failed: ['image.readable'] };
    }
    const failed: string[] = [];
    if (Math.min(stats.width, stats.height) < this.minSidePx) failed.push('face.resolution');
    if (stats.meanLuma < 50 || stats.meanLuma > 215 || stats.darkShare > 0.5 || stats.clippedShare > 0.3) {
      failed.push('exposure');
    }
    return { verdict: failed.length === 0 ? 'pass' : 'fail', failed };
  }
}
