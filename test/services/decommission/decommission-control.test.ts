import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { decommissionFile, vaultMayOpen } from '../../../app/services/decommission/decommission-state.ts';
import { dataPaths } from '../../../config/data-dir.ts';
import { newReceiptCode } from '../../../core/receipt-code.ts';
import { cliOn } from '../../support/cli-in-process.ts';
import { cleanUp, hostClosers, openHost, runningBooth } from './running-booth.ts';

afterEach(() => cleanUp());

describe('kiosk decommission, on the running booth through its control channel', () => {
  it('refuses the operator PIN, takes the technician one, shows the closing date; asked again, the first date stands', async () => {
    const { dir, host } = await runningBooth();
    await host.privacy.vault.beginSession('a-customer', { receiptCode: newReceiptCode() });
    await host.privacy.vault.put('a-customer', 'still', Buffer.from('a photo'));

    let run = await cliOn(dir, ['decommission', 'status', '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.out)).toEqual({
      phase: 'in-service',
      closesAt: null,
      takesMoney: true,
      step: null,
    });

    process.env.KIOSK_PIN = '4821';
    try {
      run = await cliOn(dir, ['decommission', 'begin']);
      expect(run.code).toBe(1);
      expect(run.err).toMatch(/technician PIN/);
      expect(existsSync(decommissionFile(dir))).toBe(false);

      process.env.KIOSK_PIN = '7390';
      run = await cliOn(dir, ['decommission', 'begin', '--json']);
      expect(run.code).toBe(0);
      const closing = JSON.parse(run.out) as { phase: string; closesAt: number };
      expect(closing.phase).toBe('closing');
      expect(closing.closesAt - Date.now()).toBeGreaterThan(5 * 86_400_000 - 60_000);
      run = await cliOn(dir, ['decommission', 'status']);
      expect(run.out).toMatch(/^closing on \d{4}-\d\d-\d\dT/);

      // Asked again with no notice: the first date stands (idempotent).
      run = await cliOn(dir, ['decommission', 'begin', '--notice-days', '0', '--json']);
      expect(JSON.parse(run.out)).toMatchObject({ phase: 'closing', closesAt: closing.closesAt });
    } finally {
      delete process.env.KIOSK_PIN;
    }
    expect(readdirSync(join(dataPaths(dir).vault, 'blobs'))).toHaveLength(1);
  });

  it('with no notice: money stopped, the vault destroyed, and the booth says so', async () => {
    const { dir, host } = await runningBooth();
    await host.privacy.vault.beginSession('a-customer', { receiptCode: newReceiptCode() });
    await host.privacy.vault.put('a-customer', 'still', Buffer.from('a photo'));
    process.env.KIOSK_PIN = '7390';
    try {
      const run = await cliOn(dir, ['decommission', 'begin', '--notice-days', '0']);
      expect(run.code, run.err).toBe(0);
      expect(run.out).toMatch(/^decommissioned/);
    } finally {
      delete process.env.KIOSK_PIN;
    }
    expect(vaultMayOpen(dir)).toBe(false);
    expect(existsSync(join(dataPaths(dir).vault, 'master.key'))).toBe(false);
    expect(readdirSync(join(dataPaths(dir).vault, 'blobs'))).toEqual([]);
    const status = await cliOn(dir, ['decommission', 'status', '--json']);
    expect(JSON.parse(status.out)).toMatchObject({ phase: 'decommissioned', takesMoney: false });
    expect(host.operatorAccess!.recentAudit(5).map((a) => a.action)).toContain('decommissioned');
    expect((await cliOn(dir, ['decommission', 'begin', '--notice-days', 'x'])).code).toBe(2);

    // Started again: the booth refuses, its vault is gone for good.
    await hostClosers.get(host)!();
    await expect(openHost(dir)).rejects.toMatchObject({ code: 'vault-destroyed' });
    // No booth runs, and the status still says so from the state file.
    const after = await cliOn(dir, ['decommission', 'status', '--json']);
    expect(after.code).toBe(0);
    expect(JSON.parse(after.out)).toMatchObject({ phase: 'decommissioned' });
  });

  it('a power cut during the destruction: the next start finishes it before refusing to open the vault', async () => {
    const { dir, host } = await runningBooth();
    await host.privacy.vault.beginSession('a-customer', { receiptCode: newReceiptCode() });
    await host.privacy.vault.put('a-customer', 'still', Buffer.from('a photo'));
    const d = host.decommission!;
    await d.begin({ role: 'technician', noticeDays: 3 });
    await hostClosers.get(host)!();
    // As the state file stands when the power went just after the key: destroying, key gone.
    const file = decommissionFile(dir);
    const state = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    writeFileSync(file, JSON.stringify({ ...state, step: 'outbox-flushed', destroying: true }));
    rmSync(join(dataPaths(dir).vault, 'master.key'));
    expect(readdirSync(join(dataPaths(dir).vault, 'blobs'))).toHaveLength(1);

    await expect(openHost(dir)).rejects.toMatchObject({ code: 'vault-destroyed' });
    expect(readdirSync(join(dataPaths(dir).vault, 'blobs'))).toEqual([]);
    expect(existsSync(join(dataPaths(dir).vault, 'index.sqlite'))).toBe(false);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ step: 'done' });
  });
});
