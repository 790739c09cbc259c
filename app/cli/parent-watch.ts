/**
 * Calls `onGone` once when the process that started this one goes away. `npm start` and `npx kiosk`
 * run the booth under a shell or npm, which do not pass a SIGTERM or the terminal's hang-up on to
 * the booth: without this the booth (and its browser and serial emulators) would keep running,
 * orphaned, after its parent was stopped. Linux re-parents an orphan at once (to init or a
 * subreaper), so a changed ppid is a reliable sign; Node has no prctl(PR_SET_PDEATHSIG).
 */
export function watchParent(onGone: () => void, everyMs = 500): () => void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    onGone();
  }, everyMs);
  // Never what keeps the booth running.
  timer.unref();
  return () => clearInterval(timer);
}
