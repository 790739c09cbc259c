/**
 * Starting human in the worker: the backend, the face models (checked loaded), the iris fix,
 * and a warm-up pass, with what the engine is told once the worker is ready.
 */
import { threadId } from 'node:worker_threads';
import type { Human as HumanInstance } from '@vladmandic/human';
import { loadHumanModule, registerFileLoader } from './human-backend.ts';
import { closeRangeDetector, type DetectorSwitch } from './close-range-detector.ts';
import { baseConfig, modeConfig } from './human-config.ts';
import type { GraphModelLike, Tf } from './human-tf.ts';
import { orientEyeCropsForIris } from './iris-eye-crops.ts';
import type { EngineWorkerSettings, WorkerReady } from './worker-protocol.ts';

export interface Runtime {
  human: HumanInstance;
  tf: Tf;
  backend: string;
  /** Which face detector the next frame gets (see close-range-detector.ts). */
  detector: DetectorSwitch;
}

export async function startHuman(
  settings: EngineWorkerSettings,
): Promise<{ runtime: Runtime; ready: WorkerReady }> {
  const t0 = performance.now();
  const { module, backend, why } = await loadHumanModule(settings.backend);
  const human = new module.Human(baseConfig(backend, settings));
  const tf = human.tf as Tf;
  registerFileLoader(tf, (human.config.modelBasePath || 'file:///') + 'blazeface.json');
  await human.load();
  const actual = tf.getBackend();
  if (actual !== backend) throw new Error(`backend ${backend} did not start (got ${actual})`);
  for (const name of [
    'blazeface',
    'facemesh',
    ...(settings.iris.live || settings.iris.still ? ['iris'] : []),
  ]) {
    if (!human.models.models[name]) throw new Error(`model ${name} did not load`);
  }
  const irisModel = human.models.models['iris'] as GraphModelLike | null | undefined;
  if (irisModel) orientEyeCropsForIris(irisModel, tf, human.env.kernels);
  const detector = await closeRangeDetector(tf, human.models.models['blazeface'] as GraphModelLike, {
    live: settings.liveDetector,
  });
  const loadMs = performance.now() - t0;

  const runtime: Runtime = { human, tf, backend: actual, detector };
  const t1 = performance.now();
  await warmUp(runtime, settings);
  const warmupMs = performance.now() - t1;

  let wasm: WorkerReady['wasm'];
  if (actual === 'wasm') {
    wasm = {
      simd: Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')),
      threads: Boolean(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')),
    };
  }
  return {
    runtime,
    ready: {
      backend: actual,
      threadId,
      ...(why ? { tfjsNodeUnavailable: why } : {}),
      versions: { human: human.version, tfjs: tf.version['tfjs-core'] ?? 'unknown' },
      ...(wasm ? { wasm } : {}),
      loadMs: Math.round(loadMs),
      warmupMs: Math.round(warmupMs),
    },
  };
}

/** Runs every loaded model once on zeros (compiles the wasm kernels), then a full pass per mode. */
async function warmUp({ human, tf, detector }: Runtime, settings: EngineWorkerSettings): Promise<void> {
  for (const model of Object.values(human.models.models) as Array<GraphModelLike | null>) {
    if (!model) continue;
    const shape = (model.inputs?.[0]?.shape ?? [1, 64, 64, 3]).map((d, i) => (d > 0 ? d : i === 0 ? 1 : 64));
    const input = tf.zeros(shape, model.inputs?.[0]?.dtype ?? 'float32');
    try {
      tf.dispose(model.execute(input));
    } finally {
      tf.dispose(input);
    }
  }
  const frame = tf.tensor3d(new Float32Array(424 * 640 * 3).fill(128), [424, 640, 3], 'float32');
  try {
    await human.detect(frame as never, modeConfig(settings, 'still', true));
    detector.use('live');
    await human.detect(frame as never, modeConfig(settings, 'live', true));
  } finally {
    detector.use('still');
    tf.dispose(frame);
  }
}
