/**
 * human's configuration in the worker: the start configuration (face detector, mesh and iris
 * only; models and wasm binaries from node_modules, never a URL) and the settings of each call.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Config } from '@vladmandic/human';
import type { EngineWorkerSettings } from './worker-protocol.ts';

const require = createRequire(import.meta.url);

export function baseConfig(backend: 'tensorflow' | 'wasm', settings: EngineWorkerSettings): Partial<Config> {
  const humanRoot = path.join(path.dirname(require.resolve('@vladmandic/human')), '..');
  const wasmDir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
  return {
    backend,
    wasmPath: wasmDir + path.sep,
    modelBasePath: pathToFileURL(path.join(humanRoot, 'models') + path.sep).href,
    debug: false,
    warmup: 'none',
    cacheModels: false,
    validateModels: false,
    cacheSensitivity: 0,
    filter: { enabled: false },
    gesture: { enabled: false },
    body: { enabled: false },
    hand: { enabled: false },
    object: { enabled: false },
    segmentation: { enabled: false },
    face: {
      enabled: true,
      detector: {
        rotation: settings.rotation.still,
        maxDetected: settings.maxDetected,
        minConfidence: settings.minConfidence,
        return: false,
        skipFrames: 0,
        skipTime: 0,
      },
      mesh: { enabled: true, keepInvalid: false },
      iris: { enabled: settings.iris.live || settings.iris.still },
      attention: { enabled: false },
      emotion: { enabled: false },
      description: { enabled: false },
      antispoof: { enabled: false },
      liveness: { enabled: false },
      gear: { enabled: false },
    },
  };
}

/** Per-call settings; every call sets the same keys because human keeps what it is given. */
export function modeConfig(
  settings: EngineWorkerSettings,
  mode: 'live' | 'still',
  forceDetect: boolean,
): Partial<Config> {
  const cache = mode === 'live' && !forceDetect;
  return {
    cacheSensitivity: cache ? settings.live.cacheSensitivity : 0,
    face: {
      detector: {
        rotation: settings.rotation[mode],
        skipFrames: cache ? settings.live.skipFrames : 0,
        skipTime: cache ? settings.live.skipTime : 0,
      },
      iris: { enabled: settings.iris[mode] },
    },
  };
}
