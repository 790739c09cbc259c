import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * A full garbage collection, so a memory sample measures what is kept, not what the collector
 * has not got to yet (unforced, the soak's heap swung 30-86 MiB from one sample to the next).
 * Node exposes `gc` only with --expose-gc; the flag can be set at run time and the function
 * taken from a fresh context, so `npm run bench` needs no special flags.
 */
export const fullGc: () => void = (() => {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
})();
