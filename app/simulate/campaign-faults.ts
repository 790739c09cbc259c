import { spawnSync } from 'node:child_process';
import { closeSync, fsyncSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { SimClock } from '../../core/sim-clock.ts';

/**
 * What the campaign does to the booth at a crash point. `kill` is the power cut (SIGKILL); the
 * others leave the process running and it must cope: `disk-full` fills the data directory's file
 * system to the last byte (space comes back ten simulated minutes later, as when staff clear
 * it), `clock-forward` steps the wall clock 100 days on (past retention and the voucher's 90
 * days), `clock-back` steps it 3 hours back (an RTC reset, an NTP correction).
 */
export const campaignFaults = ['kill', 'disk-full', 'clock-forward', 'clock-back'] as const;
export type CampaignFault = (typeof campaignFaults)[number];

const day = 86_400_000;
/** How long the disk stays full before staff free it. */
export const diskFullForMs = 10 * 60_000;

/** Runs `fault` in the booth's process, where the kill would have come (see crash-point.ts). */
export function applyCampaignFault(
  fault: Exclude<CampaignFault, 'kill'>,
  booth: { clock: SimClock; dataDir: string },
): void {
  if (fault === 'clock-forward') booth.clock.jumpWallClock(100 * day);
  else if (fault === 'clock-back') booth.clock.jumpWallClock(-3 * 3_600_000);
  else {
    const ballast = fillDisk(booth.dataDir);
    booth.clock.setTimeout(() => rmSync(ballast, { force: true }), diskFullForMs);
  }
}

/**
 * Writes a file until the file system refuses the next byte (ENOSPC, or EDQUOT under a quota):
 * a real full disk under the journal, the vault and the printer's folder, not a mocked one.
 */
export function fillDisk(dir: string): string {
  const ballast = join(dir, 'campaign-ballast');
  const fd = openSync(ballast, 'w', 0o600);
  const chunk = Buffer.alloc(1 << 20);
  try {
    for (;;) {
      try {
        // A short write means the space is gone; the next one says so as an error.
        writeSync(fd, chunk);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOSPC' || code === 'EDQUOT') break;
        throw error;
      }
    }
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return ballast;
}

/**
 * A file system of its own for a disk-full case (a tmpfs of `megabytes`), so filling it cannot
 * touch the machine's own disk. Needs the right to mount (root, CAP_SYS_ADMIN): where it is
 * missing the case is skipped and says why, never run on the real disk.
 */
export function mountSmallDisk(
  dir: string,
  megabytes: number,
): { unmount: () => void } | { refused: string } {
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${megabytes}m,mode=0700`, 'tmpfs', dir], {
    encoding: 'utf8',
  });
  if (mounted.status !== 0)
    return { refused: `cannot mount a tmpfs (${(mounted.stderr || String(mounted.error)).trim()})` };
  return {
    unmount: () => {
      // Lazy: an emulator's last write may still hold a file open for a moment.
      spawnSync('umount', ['-l', dir]);
    },
  };
}
