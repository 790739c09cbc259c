import type { Clock } from '../../../../core/clock.ts';
import type { KioskConfig } from '../../../../config/schema.ts';
import type { Logger } from '../../../logging/logger.ts';
import type { PoseCoach, StillChecker } from '../pose-coach.ts';
import { WorkerFaceEngine } from '../engine/worker-face-engine.ts';
import type { FaceEngine } from '../engine/face-engine.ts';
import { EnginePoseCoach } from './engine-pose-coach.ts';
import { DocumentCatalogue } from '../../../../config/documents/document-catalogue.ts';
import { BoothPhotoProducer, type PhotoProducer } from '../../production/photo-producer.ts';
import { SteadyPoseCoach } from '../steady-pose-coach.ts';
import { BasicStillChecker } from '../basic-still-checker.ts';
import { EngineStillChecker } from './engine-still-checker.ts';

export interface VisionParts {
  engine: FaceEngine;
  newCoach: (documentId: string, camera: { stillWidth?: number }) => PoseCoach;
  stillChecker: StillChecker;
  /** Makes the document's photos (always with the face engine: the crop needs the landmarks). */
  producer: PhotoProducer;
  close(): Promise<void>;
}

/**
 * Starts the face engine. With `vision.engine: basic` the coach and the review check are the
 * basic exposure-and-steadiness pair, but the photos are still made with the engine, since a
 * compliant crop needs the face's landmarks. An engine that cannot start is an error the caller
 * reports.
 */
export async function openVision(config: KioskConfig, clock: Clock, logger: Logger): Promise<VisionParts> {
  const engine = await WorkerFaceEngine.start({
    onWorkerOutput: (text, level) => logger.debug({ level, text }, 'face engine output'),
  });
  logger.info({ backend: engine.info?.backend }, 'face engine ready');
  const catalogue = DocumentCatalogue.withOperatorSpecs(config.documentSpecs);
  const producer = new BoothPhotoProducer(engine, config);
  if (config.vision.engine === 'basic') {
    return {
      engine,
      newCoach: () => new SteadyPoseCoach(),
      stillChecker: new BasicStillChecker(),
      producer,
      close: () => engine.close(),
    };
  }
  return {
    engine,
    producer,
    newCoach: (documentId, camera) =>
      new EnginePoseCoach({
        engine,
        clock,
        spec: catalogue.get(documentId),
        steadyMs: config.vision.steadyMs,
        stillWidth: () => camera.stillWidth,
      }),
    stillChecker: new EngineStillChecker(engine, {}, catalogue),
    close: () => engine.close(),
  };
}
