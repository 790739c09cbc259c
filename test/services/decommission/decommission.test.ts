import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger, type Logger } from '../../../app/logging/logger.ts';
import {
  decommissionFile,
  readDecommissionState,
} from '../../../app/services/decommission/decommission-state.ts';
import { PhotoVault } from '../../../app/services/vault/photo-vault.ts';
import { SystemClock } from '../../../core/clock.ts';
import { filesUnder, repoRoot } from '../../vault/vault-test-kit.ts';
import { freePort, makeCertificate, mimeParts, startSmtpServer } from '../outbox/smtp-test-server.ts';
import {
  customerAddress,
  kitConfig,
  openKitBooth,
  operatorPin,
  seedKitBooth,
  technicianPin,
  type KitBooth,
} from './decommission-kit.ts';

let certDir: string;
let cert: { keyFile: string; certFile: string };
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let sheet: Buffer;
let jpeg: Buffer;
let dataDir: string;
let booth: KitBooth | null;
let logLines: string[];
let logger: Logger;

beforeAll(async () => {
  certDir = mkdtempSync(join(tmpdir(), 'kiosk-decommission-cert-'));
  cert = makeCertificate(certDir);
  smtp = await startSmtpServer(cert);
  const pixels = Buffer.alloc(413 * 531 * 3);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 2654435761) >>> 24;
  jpeg = await sharp(pixels, { raw: { width: 413, height: 531, channels: 3 } })
    .jpeg({ quality: 90 })
    .toBuffer();
  sheet = await sharp({ create: { width: 600, height: 400, channels: 3, background: '#dddddd' } })
    .jpeg()
    .toBuffer();
});

afterAll(async () => {
  await smtp.close();
  rmSync(certDir, { recursive: true, force: true });
});

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'kiosk-decommission-'));
  logLines = [];
  logger = createLogger({ level: 'debug', destination: { write: (l: string) => logLines.push(l) } });
  smtp.received.length = 0;
  booth = null;
});

