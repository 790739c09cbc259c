import type { Camera, LiveFrame, LiveView } from '../../hardware/camera/camera-port.ts';
import type { Clock } from '../../core/clock.ts';
import { faultCode, type CoachUpdate } from '../../flows/session/services.ts';
import type { PoseCoach } from '../services/vision/pose-coach.ts';

/**
 * Runs live view through a pose coach until stopped. The loop asks for the next frame only when
 * the coach is done with the last one, so with the camera's latest-frame-wins hand-over a slow
 * analysis skips frames instead of queueing them.
 */
export function runLiveCoaching(options: {
  camera: Camera;
  coach: PoseCoach;
  clock: Clock;
  report: {
    update: (u: CoachUpdate) => void;
    fault: (code: string) => void;
    /** Optional tap for the screen: each frame the coach analysed, with what it found. */
    frame?: (frame: LiveFrame, update: CoachUpdate) => void;
  };
}): () => void {
  const { camera, coach, clock, report } = options;
  let stopped = false;
  let view: LiveView | undefined;

  const run = async (): Promise<void> => {
    try {
      view = await camera.startLiveView();
      while (!stopped) {
        const frame = await view.next();
        if (stopped) break;
        const update = await clock.track(coach.analyze(frame));
        if (stopped) break;
        report.update(update);
        report.frame?.(frame, update);
      }
    } catch (error) {
      if (!stopped) report.fault(faultCode(error));
    } finally {
      if (stopped) await view?.stop().catch(() => {});
    }
  };
  // Its own failures are reported as a camera fault; this catches a fault report that throws.
  run().catch(() => {});

  return () => {
    stopped = true;
    // A live view that will not stop is the camera's next fault, reported by its status.
    view?.stop().catch(() => {});
  };
}
