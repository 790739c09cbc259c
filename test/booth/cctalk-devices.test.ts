import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { emulatorSerialNumbers } from '../../hardware/payment/cctalk/emulators/cctalk-emulators.ts';
import { createDevices } from '../../app/booth/create-devices.ts';
import { createPhotoPrinter } from '../../hardware/printer/index.ts';
import { CreditJournal } from '../../app/money/credit-journal.ts';
import { boothConfigSchema } from '../../config/schema.ts';
import { SystemClock } from '../../core/clock.ts';

const dir = mkdtempSync(join(tmpdir(), 'kiosk-cctalk-devices-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const simulatorConfig = boothConfigSchema.parse({
  hardware: { payment: { adapter: 'cctalk', port: 'simulator', pollMs: 100 } },
});

/** socat processes this test process started (the emulators' pty pairs). */
function ownSocats(): string[] {
  try {
    return execFileSync('pgrep', ['-P', String(process.pid), 'socat'], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .filter(Boolean);
  } catch {
    return []; // pgrep exits 1 when there is none
  }
}

describe('createDevices: hardware.payment cctalk', () => {
  it('with port "simulator" starts its own emulators on open, keeps their counters in the journal and stops them on close', async () => {
    const journal = CreditJournal.open(join(dir, 'journal.sqlite'));
    const clock = new SystemClock();
    const keys = [`cctalk:coin:${emulatorSerialNumbers.coin}`, `cctalk:bill:${emulatorSerialNumbers.bill}`];
    for (let run = 1; run <= 2; run++) {
      const { payment } = createDevices(simulatorConfig, clock, { counters: journal });
      expect(ownSocats()).toEqual([]); // building opens nothing
      await payment.open();
      expect(ownSocats()).toHaveLength(1);
      expect(payment.status()).toMatchObject({ online: true, ready: true, accepting: false });
      // The same fixed serial numbers every run: the journal's counters are found again.
      expect(payment.deviceId).toBe(keys.join('+'));
      for (const key of keys) expect(journal.lastEventCounter(key)).toBe(0);
      await payment.setAcceptance(true);
      expect(payment.status().accepting).toBe(true);
      await payment.close();
      expect(ownSocats()).toEqual([]);
    }
    journal.close();
  }, 30_000);

  it('says why when the port cannot be opened, and needs the journal for its counters', async () => {
    const journal = CreditJournal.open(join(dir, 'journal-2.sqlite'));
    const config = boothConfigSchema.parse({
      hardware: { payment: { adapter: 'cctalk', port: '/dev/no-such-cctalk-port' } },
    });
    const { payment } = createDevices(config, new SystemClock(), { counters: journal });
    await expect(payment.open()).rejects.toThrow(/cannot open the serial port \/dev\/no-such-cctalk-port/);
    expect(payment.status().ready).toBe(false);
    await payment.close();
    expect(() => createDevices(config, new SystemClock())).toThrow(
      'hardware.payment "cctalk" needs the credit journal to keep its event counters',
    );
    // A reprint needs the photo printer only.
    expect(
      createPhotoPrinter(config.hardware.photoPrinter, { clock: new SystemClock(), seed: 1, media: '4x6' })
        .kind,
    ).toBeTruthy();
    journal.close();
  });
});
