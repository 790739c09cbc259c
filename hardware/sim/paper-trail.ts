/** How many printed items a simulated printer keeps (the most recent). */
export const paperTrailLength = 500;

/**
 * Adds what a simulated printer printed to its list, dropping the oldest beyond the most recent
 * `keep`. A simulator runs 10,000 sessions in a soak, so it must not keep every slip it ever made
 * (it did: the heap grew by every receipt and voucher). Tests look at the last few.
 */
export function addToPaperTrail<T>(list: T[], item: T, keep = paperTrailLength): void {
  list.push(item);
  if (list.length > keep) list.splice(0, list.length - keep);
}
