import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { boothConfigSchema } from '../../config/schema.ts';
import { runSimulation, type SimulationReport } from '../../app/simulate/run-simulation.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'kiosk-sim-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
const config = boothConfigSchema.parse({});

function expectBalanced(r: SimulationReport): void {
  expect(r.creditIn).toBe(
    r.creditPrinted + r.creditCarried + r.creditRefunded + r.creditKept + r.creditVouchers + r.creditOwed,
  );
  // The journal holds exactly what the devices took: nothing lost, nothing doubled.
  expect(r.cashBoxIn).toBe(r.creditIn);
  expect(r.completed + r.abandoned).toBe(r.sessions);
  expect(Object.values(r.outcomes).reduce((a, b) => a + b, 0)).toBe(r.sessions);
}

describe('kiosk simulate', () => {
  it('accounts for every session and every cent of 80 customers', async () => {
    const r = await runSimulation({ config, dataDir, sessions: 80, seed: 7 });
    expect(r.sessions).toBe(80);
    expectBalanced(r);
    expect(r.completed).toBeGreaterThan(40);
    expect(r.outcomes['declined']).toBeGreaterThan(0);
    expect(r.outcomes['walked-away']).toBeGreaterThan(0);
    expect(r.outcomes['cancelled']).toBeGreaterThan(0);
    expect(r.prints).toBeGreaterThanOrEqual(r.completed);
    expect(r.creditPrinted).toBeGreaterThanOrEqual(
      r.completed * Math.min(...config.products.map((p) => p.price)),
    );
    // Walk-aways and overpayments leave credit behind: by default it goes on a voucher, not to
    // the next customer.
    expect(r.creditVouchers).toBeGreaterThan(0);
    expect(r.creditCarried).toBe(0);
    expect(r.errors).toEqual({});
  }, 240_000);

  it('keeps the books balanced when printers jam, cameras drop out and payment times out', async () => {
    const r = await runSimulation({
      config,
      dataDir,
      sessions: 80,
      seed: 7,
      faults: ['printer-jam', 'camera-disconnect', 'payment-timeout', 'printer-out-of-paper'],
      faultRate: 0.3,
    });
    expectBalanced(r);
    // A jam that outlasts the retry: the paid prints are owed, and printed after the repair.
    expect(r.errors['printOwed']).toBeGreaterThan(0);
    expect(r.outcomes['owed']).toBe(r.errors['printOwed']);
    expect(r.errors['cameraFailed']).toBeGreaterThan(0);
    expect(r.errors['paymentFailed'] ?? 0).toBeGreaterThan(0);
    expect(r.errors['unavailable']).toBeGreaterThan(0);
    expect(r.errors['outOfService']).toBeGreaterThan(0);
    expect(r.outcomes['failed']).toBeGreaterThan(0);
  }, 240_000);

  it('is deterministic under a seed', async () => {
    const a = await runSimulation({
      config,
      dataDir,
      sessions: 15,
      seed: 11,
      faults: ['printer-jam'],
      faultRate: 0.3,
    });
    const b = await runSimulation({
      config,
      dataDir,
      sessions: 15,
      seed: 11,
      faults: ['printer-jam'],
      faultRate: 0.3,
    });
    expect(b).toEqual(a);
  }, 120_000);

  it('puts the price back into credit when a failed print is set to refund, not owe', async () => {
    const refunding = boothConfigSchema.parse({ printing: { whenFailed: 'refund', retries: 0 } });
    const r = await runSimulation({
      config: refunding,
      dataDir,
      sessions: 20,
      seed: 7,
      faults: ['printer-jam'],
      faultRate: 0.5,
    });
    expectBalanced(r);
    expect(r.errors['printFailed']).toBeGreaterThan(0);
    expect(r.errors['printOwed']).toBeUndefined();
    expect(r.creditOwed).toBe(0);
  }, 120_000);

  it('refunds instead of carrying when the unit is configured so', async () => {
    const refunding = boothConfigSchema.parse({
      money: { unusedCredit: 'refund' },
      hardware: { hopper: { adapter: 'simulated', coinValue: 50, coins: 500 } },
    });
    const r = await runSimulation({ config: refunding, dataDir, sessions: 30, seed: 3 });
    expectBalanced(r);
    expect(r.creditRefunded).toBeGreaterThan(0);
    expect(r.creditCarried).toBe(0);
  }, 120_000);

  it('the operator loads paper when a roll runs out in use: a long run goes on, every print paid', async () => {
    // 400 prints a roll, more than 300 sessions print: the booth closes once (media-empty).
    const r = await runSimulation({ config, dataDir, sessions: 300, seed: 1 });
    expectBalanced(r);
    expect(r.sessions).toBe(300);
    expect(r.prints).toBeGreaterThan(400);
    expect(r.errors['outOfService']).toBeGreaterThan(0);
  }, 240_000);
});
