import { createHash } from 'node:crypto';
import type { ReviewReport } from '../../../flows/session/context.ts';
import { frameStats } from './frame-stats.ts';
import type { StillChecker } from './pose-coach.ts';

/** Verdicts remembered at most, when remembering (oldest forgotten first). */
const maxRemembered = 64;

/**
 * The simple still check: the image decodes, has enough pixels for a print and is neither too
 * dark nor blown out. Check ids are the ones the face-analysis engine uses.
 */
export class BasicStillChecker implements StillChecker {
  readonly #minSidePx: number;
  /**
   * Verdicts by the still's content (`rememberByContent`): the simulated camera shoots the same
   * demo portraits session after session, and each comes out of the vault as a fresh buffer, so
   * without this every review decodes the full still again. Only the verdict is kept (no pixels),
   * and only where asked: the booth's default for simulated sessions and flow tests.
   */
  readonly #known: Map<string, Promise<ReviewReport>> | null;

  constructor(minSidePx = 400, options: { rememberByContent?: boolean } = {}) {
    this.#minSidePx = minSidePx;
    this.#known = options.rememberByContent ? new Map() : null;
  }

  check(still: Buffer): Promise<ReviewReport> {
    const known = this.#known;
    if (!known) return this.#check(still);
    const key = createHash('sha256').update(still).digest('hex');
    let report = known.get(key);
    if (!report) {
      if (known.size >= maxRemembered) known.delete(known.keys().next().value!);
      report = this.#check(still);
      known.set(key, report);
    }
    return report;
  }

  async #check(still: Buffer): Promise<ReviewReport> {
    let stats;
    try {
      stats = await frameStats(still);
    } catch {
      return { verdict: 'fail', failed: ['image.readable'] };
    }
    const failed: string[] = [];
    if (Math.min(stats.width, stats.height) < this.#minSidePx) failed.push('face.resolution');
    if (stats.meanLuma < 50 || stats.meanLuma > 215 || stats.darkShare > 0.5 || stats.clippedShare > 0.3) {
      failed.push('exposure');
    }
    return { verdict: failed.length === 0 ? 'pass' : 'fail', failed };
  }
}
