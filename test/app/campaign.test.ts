// The fault campaign at the size CI affords: every fault at every crash point once (more seeds
// where a seed's coins did not reach the point): a real SIGKILL, a real full disk (a tmpfs of its
// own, filled to the last byte), the wall clock stepped forward and back; then a restart on the
// same data directory, and the books checked against the emulated coin acceptor's cash box and
// the hopper's own count.
import { describe, expect, it } from 'vitest';
import { crashPoints } from '../../core/crash-point.ts';
import { runCampaign, type CampaignCase } from '../../app/simulate/campaign.ts';
import { campaignFaults } from '../../app/simulate/campaign-faults.ts';

describe('kiosk simulate --campaign', () => {
  it(
    'brings every fault at every crash point of a paid session; after each the books balance to the coin',
    { timeout: 900_000 },
    async () => {
      const seen: CampaignCase[] = [];
      const report = await runCampaign({ seeds: 1, onCase: (c) => seen.push(c) });
      const broken = report.cases
        .filter((c) => c.problems.length > 0)
        .map((c) => ({ point: c.point, fault: c.fault, seed: c.seed, problems: c.problems }));
      expect(broken).toEqual([]);
      expect(report.unreached).toEqual([]);
      // Only a disk-full case may be skipped, and only where this machine refuses the mount.
      for (const c of report.cases.filter((c) => c.skipped))
        expect([c.fault, c.skipped]).toEqual(['disk-full', expect.stringMatching(/cannot mount a tmpfs/)]);
      // Each fault really came at each point, and money moved in every case.
      for (const fault of campaignFaults)
        for (const point of crashPoints) {
          const hit = report.cases.find(
            (c) => c.point === point && c.fault === fault && (c.crashed || c.skipped),
          );
          expect(hit, `${point} (${fault})`).toBeDefined();
          if (!hit!.skipped) expect(hit!.books!.cashIn, `${point} (${fault})`).toBeGreaterThan(0);
        }
      // A full disk was really full under the booth: it stopped selling on the failed write.
      for (const c of report.cases.filter((c) => c.fault === 'disk-full' && c.crashed))
        expect(c.outOfService.join(' '), c.point).toMatch(/journal:disk-full|storage:low/);
      // The campaign's customers pay back through the hopper and redeem vouchers: both happened.
      expect(report.cases.some((c) => (c.books?.hopperPaid ?? 0) > 0)).toBe(true);
      expect(report.cases.some((c) => (c.books?.totals.vouchersRedeemed ?? 0) > 0)).toBe(true);
      // A clock 100 days on outlives a voucher issued before it: journaled as expired, balanced.
      expect(
        report.cases.some((c) => c.fault === 'clock-forward' && (c.books?.totals.vouchersExpired ?? 0) > 0),
      ).toBe(true);
      expect(seen).toHaveLength(report.cases.length);
    },
  );
});
