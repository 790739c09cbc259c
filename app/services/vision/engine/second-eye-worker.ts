/**
 * The second eye's iris, on the machine's second core: a worker thread of the face-analysis
 * worker with a tfjs wasm backend of its own and the iris model alone. It answers one eye crop
 * (64x64x3, as human prepared it) at a time with the iris model's output for it. See
 * `second-eye.ts` for why and for the other side. Started by `second-eye.ts`; never imported.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { format } from 'node:util';
import { parentPort, workerData } from 'node:worker_threads';
import { registerFileLoader } from './human-backend.ts';
import type { Tf, TfTensor } from './human-tf.ts';
import type { FromSecondEye, SecondEyeStart, ToSecondEye } from './second-eye.ts';
import { firstLine } from './worker-wording.ts';

const port = parentPort!;
const post = (message: FromSecondEye, transfer: ArrayBuffer[] = []): void =>
  port.postMessage(message, transfer);
for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
  console[level] = (...args: unknown[]) => post({ type: 'log', level, text: format(...args) });
}

interface IrisGraph {
  execute(input: TfTensor): TfTensor | TfTensor[];
}

const require = createRequire(import.meta.url);
const start = workerData as SecondEyeStart;

async function load(): Promise<{
  tf: Tf & { setBackend(name: string): Promise<boolean>; ready(): Promise<void> };
  model: IrisGraph;
}> {
  // The same tfjs packages human's wasm build requires (human bundles none of them).
  const tf = require('@tensorflow/tfjs-core') as Tf & {
    setBackend(name: string): Promise<boolean>;
    ready(): Promise<void>;
  };
  const converter = require('@tensorflow/tfjs-converter') as Pick<Tf, 'loadGraphModel'>;
  const wasm = require('@tensorflow/tfjs-backend-wasm') as { setWasmPaths(prefix: string): void };
  const wasmDir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
  wasm.setWasmPaths(wasmDir + path.sep);
  if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend did not start');
  await tf.ready();
  registerFileLoader(tf, start.modelUrl);
  const model = (await converter.loadGraphModel(start.modelUrl)) as unknown as IrisGraph;
  tf.dispose(model.execute(tf.zeros([1, 64, 64, 3], 'float32'))); // compiles the kernels
  return { tf, model };
}

const loading = load();

port.on('message', (message: ToSecondEye) => {
  loading.then(
    ({ tf, model }) => {
      const input = tf.tensor4d(message.crop, [1, 64, 64, 3], 'float32');
      try {
        const output = model.execute(input) as TfTensor;
        // A fresh copy out of the wasm memory: moved to the other thread as it is.
        const values = output.dataSync() as Float32Array;
        tf.dispose(output);
        post({ type: 'iris', id: message.id, values }, [values.buffer as ArrayBuffer]);
      } catch (error) {
        post({ type: 'failed', id: message.id, message: firstLine(error) });
      } finally {
        tf.dispose(input);
      }
    },
    () => {}, // start-failed was reported; the other side stops this worker
  );
});

loading.then(
  () => post({ type: 'ready' }),
  (error: unknown) => post({ type: 'start-failed', message: firstLine(error) }),
);
