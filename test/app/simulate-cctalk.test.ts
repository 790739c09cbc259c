import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../app/cli/main.ts';
import { createLogger } from '../../app/logging/logger.ts';
import { runSimulation, type SimulationReport } from '../../app/simulate/run-simulation.ts';
import { boothConfigSchema } from '../../config/schema.ts';
import { runKiosk } from '../support/run-kiosk.ts';

/**
 * `kiosk simulate --payment cctalk`: the scripted customers pay through the real ccTalk adapter
 * and host, over a real pty pair (socat) to the coin acceptor and bill validator emulators.
 */

const dataDir = mkdtempSync(join(tmpdir(), 'kiosk-sim-cctalk-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const ccTalkFaults = [
  'cctalk-garbage',
  'cctalk-bad-checksum',
  'cctalk-dropped-reply',
  'cctalk-device-reset',
  'cctalk-lost-events',
  'note-jam',
] as const;

function expectBalanced(r: SimulationReport): void {
  expect(r.creditIn).toBe(
    r.creditPrinted + r.creditCarried + r.creditRefunded + r.creditKept + r.creditVouchers + r.creditOwed,
  );
  // The journal holds exactly what the emulators' cash box and stacker took.
  expect(r.cashBoxIn).toBe(r.creditIn);
  expect(r.completed + r.abandoned).toBe(r.sessions);
}

const kiosk = (args: string[]) => runKiosk(args);

describe('kiosk simulate --payment cctalk', () => {
  it('takes every session’s money over the ccTalk line and balances the books', async () => {
    const { code, stdout, stderr } = await kiosk([
      'simulate',
      '--sessions',
      '8',
      '--seed',
      '5',
      '--payment',
      'cctalk',
      '--data-dir',
      dataDir,
    ]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const r = JSON.parse(lines[0]!) as SimulationReport;
    expect(r.sessions).toBe(8);
    expectBalanced(r);
    expect(r.creditIn).toBeGreaterThan(0);
    expect(r.completed).toBeGreaterThan(0);
    // Everything went over the line. (No count of retries is asserted: on a loaded machine a
    // reply can miss the host's real-time timeout and be retried, which is the host's job.)
    expect(r.ccTalkLine!.commands).toBeGreaterThan(100);
  }, 120_000);

  it('keeps the books balanced under every ccTalk line fault, and the adapter sees each one', async () => {
    const lines: string[] = [];
    const logger = createLogger({
      destination: { write: (line: string) => void lines.push(line) } as never,
    });
    const r = await runSimulation({
      config: boothConfigSchema.parse({}),
      dataDir,
      sessions: 12,
      seed: 3,
      payment: 'cctalk',
      faults: [...ccTalkFaults, 'payment-timeout'],
      faultRate: 0.5,
      logger,
    });
    expect(r.sessions).toBe(12);
    expectBalanced(r);
    expect(r.creditIn).toBeGreaterThan(0);
    const faults = lines
      .map((line) => JSON.parse(line) as { msg: string; code?: string })
      .filter((entry) => entry.msg === 'payment device fault')
      .map((entry) => entry.code);
    expect(faults).toEqual(expect.arrayContaining(['device-reset', 'lost-events', 'note-jam']));
    // Garbage, bad checksums and dropped replies cost retries; a dead device a failed payment,
    // and faults that keep coming take the booth out of service until the technician clears it.
    expect(r.ccTalkLine!.retries).toBeGreaterThan(0);
    expect(r.ccTalkLine!.noise).toBeGreaterThan(0);
    const escalations = lines.filter((line) => line.includes('payment device keeps faulting')).length;
    expect((r.errors['paymentFailed'] ?? 0) + escalations).toBeGreaterThan(0);
  }, 180_000);

  it('exits 0 with balanced books from the CLI with the ccTalk faults on', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(
      [
        'simulate',
        '--sessions',
        '10',
        '--seed',
        '9',
        '--payment',
        'cctalk',
        '--faults',
        ccTalkFaults.join(','),
        '--data-dir',
        dataDir,
      ],
      { out: (l) => out.push(l), err: (l) => err.push(l) },
    );
    expect(err).toEqual([]);
    expect(code).toBe(0);
    const r = JSON.parse(out.join('')) as SimulationReport;
    expect(r.sessions).toBe(10);
    expectBalanced(r);
  }, 120_000);

  it('refuses an unknown payment and ccTalk faults without --payment cctalk (exit 2)', async () => {
    const call = async (args: string[]) => {
      const err: string[] = [];
      const code = await main(args, { out: () => {}, err: (l) => err.push(l) });
      return { code, err: err.join('\n') };
    };
    const cash = await call(['simulate', '--sessions', '1', '--payment', 'cash', '--data-dir', dataDir]);
    expect(cash.code).toBe(2);
    expect(cash.err).toContain('--payment must be "simulated" or "cctalk", not "cash"');
    const jam = await call(['simulate', '--sessions', '1', '--faults', 'note-jam', '--data-dir', dataDir]);
    expect(jam.code).toBe(2);
    expect(jam.err).toContain('fault "note-jam" needs --payment cctalk');
  });
});
