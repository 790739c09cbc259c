// `kiosk simulate --printer URI`: scripted customers print on a real IPP printer (CUPS's
// ippeveprinter). Its status controls the booth: when it runs out of paper during a job, the
// customer's paid prints are owed, the booth refuses money, and once paper is loaded the owed
// prints come out before anyone else's.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { boothConfigSchema } from '../../config/schema.ts';
import { runSimulation, type SimulationReport } from '../../app/simulate/run-simulation.ts';
import { IppPhotoPrinter } from '../../hardware/printer/ipp-photo-printer.ts';
import { paperJobScript, startIppEverywherePrinter } from '../hardware/ipp/ipp-everywhere-printer.ts';
import { runKiosk } from '../support/run-kiosk.ts';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function expectBalanced(r: SimulationReport): void {
  expect(r.creditIn).toBe(
    r.creditPrinted + r.creditCarried + r.creditRefunded + r.creditKept + r.creditVouchers + r.creditOwed,
  );
  expect(r.cashBoxIn).toBe(r.creditIn);
}

const jpegMagic = Buffer.from([0xff, 0xd8, 0xff]);

describe('kiosk simulate --printer (ippeveprinter)', () => {
  it('prints every sheet through IPP: the spool holds one JPEG per job', async () => {
    const printer = await startIppEverywherePrinter({ name: 'Simulate Printer' });
    cleanups.push(() => printer.stop());
    const dataDir = tempDir('kiosk-sim-ipp-');
    const run = await runKiosk([
      'simulate',
      '--sessions',
      '6',
      '--seed',
      '5',
      '--printer',
      printer.url,
      '--data-dir',
      dataDir,
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as SimulationReport;
    expectBalanced(report);
    expect(report.completed).toBeGreaterThan(0);
    // The spool keeps each document as sent (.jpg) and as "printed" (.prn). One job per sheet
    // (a product's prints are its copies), named after the session.
    const sent = (await printer.spooledFiles()).filter((f) => f.endsWith('.jpg'));
    expect(new Set(sent.map((f) => f.replace(/^\d+-/, ''))).size).toBe(report.completed);
    for (const file of sent) {
      expect(file).toMatch(/^\d+-booth-[0-9a-f]{8}\.jpg$/);
      const data = await readFile(join(printer.spoolDir, file));
      expect(data.subarray(0, 3).equals(jpegMagic)).toBe(true);
    }
  }, 120_000);

  it('refuses a printer fault it cannot inject, and a --printer that is not a URL', async () => {
    const dataDir = tempDir('kiosk-sim-ipp-');
    const withFault = await runKiosk(
      ['simulate', '--sessions', '1', '--printer', 'ipp://127.0.0.1:9/ipp/print', '--faults', 'printer-jam'],
      { env: { ...process.env, KIOSK_DATA_DIR: dataDir } },
    );
    expect(withFault.code).toBe(2);
    expect(withFault.stderr).toMatch(/printer-jam/);
    const notUrl = await runKiosk(['simulate', '--sessions', '1', '--printer', '/dev/usb/lp0'], {
      env: { ...process.env, KIOSK_DATA_DIR: dataDir },
    });
    expect(notUrl.code).toBe(2);
    expect(notUrl.stderr).toMatch(/--printer must be/);
  }, 60_000);

  it('out of paper during a job: the prints are owed, no money is taken, and they print after a refill', async () => {
    const printer = await startIppEverywherePrinter({ name: 'Owed Printer' });
    cleanups.push(() => printer.stop());
    const dir = tempDir('kiosk-owed-ipp-');
    // The per-job command is the paper: a job with more copies than are left fails part-way
    // with media-empty (the printer aborts it), as a dye-sub that runs out mid-job does.
    const mediaFile = join(dir, 'media');
    const printedFile = join(dir, 'printed');
    writeFileSync(mediaFile, '3\n');
    writeFileSync(printedFile, '');
    await printer.setJobScript(paperJobScript(mediaFile, printedFile));
    // The printer does not say how many prints are left: it fails part-way through a job.
    const ipp = new IppPhotoPrinter({ url: printer.url, pollMs: 200, jobPollMs: 25 });
    const config = boothConfigSchema.parse({
      printing: { retries: 0 },
      products: [{ id: 'photos-8', prints: 2, photosPerSheet: 4, price: 1200 }],
    });
    const states: string[] = [];
    let refilled = false;
    const report = await runSimulation({
      config,
      dataDir: dir,
      sessions: 5,
      seed: 21,
      photoPrinter: ipp,
      onBooth: (kiosk) =>
        kiosk.onChange(() => {
          const state = kiosk.state;
          if (states.at(-1) !== state) states.push(state);
          // A technician loads paper and power-cycles the printer a little after the booth went
          // out of service.
          if (state.startsWith('outOfService') && !refilled) {
            refilled = true;
            setTimeout(() => {
              writeFileSync(mediaFile, '100\n');
              void printer.restart();
            }, 300);
          }
        }),
    });
    expectBalanced(report);
    expect(report.outcomes['owed']).toBe(1);
    expect(report.errors['printOwed']).toBe(1);
    // The booth stopped selling while the printer was empty...
    const owedAt = states.indexOf('printOwed');
    expect(owedAt).toBeGreaterThan(-1);
    const afterOwed = states.slice(owedAt);
    expect(afterOwed.findIndex((s) => s.startsWith('outOfService'))).toBeGreaterThan(-1);
    expect(afterOwed.indexOf('customer.payment.waiting')).toBeGreaterThan(
      afterOwed.findIndex((s) => s.startsWith('outOfService')),
    );
    // ...and once it was refilled the owed job printed: nothing is owed at the end.
    expect(report.creditOwed).toBe(0);
    const printed = readFileSync(printedFile, 'utf8').split('\n').filter(Boolean);
    // Every sheet of the one owed order came out (a job per sheet, named after the order), and
    // every completed session printed its own.
    const owedJobs = printed.filter((name) => name.startsWith('owed-'));
    expect(owedJobs.length).toBeGreaterThan(0);
    expect(new Set(owedJobs).size).toBe(1);
    expect(new Set(printed.filter((name) => name.startsWith('booth-'))).size).toBe(report.completed);
  }, 180_000);
});
