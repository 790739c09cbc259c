/**
 * The worker's side of `LiveFrameChecker.checkLive`: one decode, the face models and every check
 * on the same pixels. The decoded frame never leaves the worker; only the report goes back.
 */
import sharp from 'sharp';
import { checkDecodedStill } from '../checks/check-still.ts';
import { fromRgb, type StillPixels } from '../checks/still-pixels.ts';
import type { FaceAnalyser } from './analyze-faces.ts';
import type { Decoded } from './decode-image.ts';
import type { LiveCheckRequest, WorkerLiveCheck } from './live-check.ts';
import type { WireImage } from './worker-protocol.ts';
import { round1 } from './worker-wording.ts';

export async function checkLiveFrame(
  faces: FaceAnalyser,
  image: WireImage,
  request: LiveCheckRequest,
): Promise<WorkerLiveCheck> {
  const { decoded, ms } = await faces.decode('live', image);
  const analysis = await faces.analyzeDecoded('live', decoded, ms);
  const t0 = performance.now();
  const pixels = await pixelsForChecks(decoded, request.pixelsMaxSide);
  const report = checkDecodedStill(pixels, analysis, request.needs, request.limits);
  return {
    width: analysis.width,
    height: analysis.height,
    report,
    backend: analysis.backend,
    timings: { ...analysis.timings, checks: round1(performance.now() - t0) },
  };
}

/**
 * The pixels the checks see, as `decodeStill(frame, maxSide)` gives them: the frame as decoded
 * when it is small enough (a live-view frame is: the camera's are 640 wide), else the decoded
 * pixels scaled down (no second decode of the JPEG).
 */
async function pixelsForChecks(decoded: Decoded, maxSide: number): Promise<StillPixels> {
  const { rgb, width, height, givenWidth } = decoded;
  if (Math.max(width, height) <= maxSide) return fromRgb(rgb, width, height, width / givenWidth);
  const { data, info } = await sharp(rgb, { raw: { width, height, channels: 3 } })
    .resize({ width: maxSide, height: maxSide, fit: 'inside' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return fromRgb(
    new Uint8Array(data.buffer, data.byteOffset, data.length),
    info.width,
    info.height,
    info.width / givenWidth,
  );
}
