/**
 * Where the worker's human comes from: the tfjs-node build when tfjs-node can be imported, else
 * the wasm build, and (for wasm) a loader that reads `file://` models from disk.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { HumanModule, Tf } from './human-tf.ts';
import type { BackendPreference } from './worker-protocol.ts';
import { firstLine } from './worker-wording.ts';

const require = createRequire(import.meta.url);

/** Loads human on tfjs-node if possible, else on wasm. */
export async function loadHumanModule(preference: BackendPreference): Promise<{
  module: HumanModule;
  backend: 'tensorflow' | 'wasm';
  why?: string;
}> {
  const humanDist = path.dirname(require.resolve('@vladmandic/human')); // …/human/dist/human.node.js
  let why: string | undefined;
  if (preference !== 'wasm') {
    try {
      const tfjsNode = '@tensorflow/tfjs-node'; // an optional dependency: often not installed or not built
      await import(tfjsNode);
      return { module: require(path.join(humanDist, 'human.node.js')) as HumanModule, backend: 'tensorflow' };
    } catch (error) {
      why = firstLine(error);
      if (preference === 'tensorflow') throw new Error(`tfjs-node is not usable: ${why}`);
    }
  }
  const module = require(path.join(humanDist, 'human.node-wasm.js')) as HumanModule;
  return { module, backend: 'wasm', ...(why ? { why } : {}) };
}

/** Serves `file://` model URLs from disk (tfjs-core alone only knows http; tfjs-node brings its own). */
export function registerFileLoader(tf: Tf, probeUrl: string): void {
  if (tf.io.getLoadHandlers(probeUrl).length > 0) return;
  tf.io.registerLoadRouter((url) => {
    if (typeof url !== 'string' || !url.startsWith('file://')) return null;
    return {
      load: async () => {
        const file = fileURLToPath(url);
        const json: unknown = JSON.parse(await readFile(file, 'utf8'));
        return tf.io.getModelArtifactsForJSON(json, async (manifest) => {
          const specs: unknown[] = [];
          const parts: Buffer[] = [];
          for (const group of manifest) {
            specs.push(...group.weights);
            for (const p of group.paths) parts.push(await readFile(path.join(path.dirname(file), p)));
          }
          const all = Buffer.concat(parts);
          return [specs, all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) as ArrayBuffer];
        });
      },
    };
  });
}
