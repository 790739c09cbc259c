/**
 * `task` never runs twice at once: a call while it runs is remembered and runs once after it.
 * A failure goes to `onError` (never an unhandled rejection).
 */
export function oneAtATime(task: () => Promise<void>, onError: (error: unknown) => void): () => void {
  let running = false;
  let again = false;
  const run = (): void => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    again = false;
    task()
      .catch(onError)
      .finally(() => {
        running = false;
        if (again) run();
      });
  };
  return run;
}
