/**
 * Both irises at once: the iris model is the costliest step of a live frame on wasm (~12 ms for
 * the two eyes, one after the other; the face mesh takes ~5.5), and tfjs's wasm backend runs on
 * one thread in Node. The booth has two cores, so the second eye goes to a worker of this worker
 * (`second-eye-worker.ts`, with the iris model alone) while this thread runs the first: ~6 ms
 * for both.
 *
 * human 3.3.6 runs the iris model once on a batch of the two eye crops, `[left, right]`, and
 * then only reads the output's `data()`. So the model's `execute` is wrapped: for a batch of two,
 * the second crop is read out and posted to the helper, the first runs here, and the output
 * handed back to human is the first eye's, whose `data()` waits for the second eye's answer and
 * returns both, as the batch would have. A helper that fails or does not answer in time is
 * stopped and the eye runs here instead (that frame and every later one): slower, never wrong.
 * The crop orientation fix (`iris-eye-crops.ts`) wraps this one, so the crops here are the ones
 * the model must see.
 */
import { Worker } from 'node:worker_threads';
import type { GraphModelLike, Tf, TfTensor } from './human-tf.ts';
import { workerEntry } from './worker-entry.ts';
import { firstLine } from './worker-wording.ts';

export interface SecondEyeStart {
  /** The iris model's `file://` URL. */
  readonly modelUrl: string;
}
export type ToSecondEye = { readonly id: number; readonly crop: Float32Array };
export type FromSecondEye =
  | { readonly type: 'ready' }
  | { readonly type: 'start-failed'; readonly message: string }
  | { readonly type: 'log'; readonly level: string; readonly text: string }
  | { readonly type: 'iris'; readonly id: number; readonly values: Float32Array }
  | { readonly type: 'failed'; readonly id: number; readonly message: string };

export interface SecondEye {
  /** Eyes the helper answered, and eyes run here because it could not. */
  readonly counts: { readonly alongside: number; readonly here: number };
  /** Whether the helper still runs. */
  readonly running: boolean;
}

const START_TIMEOUT_MS = 60_000;
/** An eye takes ~6 ms; an answer this late means the helper is stuck. */
const ANSWER_TIMEOUT_MS = 2_000;

/**
 * Starts the helper and wraps `model.execute`. Resolves once the helper is ready; rejects (and
 * leaves the model as it was) when it does not start, so the caller runs both eyes here.
 */
export async function irisAlongside(
  model: GraphModelLike,
  tf: Tf,
  start: SecondEyeStart,
): Promise<SecondEye> {
  const { script, eval: isEval } = workerEntry(new URL('./second-eye-worker.ts', import.meta.url));
  const worker = new Worker(script, { eval: isEval, workerData: start });
  const pending = new Map<number, { resolve: (v: Float32Array) => void; reject: (e: Error) => void }>();
  let running = true;
  const stop = (why: string): void => {
    if (!running) return;
    running = false;
    console.warn(`the second eye's iris runs on the main analysis thread from now on: ${why}`);
    for (const call of pending.values()) call.reject(new Error(why));
    pending.clear();
    worker.terminate().catch(() => {}); // given up on either way
  };

  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no answer')), START_TIMEOUT_MS);
    worker.on('message', (message: FromSecondEye) => {
      switch (message.type) {
        case 'ready':
          clearTimeout(timer);
          resolve();
          return;
        case 'start-failed':
          clearTimeout(timer);
          reject(new Error(message.message));
          return;
        case 'log':
          (console[message.level as 'log'] ?? console.log)(message.text);
          return;
        case 'iris':
        case 'failed': {
          const call = pending.get(message.id);
          pending.delete(message.id);
          if (message.type === 'iris') call?.resolve(message.values);
          else call?.reject(new Error(message.message));
          return;
        }
      }
    });
    worker.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
      stop(`the helper failed: ${firstLine(error)}`);
    });
    worker.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the helper exited (code ${code})`));
      stop(`the helper exited (code ${code})`);
    });
  }).catch((error: unknown) => {
    stop(firstLine(error));
    throw error;
  });
  // The helper never keeps the process alive; the analysis worker decides that.
  worker.unref();

  const counts = { alongside: 0, here: 0 };
  let nextId = 1;
  const ask = (crop: Float32Array): Promise<Float32Array> => {
    const id = nextId++;
    return new Promise<Float32Array>((resolve, reject) => {
      const timer = setTimeout(() => stop(`no answer in ${ANSWER_TIMEOUT_MS} ms`), ANSWER_TIMEOUT_MS);
      pending.set(id, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      worker.postMessage({ id, crop } satisfies ToSecondEye, [crop.buffer as ArrayBuffer]);
    });
  };

  const execute = model.execute.bind(model);
  model.execute = (input: TfTensor, outputs?: unknown) => {
    if (!running || input?.shape?.length !== 4 || input.shape[0] !== 2) return execute(input, outputs);
    const [first, second] = tf.split(input, 2, 0) as [TfTensor, TfTensor];
    // A fresh copy out of the wasm memory (48 KiB), moved to the helper, not copied again.
    const answer = ask(second.dataSync() as Float32Array);
    answer.catch(() => {}); // awaited in data(); a failure there runs the eye here
    let mine: TfTensor;
    try {
      mine = execute(first, outputs) as TfTensor;
    } finally {
      tf.dispose(first);
    }
    const ownData = mine.data.bind(mine);
    mine.data = async () => {
      const here = await ownData();
      let theirs: ArrayLike<number>;
      try {
        theirs = await answer;
        counts.alongside++;
      } catch {
        const out = execute(second, outputs) as TfTensor;
        theirs = await out.data();
        tf.dispose(out);
        counts.here++;
      } finally {
        tf.dispose(second);
      }
      const both = new Float32Array(here.length + theirs.length);
      both.set(here);
      both.set(theirs, here.length);
      return both;
    };
    return mine;
  };
  return {
    counts,
    get running() {
      return running;
    },
  };
}
