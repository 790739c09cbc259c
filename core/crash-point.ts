/**
 * Named places in the money path where the fault campaign (`kiosk simulate --campaign`) cuts the
 * power: with `KIOSK_CRASH_AT=<point>` (optionally `<point>:<n>` for the n-th time it is passed)
 * the process SIGKILLs itself there, as a kill -9 or a power cut would: no handler, no flush, no
 * cleanup runs. Without the variable a crash point does nothing (one string compare).
 *
 * The variable is read once, at start; the booth never sets it itself. The campaign may put
 * another fault in the kill's place (`faultAtCrashPoint`: the disk fills up, the clock steps):
 * the process then goes on, and must cope.
 */

/** Every crash point, in the order a paid session passes them. */
export const crashPoints = [
  /** A coin is journaled; the screen has not heard of it. */
  'after-credit',
  /** The order is journaled as paid; nothing shot yet. */
  'after-order',
  /** A sheet was sent to the printer and is coming out. */
  'mid-print',
  /** A sheet came out; the next (or the delivery) is not journaled. */
  'after-sheet',
  /** Every sheet is out; the order is not yet journaled as delivered. */
  'during-delivery',
  /** An undelivered order went back to credit; the credit is not settled yet. */
  'during-ending',
  /** A payout is journaled; the hopper has been told to pay, coins may be moving. */
  'during-payout',
  /** A voucher is journaled as issued; its slip is not printed yet. */
  'after-voucher-issued',
  /** A voucher is journaled as redeemed; the screen has not heard of it. */
  'during-redeem',
] as const;

export type CrashPoint = (typeof crashPoints)[number];

const wanted = parse(process.env['KIOSK_CRASH_AT']);
let passes = 0;
let fired = false;
let instead: ((point: CrashPoint) => void) | null = null;

/**
 * At the wanted point, run `fault` instead of the kill (once, synchronously, where the kill
 * would have come). For the campaign's own process only.
 */
export function faultAtCrashPoint(fault: (point: CrashPoint) => void): void {
  instead = fault;
}

function parse(value: string | undefined): { point: string; nth: number } | null {
  if (!value) return null;
  const [point, nth] = value.split(':');
  return { point: point!, nth: nth ? Math.max(1, Number.parseInt(nth, 10) || 1) : 1 };
}

/** Cuts the power here when the campaign asked for this point (see the module comment). */
export function crashPoint(point: CrashPoint): void {
  if (fired || wanted?.point !== point || ++passes < wanted.nth) return;
  fired = true;
  if (instead) {
    process.stderr.write(`fault-point ${point}\n`);
    instead(point);
    return;
  }
  // Said on stderr first so the campaign knows where the process died (a write to a pipe is
  // synchronous enough for one line); then the signal, which no handler can catch.
  process.stderr.write(`crash-point ${point}\n`);
  process.kill(process.pid, 'SIGKILL');
}
