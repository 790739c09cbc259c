import type { LiveFrame } from '../../../hardware/camera/camera-port.ts';
import type { CoachUpdate } from '../../../flows/session/services.ts';
import { frameStats, motionBetween, type FrameStats } from './frame-stats.ts';
import type { PoseCoach } from './pose-coach.ts';

export interface SteadyPoseCoachOptions {
  /** How long every check must hold before `ready` (hysteresis: hints do not flicker). */
  steadyMs?: number;
  /** Mean brightness range (0–255) that counts as well exposed. */
  lumaRange?: [number, number];
  /** Largest mean frame-to-frame difference that counts as holding still. */
  maxMotion?: number;
}

/**
 * The simple coach: a well-exposed picture that holds still for a moment. It knows nothing of
 * faces; the face-analysis engine replaces it with the full ID-photo checks.
 */
export class SteadyPoseCoach implements PoseCoach {
  readonly #steadyMs: number;
  readonly #lumaRange: [number, number];
  readonly #maxMotion: number;
  #previous: FrameStats | undefined;
  #goodSince: number | undefined;

  constructor(options: SteadyPoseCoachOptions = {}) {
    this.#steadyMs = options.steadyMs ?? 1500;
    this.#lumaRange = options.lumaRange ?? [50, 215];
    this.#maxMotion = options.maxMotion ?? 12;
  }

  async analyze(frame: LiveFrame): Promise<CoachUpdate> {
    let stats: FrameStats;
    try {
      stats = await frameStats(frame.data);
    } catch {
      // A corrupt frame says nothing about the person: keep waiting, do not crash the live view.
      this.#goodSince = undefined;
      return { ready: false, hint: 'hint.pleaseWait', checks: { frame: false } };
    }
    const previous = this.#previous;
    this.#previous = stats;
    const [low, high] = this.#lumaRange;
    const checks = {
      frame: true,
      exposure: stats.meanLuma >= low && stats.meanLuma <= high,
      steady: previous !== undefined && motionBetween(previous, stats) <= this.#maxMotion,
    };
    const allGood = checks.exposure && checks.steady;
    if (!allGood) this.#goodSince = undefined;
    else this.#goodSince ??= frame.at;
    const ready = allGood && frame.at - this.#goodSince! >= this.#steadyMs;
    const hint = !checks.exposure
      ? stats.meanLuma < low
        ? 'hint.tooDark'
        : 'hint.tooBright'
      : !checks.steady
        ? 'hint.holdStill'
        : null;
    return { ready, hint, checks };
  }
}
