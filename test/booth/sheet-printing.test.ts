import { describe, expect, it } from 'vitest';
import { SimClock } from '../../core/sim-clock.ts';
import { SimulatedPhotoPrinter } from '../../hardware/printer/simulated-photo-printer.ts';
import { printSheetWithRetries } from '../../app/booth/sheet-printing.ts';

const sheet = { jobName: 'booth-test', media: '4x6', copies: 1, data: Buffer.from([0xff, 0xd8, 0xff, 0xe0]) };

async function jammedPrinter(clock: SimClock) {
  const printer = new SimulatedPhotoPrinter({ clock, printMs: 1_000 });
  await printer.open();
  printer.injectFault('jam');
  return printer;
}

/** Runs `work` on simulated time until it settles; returns its outcome. */
async function run(clock: SimClock, work: Promise<void>): Promise<'printed' | string> {
  let outcome: string | undefined;
  work.then(
    () => (outcome = 'printed'),
    (error: { code?: string }) => (outcome = error.code ?? 'error'),
  );
  await clock.runUntil(() => outcome !== undefined, clock.now() + 60_000);
  return outcome ?? 'still running';
}

describe('printSheetWithRetries', () => {
  it('retries once the printer is ready again (a jam cleared within the wait)', async () => {
    const clock = new SimClock();
    const printer = await jammedPrinter(clock);
    clock.setTimeout(() => printer.clearFault('jam'), 4_000);
    const outcome = await run(
      clock,
      printSheetWithRetries(printer, sheet, { retries: 1, retryWaitMs: 10_000 }, clock),
    );
    expect(outcome).toBe('printed');
    expect(printer.printed).toHaveLength(1);
  });

  it('gives up with the printer’s reason when it is not ready within the wait', async () => {
    const clock = new SimClock();
    const printer = await jammedPrinter(clock);
    clock.setTimeout(() => printer.clearFault('jam'), 20_000);
    const outcome = await run(
      clock,
      printSheetWithRetries(printer, sheet, { retries: 1, retryWaitMs: 10_000 }, clock),
    );
    expect(outcome).toBe('media-jam');
    expect(printer.printed).toHaveLength(0);
  });

  it('with no retries, fails at the first error without waiting', async () => {
    const clock = new SimClock();
    const printer = await jammedPrinter(clock);
    const startedAt = clock.now();
    const outcome = await run(
      clock,
      printSheetWithRetries(printer, sheet, { retries: 0, retryWaitMs: 10_000 }, clock),
    );
    expect(outcome).toBe('media-jam');
    expect(clock.now() - startedAt).toBeLessThan(1_000);
  });
});
