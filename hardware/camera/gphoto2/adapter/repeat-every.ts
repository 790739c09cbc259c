import type { Clock, TimerHandle } from '../../../../core/clock.ts';

/**
 * Runs `check` every `ms` on the booth's clock until it answers false or the returned stop is
 * called. The next run is timed from the end of the last (a slow camera call never stacks up
 * checks). The gphoto2 camera's no-frame watch and keep-alive are two of these.
 */
export function repeatEvery(clock: Clock, ms: number, check: () => boolean | Promise<boolean>): () => void {
  let timer: TimerHandle | undefined;
  let stopped = false;
  const tick = async () => {
    timer = undefined;
    const again = await check();
    if (again && !stopped) timer = clock.setTimeout(run, ms);
  };
  const run = () => {
    // A check that throws is a bug in it: it stops repeating rather than failing the booth.
    tick().catch(() => {});
  };
  timer = clock.setTimeout(run, ms);
  return () => {
    stopped = true;
    if (timer !== undefined) clock.clearTimeout(timer);
    timer = undefined;
  };
}
