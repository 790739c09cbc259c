import type { LiveFrame } from '../../../../hardware/camera/camera-port.ts';
import type { Clock } from '../../../../core/clock.ts';
import type { CoachUpdate } from '../../../../flows/session/services.ts';
import type { LiveCheckRequest, LiveFrameChecker } from '../engine/live-check.ts';
import type { PoseCoach } from '../pose-coach.ts';
import type { CheckId, CheckResult } from '../checks/check-result.ts';
import { cropNeeds, type SpecRef } from '../checks/crop-needs.ts';
import { limitsFor, type ComplianceLimits } from '../checks/limits.ts';
import { SteadyChecks } from './steady-checks.ts';

/**
 * Every check, in the order their hints are given: first be the only one, in the frame and
 * close enough, then hold the head straight, then the eyes, the mouth and the expression, then
 * hold still; light, exposure and backdrop come last (mostly the booth's business, which the
 * environment check watches, but a person too close to a lamp can fix them too).
 */
export const LIVE_HINT_ORDER: readonly CheckId[] = [
  'face.single',
  'face.inFrame',
  'face.resolution',
  'head.roll',
  'head.yaw',
  'head.pitch',
  'eyes.visible',
  'eyes.open',
  'gaze',
  'mouth.closed',
  'expression.neutral',
  'sharpness',
  'exposure',
  'lighting.uniform',
  'background.uniform',
];

export interface EnginePoseCoachOptions {
  /** Decodes, analyses and checks each frame in one place (the face engine's worker). */
  engine: LiveFrameChecker;
  clock: Clock;
  /** The chosen document (a spec or a built-in spec's id): its crop and limits decide what counts as ready. */
  spec: SpecRef;
  limits?: Partial<ComplianceLimits>;
  /** The unit's limits (config `vision.checks`), under the spec's own. */
  defaults?: Partial<ComplianceLimits>;
  /** How long every live check must pass before `ready` (the flow may then capture). */
  steadyMs?: number;
  /** How long a check's raw state must hold before its shown state flips (no flicker). */
  flipMs?: number;
  /** Width of the camera's stills: resolution measured on a small live frame is scaled to it. */
  stillWidth?: () => number | undefined;
  /** The pixel checks look at frames at most this wide (they need face scale, not sensor size). */
  maxSide?: number;
}

/**
 * Coaches the person into a compliant pose from live view with the face engine and the same
 * checks the still gets. One hint at a time, by priority; `ready` once every live check has
 * held for `steadyMs`.
 */
export class EnginePoseCoach implements PoseCoach {
  readonly #o: EnginePoseCoachOptions;
  readonly #steady: SteadyChecks;
  readonly #request: LiveCheckRequest;

  constructor(options: EnginePoseCoachOptions) {
    this.#o = options;
    this.#steady = new SteadyChecks(options.flipMs ?? 300);
    this.#request = {
      needs: cropNeeds(options.spec),
      limits: limitsFor(options.spec, options.limits, options.defaults),
      pixelsMaxSide: options.maxSide ?? 640,
    };
  }

  async analyze(frame: LiveFrame): Promise<CoachUpdate> {
    const now = this.#o.clock.now();
    let checks: readonly CheckResult[];
    let box: [number, number, number, number] | null = null;
    try {
      const { report } = await this.#o.engine.checkLive({ data: frame.data }, this.#request);
      checks = atStillScale(report.checks, (this.#o.stillWidth?.() ?? frame.width) / frame.width);
      box = report.face ? [...report.face.box] : null;
    } catch {
      // A corrupt or unreadable frame says nothing about the person: wait for the next one.
      this.#steady.reset();
      return { ready: false, hint: 'hint.pleaseWait', checks: {}, face: null };
    }
    const steady = this.#steady.update(now, Object.fromEntries(checks.map((c) => [c.id, c.pass])));
    const since = this.#steady.allPassingSince(LIVE_HINT_ORDER);
    const ready = since !== null && now - since >= (this.#o.steadyMs ?? 1200);
    const failing = LIVE_HINT_ORDER.find((id) => steady[id] === false);
    const hint = failing
      ? (checks.find((c) => c.id === failing)?.hint ?? 'hint.holdStill')
      : ready
        ? null
        : 'hint.holdStill';
    return { ready, hint, checks: steady, face: box ? { box } : null };
  }
}

/**
 * The photo is cut from the still, not from the live frame: pixels per inch measured on a frame
 * grow by the still's size over the frame's (a person far away still gets `hint.moveCloser`).
 */
function atStillScale(checks: readonly CheckResult[], ratio: number): readonly CheckResult[] {
  if (!(ratio > 1)) return checks;
  return checks.map((c) => {
    if (c.id !== 'face.resolution' || c.value === null) return c;
    const value = c.value * ratio;
    const pass = value >= c.limit;
    return { ...c, value, pass, hint: pass ? undefined : c.hint };
  });
}
