/**
 * head.roll, head.yaw, head.pitch: the head's rotation from the engine (degrees, signs as in
 * `HeadRotation`), each within ± its limit. The hint asks for the turn that undoes the rotation.
 */
import type { HeadRotation } from '../engine/face-engine.ts';
import { roundValue, type CheckResult, type HintKey } from './check-result.ts';
import type { ComplianceLimits } from './limits.ts';

function within(
  id: 'head.roll' | 'head.yaw' | 'head.pitch',
  value: number,
  limit: number,
  what: string,
  positive: { words: string; hint: HintKey },
  negative: { words: string; hint: HintKey },
): CheckResult {
  const pass = Math.abs(value) <= limit;
  const side = value >= 0 ? positive : negative;
  const deg = Math.abs(value).toFixed(1);
  return {
    id,
    pass,
    value: roundValue(value, 1),
    limit,
    message: pass
      ? `${what} ${deg}° (at most ${limit}° either way).`
      : `The head is ${side.words} by ${deg}°; at most ${limit}° is allowed.`,
    ...(pass ? {} : { hint: side.hint }),
  };
}

export function checkHeadPose(rotation: HeadRotation, limits: ComplianceLimits): CheckResult[] {
  return [
    within(
      'head.roll',
      rotation.roll,
      limits.maxRollDeg,
      'Head tilt',
      { words: "tilted towards the person's left shoulder", hint: 'hint.tiltHeadRight' },
      { words: "tilted towards the person's right shoulder", hint: 'hint.tiltHeadLeft' },
    ),
    within(
      'head.yaw',
      rotation.yaw,
      limits.maxYawDeg,
      'Head turn',
      { words: "turned to the person's left", hint: 'hint.turnHeadRight' },
      { words: "turned to the person's right", hint: 'hint.turnHeadLeft' },
    ),
    within(
      'head.pitch',
      rotation.pitch,
      limits.maxPitchDeg,
      'Head nod',
      { words: 'tipped back (chin up)', hint: 'hint.chinDown' },
      { words: 'tipped forward (chin down)', hint: 'hint.chinUp' },
    ),
  ];
}
