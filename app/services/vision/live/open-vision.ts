import type { Clock } from '../../../../core/clock.ts';
import type { BoothConfig } from '../../../../config/schema.ts';
import type { Logger } from '../../../logging/logger.ts';
import type { PoseCoach, StillChecker } from '../pose-coach.ts';
import { WorkerFaceEngine } from '../engine/worker-face-engine.ts';
import type { FaceEngine } from '../engine/face-engine.ts';
import type { LiveFrameChecker } from '../engine/live-check.ts';
import { EnginePoseCoach } from './engine-pose-coach.ts';
import { DocumentCatalogue } from '../../../../config/documents/document-catalogue.ts';
import { BoothPhotoProducer } from '../../production/photo-producer.ts';
import { SteadyPoseCoach } from '../steady-pose-coach.ts';
import { BasicStillChecker } from '../basic-still-checker.ts';
import { EngineStillChecker } from './engine-still-checker.ts';

export interface VisionParts {
  engine: FaceEngine & LiveFrameChecker;
  newCoach: (documentId: string, camera: { stillWidth?: number }) => PoseCoach;
  stillChecker: StillChecker;
  /** Makes the document's photos (always with the face engine: the crop needs the landmarks). */
  producer: BoothPhotoProducer;
  /**
   * A new config: coaching, review and production use its documents, limits and media from the
   * next session on. The engine (worker and models) is never restarted for a config change.
   */
  reconfigure(config: BoothConfig): { producer: 'updated' | 'kept'; checks: 'updated' | 'kept' };
  close(): Promise<void>;
}

/**
 * Starts the face engine. With `vision.engine: basic` the coach and the review check are the
 * basic exposure-and-steadiness pair, but the photos are still made with the engine, since a
 * compliant crop needs the face's landmarks. An engine that cannot start is an error the caller
 * reports.
 */
export async function openVision(config: BoothConfig, clock: Clock, logger: Logger): Promise<VisionParts> {
  const engine = await WorkerFaceEngine.start({
    onWorkerOutput: (text, level) => logger.debug({ level, text }, 'face engine output'),
  });
  logger.info({ backend: engine.info?.backend }, 'face engine ready');
  return visionOver(engine, config, clock);
}

/** Coaching, review and production over a running engine, for a config. */
export function visionOver(
  engine: FaceEngine & LiveFrameChecker,
  initial: BoothConfig,
  clock: Clock,
): VisionParts {
  const producer = new BoothPhotoProducer(engine, initial);
  const checksFor = (config: BoothConfig) => {
    if (config.vision.engine === 'basic')
      return { newCoach: () => new SteadyPoseCoach(), stillChecker: new BasicStillChecker() };
    const catalogue = DocumentCatalogue.withOperatorSpecs(config.documentSpecs);
    return {
      newCoach: (documentId: string, camera: { stillWidth?: number }) =>
        new EnginePoseCoach({
          engine,
          clock,
          spec: catalogue.get(documentId),
          steadyMs: config.vision.steadyMs,
          defaults: config.vision.checks,
          stillWidth: () => camera.stillWidth,
        }),
      stillChecker: new EngineStillChecker(engine, {}, catalogue, config.vision.checks),
    };
  };
  const checksUse = (c: BoothConfig) => JSON.stringify([c.vision, c.documentSpecs]);
  let config = initial;
  let checks = checksFor(config);
  return {
    engine,
    producer,
    // Looked up per session, so a new config reaches the next customer.
    newCoach: (documentId, camera) => checks.newCoach(documentId, camera),
    stillChecker: { check: (still, documentId) => checks.stillChecker.check(still, documentId) },
    reconfigure: (next) => {
      const checksChanged = checksUse(next) !== checksUse(config);
      if (checksChanged) checks = checksFor(next);
      config = next;
      return {
        producer: producer.reconfigure(next) ? 'updated' : 'kept',
        checks: checksChanged ? 'updated' : 'kept',
      };
    },
    close: () => engine.close(),
  };
}
