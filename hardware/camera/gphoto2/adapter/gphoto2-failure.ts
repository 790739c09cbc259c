import type { CameraCode } from '../../../../core/errors.ts';
import type { ChildFailure } from '../driver/child-link.ts';
import { GpResult } from '../driver/gphoto2-result.ts';

/** What a failed camera call means for the booth. */
export interface FailureMeaning {
  /** The DeviceError code the call rejects with. */
  readonly code: CameraCode;
  /**
   * The camera (or its child) is lost: the supervisor reports it, kills the child and starts a
   * new one. libgphoto2 does not recover a camera object once its USB link broke.
   */
  readonly lost: boolean;
  /** The status reason while it is lost. */
  readonly reason: 'disconnected' | 'claimed-by-another-process';
}

/** Codes that mean the USB link is broken: -1 is what a stale camera object answers after a replug. */
const linkBroken = new Set<number>([
  GpResult.error,
  GpResult.io,
  GpResult.ioUsbFind,
  GpResult.ioInit,
  GpResult.ioRead,
  GpResult.ioWrite,
  GpResult.ioUsbClearHalt,
]);

export function meaningOf(failure: ChildFailure): FailureMeaning {
  const lost = (code: CameraCode, reason: FailureMeaning['reason'] = 'disconnected'): FailureMeaning => ({
    code,
    lost: true,
    reason,
  });
  const kept = (code: CameraCode): FailureMeaning => ({ code, lost: false, reason: 'disconnected' });
  switch (failure.kind) {
    case 'gone':
      return lost('disconnected');
    case 'timeout':
      // A call that never returns holds the child's one camera slot for good: replace it.
      return lost('timeout');
    case 'camera':
      break;
  }
  const gp = failure.gpCode;
  if (gp === null) return kept('adapter-error');
  if (linkBroken.has(gp)) return lost('disconnected');
  switch (gp) {
    case GpResult.ioUsbClaim:
      return lost('claimed-by-another-process', 'claimed-by-another-process');
    case GpResult.cameraBusy:
      return kept('busy');
    case GpResult.timeout:
      return kept('timeout');
    case GpResult.notSupported:
      return kept('not-supported');
    default:
      return kept('adapter-error');
  }
}
