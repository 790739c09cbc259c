import type { Clock } from '../../../../hardware/clock.ts';
import type { KioskConfig } from '../../../../config/schema.ts';
import type { Logger } from '../../../logging/logger.ts';
import type { PoseCoach, StillChecker } from '../pose-coach.ts';
import { WorkerFaceEngine } from '../engine/worker-face-engine.ts';
import type { FaceEngine } from '../engine/face-engine.ts';
import { EnginePoseCoach } from './engine-pose-coach.ts';
import { EngineStillChecker } from './engine-still-checker.ts';

export interface VisionParts {
  engine: FaceEngine;
  newCoach: (documentId: string, camera: { stillWidth?: number }) => PoseCoach;
  stillChecker: StillChecker;
  close(): Promise<void>;
}

/**
 * Starts the face engine the config asks for. Null means the basic coach and checker (config
 * `vision.engine: basic`); an engine that cannot start is an error the caller reports.
 */
export async function openVision(
  config: KioskConfig,
  clock: Clock,
  logger: Logger,
): Promise<VisionParts | null> {
  if (config.vision.engine === 'basic') return null;
  const engine = await WorkerFaceEngine.start({
    onWorkerOutput: (text, level) => logger.debug({ level, text }, 'face engine output'),
  });
  logger.info({ backend: engine.info?.backend }, 'face engine ready');
  return {
    engine,
    newCoach: (documentId, camera) =>
      new EnginePoseCoach({
        engine,
        clock,
        specId: documentId,
        steadyMs: config.vision.steadyMs,
        stillWidth: () => camera.stillWidth,
      }),
    stillChecker: new EngineStillChecker(engine),
    close: () => engine.close(),
  };
}
