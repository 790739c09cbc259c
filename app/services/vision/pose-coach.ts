import type { LiveFrame } from '../../../hardware/camera/camera-port.ts';
import type { CoachUpdate } from '../../../flows/session/services.ts';
import type { ReviewReport } from '../../../flows/session/context.ts';

/** Judges live-view frames for one session and says when the person is ready to be photographed. */
export interface PoseCoach {
  analyze(frame: LiveFrame): Promise<CoachUpdate>;
}

/** Judges a captured still against a document's rules. */
export interface StillChecker {
  check(still: Buffer, documentId: string): Promise<ReviewReport>;
}