afterEach(async () => {
  await booth?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const config = () => kitConfig({ port: smtp.port, caFile: cert.certFile });

async function seeded(): Promise<{ printable: string; unprintable: string }> {
  booth = await openKitBooth(dataDir, config(), logger);
  return seedKitBooth(booth, sheet, jpeg);
}

/** The copy of the vault an attacker might have taken before: sealed files and index, no key. */
function copyVaultWithoutKey(): string {
  const copy = mkdtempSync(join(tmpdir(), 'kiosk-vault-copy-'));
  cpSync(join(dataDir, 'vault'), copy, { recursive: true, filter: (src) => !src.endsWith('master.key') });
  return copy;
}

function addressTraces(extra: string[] = []): string[] {
  const forms = [customerAddress, Buffer.from(customerAddress).toString('base64').slice(0, -4)];
  const found = filesUnder(dataDir).filter((f) => forms.some((form) => readFileSync(f).includes(form)));
  return [...found, ...[...logLines, ...extra].filter((l) => forms.some((form) => l.includes(form)))];
}

describe('end of service: kiosk decommission', () => {
  it('needs the technician PIN; then shows the closing notice with its date and keeps serving until then', async () => {
    await seeded();
    const d = booth!.decommission;
    expect(d.view()).toEqual({ phase: 'in-service', closesAt: null, takesMoney: true, step: null });
    await expect(d.begin({ pin: operatorPin })).rejects.toMatchObject({ code: 'technician-pin-required' });
    await expect(d.begin({ pin: '0000' })).rejects.toMatchObject({ code: 'technician-pin-required' });
    await expect(d.begin({ role: 'operator' })).rejects.toMatchObject({ code: 'technician-pin-required' });
    expect(existsSync(decommissionFile(dataDir))).toBe(false);

    const now = Date.now();
    const view = await d.begin({ pin: technicianPin });
    expect(view.phase).toBe('closing');
    expect(view.takesMoney).toBe(true);
    expect(view.closesAt! - now).toBeGreaterThanOrEqual(3 * 86_400_000 - 5_000);
    expect(view.closesAt! - now).toBeLessThanOrEqual(3 * 86_400_000 + 5_000);
    // Asked again: the first date stands, nothing else happens.
    expect(await d.begin({ role: 'technician', noticeDays: 0 })).toEqual(view);
    expect(booth!.desk.list()).toHaveLength(2);
    expect(existsSync(join(dataDir, 'vault', 'master.key'))).toBe(true);
    expect(booth!.access.recentAudit(10).map((a) => a.action)).toContain('decommission-begun');
  });

  it('past the notice: owed prints printed or paid back, the waiting email sent, then the vault destroyed for good', async () => {
    const { printable, unprintable } = await seeded();
    const keyBefore = readFileSync(join(dataDir, 'vault', 'master.key'));
    const copy = copyVaultWithoutKey();
    try {
      const view = await booth!.decommission.begin({ pin: technicianPin, noticeDays: 0 });
      expect(view).toMatchObject({ phase: 'decommissioned', takesMoney: false, step: 'done' });

      // Owed work: the printable order printed, the other's price back in coins; nothing owed.
      expect(booth!.desk.list()).toEqual([]);
      expect(booth!.printer.status().mediaRemaining).toBe(399);
      const totals = booth!.journal.totals();
      expect(totals.reversed).toBe(1200);
      expect(booth!.journal.owedPrints()).toEqual([]);
      const givenUp = booth!.access.recentAudit(20).filter((a) => a.action === 'owed-print-given-up');
      expect(givenUp.map((a) => a.subject)).toEqual([unprintable]);
      expect(givenUp.map((a) => a.subject)).not.toContain(printable);

      // The stored email went out, with its attachment, before the vault went.
      expect(smtp.received).toHaveLength(1);
      expect(smtp.received[0]!.to).toEqual([customerAddress]);
      const attachment = mimeParts(smtp.received[0]!.raw).parts.find((p) =>
        p.headers['content-type']?.startsWith('image/jpeg'),
      )!;
      expect(attachment.body.equals(jpeg)).toBe(true);

      // The final line: counts only.
      const state = readDecommissionState(decommissionFile(dataDir))!;
      expect(state.counts).toEqual({
        owedDelivered: 1,
        owedRefunded: 1,
        refundedPaidOut: 1200,
        refundedOnVouchers: 0,
        mailsSent: 1,
        mailsShredded: 0,
        sessions: 1,
        items: 2,
        records: 0,
      });
      const last = booth!.access.recentAudit(1)[0]!;
      expect(last.action).toBe('decommissioned');
      expect(JSON.stringify(last)).not.toMatch(/closing-session|@/);

      // The vault: no key, no index, no sealed file; never opened again.
      expect(readdirSync(join(dataDir, 'vault')).sort()).toEqual(['DESTROYED', 'blobs', 'scratch']);
      expect(readdirSync(join(dataDir, 'vault', 'blobs'))).toEqual([]);
      for (const file of filesUnder(dataDir))
        expect(readFileSync(file).includes(keyBefore), file).toBe(false);
      expect(() =>
        PhotoVault.open({ dir: join(dataDir, 'vault'), clock: new SystemClock(), retentionDays: 7 }),
      ).toThrow(expect.objectContaining({ code: 'vault-destroyed' }));
      // A copy taken before cannot be opened: its key is gone with the booth's.
      expect(readdirSync(join(copy, 'blobs')).length).toBeGreaterThan(0);
      expect(() => PhotoVault.open({ dir: copy, clock: new SystemClock(), retentionDays: 7 })).toThrow(
        expect.objectContaining({ code: 'master-key-missing' }),
      );
      expect(addressTraces()).toEqual([]);

      // Asked again: still done, nothing moves.
      expect(await booth!.decommission.begin({ pin: technicianPin })).toMatchObject({
        phase: 'decommissioned',
      });
      expect(smtp.received).toHaveLength(1);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it('an email the server cannot take before the vault goes is shredded with it, and counted', async () => {
    const port = await freePort();
    booth = await openKitBooth(dataDir, kitConfig({ port, caFile: cert.certFile }), logger);
    await seedKitBooth(booth, sheet, jpeg);
    expect(await booth.decommission.begin({ pin: technicianPin, noticeDays: 0 })).toMatchObject({
      phase: 'decommissioned',
    });
    const { counts } = readDecommissionState(decommissionFile(dataDir))!;
    expect(counts).toMatchObject({ mailsSent: 0, mailsShredded: 1, records: 1 });
    expect(smtp.received).toHaveLength(0);
    expect(addressTraces()).toEqual([]);
  });
});

const moduleUrl = (path: string) => JSON.stringify(pathToFileURL(join(repoRoot, path)).href);

/**
 * A booth process that decommissions `dataDir` and SIGKILLs itself at a chosen point: right
 * after a step is written (KILL_AFTER), or inside the vault's destruction just after the master
 * key is gone and before the index is (KILL_IN_DESTROY): a kill -9 mid-way, at a known place.
 */
const childScript = `
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { createLogger } from ${moduleUrl('app/logging/logger.ts')};
import { kitConfig, openKitBooth, technicianPin } from ${moduleUrl('test/services/decommission/decommission-kit.ts')};

const [dataDir, port, caFile] = process.argv.slice(2);
const die = (where) => {
  process.stdout.write(JSON.stringify({ killed: where }) + '\\n');
  process.kill(process.pid, 'SIGKILL');
  for (;;);
};
if (process.env.KILL_IN_DESTROY) {
  const rm = fs.rmSync;
  fs.rmSync = (path, options) => {
    if (String(path).endsWith('index.sqlite')) die('destroying');
    return rm(path, options);
  };
  syncBuiltinESMExports();
}
const booth = await openKitBooth(dataDir, kitConfig({ port: Number(port), caFile }), createLogger(), (step) => {
  if (step === process.env.KILL_AFTER) die(step);
});
const view = process.env.BEGIN
  ? await booth.decommission.begin({ pin: technicianPin, noticeDays: 0 })
  : await booth.decommission.resume();
process.stdout.write(JSON.stringify({ view }) + '\\n');
await booth.close();
`;

async function runChild(env: Record<string, string>): Promise<{ signal: string | null; out: string }> {
  const script = join(dataDir, '..', `decommission-child-${process.pid}.mts`);
  writeFileSync(script, childScript);
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', script, dataDir, String(smtp.port), cert.certFile],
    {
      cwd: repoRoot,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const signal = await new Promise<string | null>((resolve) =>
    child.on('exit', (_code, sig) => resolve(sig)),
  );
  rmSync(script, { force: true });
  if (signal === null && !out.includes('"view"')) throw new Error(`the child failed: ${err}`);
  return { signal, out };
}

describe('end of service across a kill -9', () => {
  it.each([
    ['after the owed prints are settled', { KILL_AFTER: 'owed-settled' }, 'owed-settled'],
    [
      'inside the vault destruction, the key gone and the index not yet',
      { KILL_IN_DESTROY: '1' },
      'outbox-flushed',
    ],
  ])('killed %s: the next start finishes the job, nothing done twice', async (_what, kill, stepAtKill) => {
    await seeded();
    const copy = copyVaultWithoutKey();
    await booth!.close();
    booth = null;
    try {
      const first = await runChild({ BEGIN: '1', ...kill });
      expect(first.signal).toBe('SIGKILL');
      const atKill = readDecommissionState(decommissionFile(dataDir))!;
      expect(atKill.step).toBe(stepAtKill);
      if ('KILL_IN_DESTROY' in kill) {
        expect(atKill.destroying).toBe(true);
        expect(existsSync(join(dataDir, 'vault', 'master.key'))).toBe(false);
        expect(existsSync(join(dataDir, 'vault', 'index.sqlite'))).toBe(true);
      }

      const second = await runChild({});
      expect(second.signal).toBeNull();
      const state = readDecommissionState(decommissionFile(dataDir))!;
      expect(state.step).toBe('done');
      expect(state.counts).toMatchObject({
        owedDelivered: 1,
        owedRefunded: 1,
        refundedPaidOut: 1200,
        mailsSent: 1,
      });
      expect(smtp.received).toHaveLength(1);

      booth = await openKitBooth(dataDir, config(), logger);
      expect(booth.vault).toBeNull();
      expect(booth.desk.list()).toEqual([]);
      expect(booth.journal.totals().reversed).toBe(1200); // refunded once, not twice
      expect(booth.access.recentAudit(20).filter((a) => a.action === 'decommissioned')).toHaveLength(1);
      expect(readdirSync(join(dataDir, 'vault', 'blobs'))).toEqual([]);
      expect(existsSync(join(dataDir, 'vault', 'index.sqlite'))).toBe(false);
      expect(() => PhotoVault.open({ dir: copy, clock: new SystemClock(), retentionDays: 7 })).toThrow(
        expect.objectContaining({ code: 'master-key-missing' }),
      );
      expect(addressTraces([first.out, second.out])).toEqual([]);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});
