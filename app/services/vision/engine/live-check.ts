/**
 * The live frame's check, done where the frame is decoded: the engine decodes a live-view frame
 * once, in its worker, runs the face models on it and every check of `checks/` on the same
 * pixels, and answers with the report alone. (Before, the frame was decoded a second time on the
 * main thread for the pixel checks, which ran there too.) Plain data and types: runs anywhere.
 */
import type { StillReport } from '../checks/check-still.ts';
import type { CropNeeds } from '../checks/crop-needs.ts';
import type { ComplianceLimits } from '../checks/limits.ts';
import type { FaceImage } from './face-engine.ts';

export interface LiveCheckRequest {
  readonly needs: CropNeeds;
  readonly limits: ComplianceLimits;
  /**
   * The pixel checks look at the frame scaled so its longer side is at most this (they need the
   * face's scale, not the sensor's size); a smaller frame is checked as it is.
   */
  readonly pixelsMaxSide: number;
}

export interface LiveCheck {
  /** Size of the frame as given (after EXIF orientation); the report's box is in these pixels. */
  readonly width: number;
  readonly height: number;
  readonly report: StillReport;
  /** The TensorFlow.js backend that ran the models. */
  readonly backend: string;
  /** Time from the call to the answer, in ms, as the caller saw it. */
  readonly ms: number;
  /** Where the time went in the worker, in ms: decoding the frame, the models, the checks. */
  readonly timings: { readonly decode: number; readonly inference: number; readonly checks: number };
}

/** An engine that checks live frames itself (`WorkerFaceEngine`). */
export interface LiveFrameChecker {
  /** Live mode (the detector may be skipped, see `AnalyzeOptions`), then every check. */
  checkLive(image: FaceImage, request: LiveCheckRequest): Promise<LiveCheck>;
}

/**
 * The check as the worker answers it (the main side adds the round trip's `ms`). Here, with the
 * other plain types, so the worker protocol names it without importing the worker's code.
 */
export type WorkerLiveCheck = Omit<LiveCheck, 'ms'>;
