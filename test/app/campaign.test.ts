// The kill -9 fault campaign at the size CI affords: every crash point once (more seeds where a
// seed's coins did not reach the point), a real SIGKILL, a restart on the same data directory,
// and the books checked against the emulated coin acceptor's cash box and the hopper's own count.
import { describe, expect, it } from 'vitest';
import { crashPoints } from '../../core/crash-point.ts';
import { runCampaign, type CampaignCase } from '../../app/simulate/campaign.ts';

describe('kiosk simulate --campaign', () => {
  it(
    'kills the booth at every crash point of a paid session; after each restart the books balance to the coin',
    { timeout: 600_000 },
    async () => {
      const seen: CampaignCase[] = [];
      const report = await runCampaign({ seeds: 1, onCase: (c) => seen.push(c) });
      const broken = report.cases
        .filter((c) => c.problems.length > 0)
        .map((c) => ({ point: c.point, seed: c.seed, problems: c.problems }));
      expect(broken).toEqual([]);
      expect(report.unreached).toEqual([]);
      // Each point was really a kill -9 there, and money moved in every case.
      for (const point of crashPoints) {
        const killed = report.cases.find((c) => c.point === point && c.crashed);
        expect(killed, point).toBeDefined();
        expect(killed!.books!.cashIn, point).toBeGreaterThan(0);
      }
      // The campaign's customers pay back through the hopper and redeem vouchers: both happened.
      expect(report.cases.some((c) => (c.books?.hopperPaid ?? 0) > 0)).toBe(true);
      expect(report.cases.some((c) => (c.books?.totals.vouchersRedeemed ?? 0) > 0)).toBe(true);
      expect(seen).toHaveLength(report.cases.length);
    },
  );
});
