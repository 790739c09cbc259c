import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { newReceiptCode } from '../../../core/receipt-code.ts';
import { cliOn } from '../../support/cli-in-process.ts';
import { until } from '../../shell/booth-fixture.ts';
import { cleanUp, operatorPin, runningBooth, unitDir } from '../decommission/running-booth.ts';
import { makeCertificate, smtpPassword, smtpUser, startSmtpServer } from './smtp-test-server.ts';

const address = 'walk.in@example.com';
let certDir: string;
let cert: { keyFile: string; certFile: string };
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;

beforeAll(async () => {
  certDir = mkdtempSync(join(tmpdir(), 'kiosk-mail-cli-cert-'));
  cert = makeCertificate(certDir);
  smtp = await startSmtpServer({ ...cert, refuseRecipient: { code: 550, message: 'no such mailbox' } });
});
afterAll(async () => {
  await smtp.close();
  rmSync(certDir, { recursive: true, force: true });
});
afterEach(() => cleanUp());

describe('kiosk mail, on the running booth through its control channel', () => {
  it('lists a refused message by id without its address, and resends it with the operator PIN', async () => {
    const dir = unitDir({
      mail: {
        host: '127.0.0.1',
        port: smtp.port,
        caFile: cert.certFile,
        user: smtpUser,
        password: smtpPassword,
        from: 'booth@example.org',
        operatorAddress: 'operator@example.org',
      },
    });
    const { host } = await runningBooth(dir);
    const pixels = Buffer.alloc(413 * 531 * 3);
    for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 2654435761) >>> 24;
    const jpeg = await sharp(pixels, { raw: { width: 413, height: 531, channels: 3 } })
      .jpeg({ quality: 90 })
      .toBuffer();
    await host.privacy.vault.beginSession('mail-session', { receiptCode: newReceiptCode() });
    await host.privacy.vault.put('mail-session', 'digital-file', jpeg);
    // The host's own outbox, started with the booth: it tries at once and the server says 550.
    const { id } = await host.outbox!.requestDigitalCopy({
      sessionId: 'mail-session',
      address,
      language: 'en',
      productId: 'photos-2',
      documentId: 'eu-passport',
    });
    await until(() => host.outbox!.list()[0]?.state === 'failed', 10_000, 'refused');

    let run = await cliOn(dir, ['mail', 'list', '--json']);
    expect(run.code).toBe(0);
    const list = JSON.parse(run.out) as {
      messages: { id: string; state: string }[];
      counts: { failed: number };
    };
    expect(list.messages).toEqual([
      expect.objectContaining({ id, kind: 'digital-copy', state: 'failed', lastError: 'EENVELOPE 550' }),
    ]);
    expect(list.counts.failed).toBe(1);
    expect(run.out).not.toContain('example.com');
    run = await cliOn(dir, ['mail', 'list']);
    expect(run.out).toMatch(/refused 1/);
    expect(run.out).toContain(id);

    smtp.setRefusal(null);
    run = await cliOn(dir, ['mail', 'resend', id]);
    expect(run.code).toBe(1); // no PIN
    process.env.KIOSK_PIN = operatorPin;
    try {
      run = await cliOn(dir, ['mail', 'resend', id]);
    } finally {
      delete process.env.KIOSK_PIN;
    }
    expect(run.code, run.err).toBe(0);
    expect(run.out).toBe('sent: the address is shredded');
    expect(smtp.received.map((m) => m.to)).toEqual([[address]]);
    expect(host.outbox!.list()).toEqual([]);
    expect(host.operatorAccess!.recentAudit(3).map((a) => a.action)).toContain('mail-resent');
  });
});
