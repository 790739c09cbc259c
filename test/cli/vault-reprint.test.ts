import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cliOn } from '../support/cli-in-process.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openPrivacy } from '../../app/services/vault/open-vault.ts';
import { boothConfigSchema } from '../../config/schema.ts';
import { SystemClock } from '../../core/clock.ts';

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'kiosk-reprint-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

const cli = (args: string[]) => cliOn(dataDir, args);

/** A finished session in the unit's vault, as the booth leaves it: one sheet, kept for reprints. */
async function keptSession(receiptCode: string, sheets: number): Promise<void> {
  const { vault } = openPrivacy({ dataDir, config: boothConfigSchema.parse({}), clock: new SystemClock() });
  await vault.beginSession('session-1', { receiptCode });
  await vault.put('session-1', 'still', Buffer.from('still'));
  const sheet = readFileSync(new URL('../../demo-assets/portraits/portrait-1.jpg', import.meta.url));
  for (let i = 0; i < sheets; i++) await vault.put('session-1', 'print-sheet', sheet);
  await vault.endSession('session-1', 'retain');
  vault.close();
}

describe('kiosk vault reprint', () => {
  it('reprints a kept session by its receipt code, typed sloppily, and audits it', async () => {
    await keptSession('7K2QM-9XH4P', 1);
    const done = await cli(['vault', 'reprint', '7k2qm9xh4p']);
    expect(done.err).toBe('');
    expect(JSON.parse(done.out)).toEqual({ reprinted: 1 });
    const status = JSON.parse((await cli(['vault', 'status', '--json'])).out);
    expect(status.lastAudit).toMatchObject({ action: 'reprint', sessions: 1 });
    expect(JSON.stringify(status)).not.toContain('7K2QM');
  }, 30_000);

  it('says so when the code is unknown or the session has no sheet', async () => {
    await keptSession('7K2QM-9XH4P', 0);
    expect(await cli(['vault', 'reprint', 'AAAAA-BBBBB'])).toMatchObject({ code: 1 });
    const none = await cli(['vault', 'reprint', '7K2QM-9XH4P']);
    expect(none.code).toBe(1);
    expect(none.err).toContain('no print sheet');
  });

  it('needs the operator PIN once one is set', async () => {
    await keptSession('7K2QM-9XH4P', 1);
    expect((await cli(['config', 'set-pin', '482913'])).code).toBe(0);
    const refused = await cli(['vault', 'reprint', '7K2QM-9XH4P', '--pin', '000000']);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('operator PIN');
    expect((await cli(['vault', 'reprint', '7K2QM-9XH4P', '--pin', '482913'])).code).toBe(0);
  }, 30_000);

  it('a CLI command beside the running booth never sweeps a file the booth has not indexed yet', async () => {
    await keptSession('7K2QM-9XH4P', 1);
    const fresh = join(dataDir, 'vault', 'blobs', 'f'.repeat(32));
    writeFileSync(fresh, 'sealed bytes the booth is about to index');
    expect((await cli(['vault', 'status', '--json'])).code).toBe(0);
    expect((await cli(['vault', 'wipe', '--older-than', '0'])).code).toBe(0);
    expect(existsSync(fresh)).toBe(true);
  }, 30_000);
});
