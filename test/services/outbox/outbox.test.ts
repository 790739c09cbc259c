import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, type Logger } from '../../../app/logging/logger.ts';
import { Outbox } from '../../../app/services/outbox/outbox.ts';
import { OutboxError } from '../../../app/services/outbox/outbox-error.ts';
import { PhotoVault } from '../../../app/services/vault/photo-vault.ts';
import { boothConfigSchema, type BoothConfig, type MailConfig } from '../../../config/schema.ts';
import { newReceiptCode } from '../../../core/receipt-code.ts';
import { SimClock } from '../../../core/sim-clock.ts';
import { SystemClock } from '../../../core/clock.ts';
import { filesUnder } from '../../vault/vault-test-kit.ts';
import { readFileSync } from 'node:fs';
import {
  freePort,
  makeCertificate,
  mimeParts,
  smtpPassword,
  smtpUser,
  startSmtpServer,
} from './smtp-test-server.ts';

const address = 'Jeanne.Dupont+photo@exemple.fr';
const hourMs = 3_600_000;

let certDir: string;
let cert: { keyFile: string; certFile: string };
let jpeg: Buffer;

beforeAll(async () => {
  certDir = mkdtempSync(join(tmpdir(), 'kiosk-outbox-cert-'));
  cert = makeCertificate(certDir);
  // Noise does not compress: a real JPEG well inside eu-passport's 50 000–2 000 000 bytes.
  const pixels = Buffer.alloc(413 * 531 * 3);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 2654435761) >>> 24;
  jpeg = await sharp(pixels, { raw: { width: 413, height: 531, channels: 3 } })
    .jpeg({ quality: 90 })
    .toBuffer();
});

afterAll(() => rmSync(certDir, { recursive: true, force: true }));

interface Rig {
  dataDir: string;
  vault: PhotoVault;
  outbox: Outbox;
  clock: SimClock;
  logLines: string[];
  config: BoothConfig;
  sessionId: string;
  receiptCode: string;
}

let rig: Rig;
const servers: { close(): Promise<void> }[] = [];

function mailConfig(port: number, extra: Partial<MailConfig> = {}): BoothConfig {
  return boothConfigSchema.parse({
    unit: { name: 'Cabine Gare du Nord' },
    retention: { days: 7 },
    mail: {
      host: '127.0.0.1',
      port,
      security: 'starttls',
      caFile: cert.certFile,
      user: smtpUser,
      password: smtpPassword,
      from: 'booth@example.org',
      operatorAddress: 'operator@example.org',
      lifetimeHours: 48,
      firstRetryDelayMs: 60_000,
      maxRetryDelayMs: 600_000,
      ...extra,
    },
  });
}

async function makeRig(port: number, extra: Partial<MailConfig> = {}, realClock = false): Promise<Rig> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kiosk-outbox-'));
  const clock = realClock ? (new SystemClock() as unknown as SimClock) : new SimClock();
  const logLines: string[] = [];
  const logger: Logger = createLogger({
    level: 'debug',
    destination: { write: (l: string) => logLines.push(l) },
  });
  const vault = PhotoVault.open({ dir: join(dataDir, 'vault'), clock, retentionDays: 7 });
  const config = mailConfig(port, extra);
  const holder = { config };
  const outbox = new Outbox({ vault, config: () => holder.config, clock, logger });
  const sessionId = 'session-outbox-1';
  const receiptCode = newReceiptCode();
  await vault.beginSession(sessionId, { receiptCode });
  await vault.put(sessionId, 'digital-file', jpeg);
  await vault.endSession(sessionId, 'retain');
  return Object.defineProperty(
    { dataDir, vault, outbox, clock, logLines, config, sessionId, receiptCode },
    'config',
    {
      get: () => holder.config,
      set: (c: BoothConfig) => (holder.config = c),
    },
  ) as Rig;
}

afterEach(async () => {
  await rig?.outbox.stop();
  rig?.vault.close();
  if (rig) rmSync(rig.dataDir, { recursive: true, force: true });
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** Every spelling of the address a careless write could leave: as typed, lower case, base64 at each alignment. */
function addressForms(): Buffer[] {
  const forms = [address, address.toLowerCase()].map((a) => Buffer.from(a));
  for (const a of [address, address.toLowerCase()])
    for (let shift = 0; shift < 3; shift++) {
      const b64 = Buffer.from('x'.repeat(shift) + a).toString('base64');
      // Drop the characters that depend on the padding bytes before and after.
      forms.push(Buffer.from(b64.slice(Math.ceil((shift * 4) / 3) + 1, -4)));
    }
  return forms;
}

function traces(): string[] {
  const found: string[] = [];
  for (const file of filesUnder(rig.dataDir)) {
    const bytes = readFileSync(file);
    for (const form of addressForms()) if (bytes.includes(form)) found.push(`${file}: ${form.toString()}`);
  }
  const logs = rig.logLines.join('');
  for (const form of addressForms())
    if (logs.includes(form.toString())) found.push(`log: ${form.toString()}`);
  return found;
}

async function server(options: Partial<Parameters<typeof startSmtpServer>[0]> = {}) {
  const s = await startSmtpServer({ ...cert, ...options });
  servers.push(s);
  return s;
}

describe('the outbox over a real SMTP server (STARTTLS required, auth)', () => {
  it('delivers the digital copy with its JPEG in the customer language, then leaves no copy of the address', async () => {
    const smtp = await server();
    rig = await makeRig(smtp.port);
    const { id } = await rig.outbox.requestDigitalCopy({
      sessionId: rig.sessionId,
      address,
      language: 'fr',
      productId: 'photos-4-digital',
      documentId: 'eu-passport',
    });
    expect(rig.outbox.pendingFor(rig.sessionId)).toEqual([{ id, kind: 'digital-copy' }]);
    expect(traces()).toEqual([]); // sealed: not in the index, the WAL or a log

    const run = await rig.outbox.sendDue();
    expect(run).toMatchObject({ sent: 1, retrying: 0, failed: 0, expired: 0 });

    expect(smtp.received).toHaveLength(1);
    const mail = smtp.received[0]!;
    expect(mail.secure).toBe(true);
    expect(mail.user).toBe(smtpUser);
    expect(mail.to).toEqual([address]);
    const { headers, parts } = mimeParts(mail.raw);
    expect(headers['content-language']).toBe('fr');
    const attachment = parts.find((p) => p.headers['content-type']?.startsWith('image/jpeg'))!;
    expect(attachment.headers['content-disposition']).toMatch(/attachment; filename=eu-passport\.jpg/);
    expect(attachment.body.equals(jpeg)).toBe(true);
    expect(attachment.body.length).toBeGreaterThanOrEqual(50_000);
    expect(attachment.body.length).toBeLessThanOrEqual(2_000_000);
    expect(attachment.body.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    const text = parts
      .find((p) => p.headers['content-type']?.startsWith('text/plain'))!
      .body.toString('utf8');
    expect(text).toContain('Vous trouverez ci-joint la copie numérique');
    expect(text).toContain('conserve vos photos 7 jours');
    const html = parts.find((p) => p.headers['content-type']?.startsWith('text/html'))!.body.toString('utf8');
    expect(html).toContain('<html lang="fr" dir="ltr">');
    expect(html).toContain('Cabine Gare du Nord');

    // Accepted: shredded at once, audited without the address.
    expect(rig.vault.records.list()).toEqual([]);
    expect(rig.outbox.list()).toEqual([]);
    expect(rig.outbox.pendingFor(rig.sessionId)).toEqual([]);
    expect(rig.outbox.counts()).toEqual({ sent: 1, failed: 0, expired: 0, pending: 0 });
    const audit = rig.vault.index.audit(5).find((a) => a.action === 'outbox-sent')!;
    expect(audit.reason).toBe('a digital-copy message was accepted by the mail server');
    rig.vault.close();
    expect(traces()).toEqual([]);
    expect(rig.logLines.join('')).not.toContain(smtpPassword);
    // The photos stay for reprints until the retention: only the address went.
    rig.vault = PhotoVault.open({ dir: join(rig.dataDir, 'vault'), clock: rig.clock, retentionDays: 7 });
    expect(await rig.vault.list(rig.sessionId, 'digital-file')).toHaveLength(1);
  });

  it('refuses a server that offers no STARTTLS, and one whose certificate it cannot check: the message waits', async () => {
    const plain = await server({ noStartTls: true });
    rig = await makeRig(plain.port);
    await rig.outbox.requestDigitalCopy({
      sessionId: rig.sessionId,
      address,
      language: 'en',
      productId: 'photos-4-digital',
      documentId: 'eu-passport',
    });
    expect(await rig.outbox.sendDue()).toMatchObject({ sent: 0, retrying: 1 });
    expect(plain.received).toHaveLength(0);

    const tls = await server();
    rig.config = mailConfig(tls.port, { caFile: null }); // only the system's CAs: the self-signed one fails
    rig.clock.jumpWallClock(60_000);
    expect(await rig.outbox.sendDue()).toMatchObject({ sent: 0, retrying: 1 });
    expect(tls.received).toHaveLength(0);
    expect(rig.outbox.list()[0]).toMatchObject({ state: 'waiting', attempts: 2 });
    expect(rig.outbox.list()[0]!.lastError).toMatch(/^E[A-Z]+/);
    expect(rig.outbox.counts()).toMatchObject({ failed: 0, pending: 1 });
    expect(traces()).toEqual([]);
  });

  it('server down: waits sealed with growing waits; server back: delivered and shredded', async () => {
    const port = await freePort();
    rig = await makeRig(port);
    const { id } = await rig.outbox.requestDigitalCopy({
      sessionId: rig.sessionId,
      address,
      language: 'de',
      productId: 'photos-4-digital',
      documentId: 'eu-passport',
    });
    const start = rig.clock.now();
    expect(await rig.outbox.sendDue()).toMatchObject({ sent: 0, retrying: 1 });
    let row = rig.outbox.list()[0]!;
    expect(row).toMatchObject({ id, state: 'waiting', attempts: 1, nextAttempt: start + 60_000 });
    expect(row.lastError).toMatch(/^E[A-Z]+$/);
    expect(rig.vault.records.list()).toHaveLength(1);
    expect(traces()).toEqual([]);

    // Not due yet: nothing is tried.
    expect(await rig.outbox.sendDue()).toMatchObject({ sent: 0, retrying: 0 });
    rig.clock.jumpWallClock(60_000);
    await rig.outbox.sendDue();
    row = rig.outbox.list()[0]!;
    expect(row.attempts).toBe(2);
    expect(row.nextAttempt).toBe(rig.clock.now() + 120_000); // doubled

    const smtp = await server({ port });
    rig.clock.jumpWallClock(120_000);
    expect(await rig.outbox.sendDue()).toMatchObject({ sent: 1 });
    expect(smtp.received).toHaveLength(1);
    expect(mimeParts(smtp.received[0]!.raw).headers['content-language']).toBe('de');
    expect(rig.vault.records.list()).toEqual([]);
    expect(traces()).toEqual([]);
  });

  it('lifetime over before the server took it: shredded unsent and counted', async () => {
    const port = await freePort();
    rig = await makeRig(port, { lifetimeHours: 2 });
    await rig.outbox.requestDigitalCopy({
      sessionId: rig.sessionId,
      address,
      language: 'es',
      productId: 'photos-4-digital',
      documentId: 'eu-passport',
    });
    await rig.outbox.sendDue();
    rig.clock.jumpWallClock(2 * hourMs);
    expect(await rig.outbox.sendDue()).toMatchObject({ sent: 0, expired: 1 });
    expect(rig.outbox.counts()).toEqual({ sent: 0, failed: 0, expired: 1, pending: 0 });
    expect(rig.vault.records.list()).toEqual([]);
    expect(rig.vault.index.audit(5).map((a) => a.action)).toContain('outbox-expired');
    rig.vault.close();
    rig.vault = PhotoVault.open({ dir: join(rig.dataDir, 'vault'), clock: rig.clock, retentionDays: 7 });
    expect(traces()).toEqual([]);
  });

  it('a 5xx is final: on the owed-work list and counted; resent by staff, or by the receipt code with a corrected address', async () => {
    const smtp = await server({ refuseRecipient: { code: 550, message: 'mailbox unavailable' } });
    rig = await makeRig(smtp.port);
    const { id } = await rig.outbox.requestDigitalCopy({
      sessionId: rig.sessionId,
      address,
      language: 'en',
      productId: 'photos-4-digital',
      documentId: 'eu-passport',
    });
    expect(await rig.outbox.sendDue()).toMatchObject({ failed: 1 });
    expect(rig.outbox.list()).toEqual([
      expect.objectContaining({
        id,
        kind: 'digital-copy',
        state: 'failed',
        attempts: 1,
        nextAttempt: null,
        lastError: 'EENVELOPE 550',
      }),
    ]);
    expect(rig.outbox.counts()).toMatchObject({ failed: 1, pending: 1 });
    // Not tried again by itself.
    rig.clock.jumpWallClock(hourMs);
    expect(await rig.outbox.sendDue()).toMatchObject({ sent: 0, failed: 0, retrying: 0 });
    expect(JSON.stringify(rig.outbox.list())).not.toContain('exemple');

    smtp.setRefusal(null);
    expect((await rig.outbox.resend({ id })).sent).toBe(true);
    expect(smtp.received).toHaveLength(1);
    await expect(rig.outbox.resend({ id })).rejects.toMatchObject({ code: 'message-not-found' });

    const corrected = 'jeanne.dupont@example.fr';
    await rig.outbox.resendForReceipt({ receiptCode: rig.receiptCode, address: corrected, language: 'fr' });
    await rig.outbox.sendDue();
    expect(smtp.received.at(-1)!.to).toEqual([corrected]);
    expect(traces()).toEqual([]);
  });

  it('a contact request reaches the operator with the reason, the receipt code and the customer as Reply-To', async () => {
    const smtp = await server();
    rig = await makeRig(smtp.port);
    expect(rig.outbox.contactInfo()).toEqual({
      operatorContact: 'operator@example.org',
      replyWorkingDays: 10,
      canSend: true,
    });
    await expect(
      rig.outbox.requestContact({
        address: 'not an address',
        reason: 'money',
        receiptCode: null,
        language: 'fr',
      }),
    ).rejects.toBeInstanceOf(OutboxError);
    await expect(
      rig.outbox.requestContact({ address, reason: 'refund-me' as never, receiptCode: null, language: 'fr' }),
    ).rejects.toMatchObject({ code: 'reason-invalid' });
    await rig.outbox.requestContact({
      address,
      reason: 'photo-refused',
      receiptCode: rig.receiptCode,
      language: 'fr',
    });
    // Not under the session's key: the session may be wiped at its end, the request is not.
    await rig.vault.deleteSession(rig.sessionId, 'test');
    expect(await rig.outbox.sendDue()).toMatchObject({ sent: 1 });
    const mail = smtp.received[0]!;
    expect(mail.to).toEqual(['operator@example.org']);
    const { headers, parts } = mimeParts(mail.raw);
    expect(headers['reply-to']).toBe(address);
    const text = parts
      .find((p) => p.headers['content-type']?.startsWith('text/plain'))!
      .body.toString('utf8');
    expect(text).toContain('Reason: Photo refused');
    expect(text).toContain(`Receipt code: ${rig.receiptCode}`);
    expect(text).toContain('Language: fr');
    expect(traces()).toEqual([]);
  });

  it('a session shredded (retention, a data request) takes its waiting copy with it', async () => {
    rig = await makeRig(await freePort());
    await rig.outbox.requestDigitalCopy({
      sessionId: rig.sessionId,
      address,
      language: 'zh',
      productId: 'photos-4-digital',
      documentId: 'eu-passport',
    });
    await rig.vault.deleteSession(rig.sessionId, 'a data request');
    expect(rig.vault.records.list()).toEqual([]);
    expect(rig.outbox.list()).toEqual([]);
    expect(rig.outbox.counts().pending).toBe(0);
  });

  it('a session that ends with nothing to keep (wipeAfterPrint) waits for its copy to go, then is wiped', async () => {
    const port = await freePort();
    rig = await makeRig(port);
    await rig.vault.beginSession('wiped', { receiptCode: newReceiptCode() });
    await rig.vault.put('wiped', 'digital-file', jpeg);
    await rig.outbox.requestDigitalCopy({
      sessionId: 'wiped',
      address,
      language: 'en',
      productId: 'p',
      documentId: 'eu-passport',
    });
    await rig.vault.endSession('wiped', 'wipe');
    // Not shredded with the message unsent: kept until it is done with.
    expect(await rig.vault.list('wiped', 'digital-file')).toHaveLength(1);
    expect(await rig.outbox.sendDue()).toMatchObject({ retrying: 1 }); // the server is down
    expect(rig.vault.index.session('wiped')).toBeDefined();

    const smtp = await server({ port });
    rig.clock.jumpWallClock(60_000);
    expect(await rig.outbox.sendDue()).toMatchObject({ sent: 1 });
    expect(smtp.received).toHaveLength(1);
    expect(rig.vault.index.session('wiped')).toBeUndefined();
    expect(rig.vault.index.audit(3).map((a) => a.reason)).toContain(
      'session ended with nothing to keep; its messages went first',
    );
    expect(rig.vault.index.session(rig.sessionId)).toBeDefined(); // a retained session stays
  });

  it('a wiped session whose copy outlived its lifetime goes with it', async () => {
    rig = await makeRig(await freePort(), { lifetimeHours: 1 });
    await rig.vault.beginSession('wiped', { receiptCode: newReceiptCode() });
    await rig.vault.put('wiped', 'digital-file', jpeg);
    await rig.outbox.requestDigitalCopy({
      sessionId: 'wiped',
      address,
      language: 'en',
      productId: 'p',
      documentId: 'eu-passport',
    });
    await rig.vault.endSession('wiped', 'wipe');
    expect(rig.vault.index.session('wiped')).toBeDefined();
    rig.clock.jumpWallClock(hourMs);
    expect(await rig.outbox.sendDue()).toMatchObject({ expired: 1 });
    expect(rig.vault.index.session('wiped')).toBeUndefined();
    expect(traces()).toEqual([]);
  });

  it('the scan this file relies on finds the address as typed and in base64 (in a file and in a log line)', async () => {
    rig = await makeRig(await freePort());
    expect(traces()).toEqual([]);
    writeFileSync(join(rig.dataDir, 'leak-b64'), `x${Buffer.from(`To: ${address}`).toString('base64')}y`);
    expect(traces()).toHaveLength(1);
    rmSync(join(rig.dataDir, 'leak-b64'));
    rig.logLines.push(JSON.stringify({ msg: `sending to ${address.toLowerCase()}` }));
    expect(traces()).toHaveLength(1);
  });

  it('the background sender sends on its own once started, and a file outside the spec range is never sent', async () => {
    const smtp = await server();
    // A real clock for the timer: the sender runs on the booth's clock.
    rig = await makeRig(smtp.port, {}, true);
    const outbox = rig.outbox;
    outbox.start();
    try {
      await outbox.requestDigitalCopy({
        sessionId: rig.sessionId,
        address,
        language: 'ar',
        productId: 'photos-4-digital',
        documentId: 'eu-passport',
      });
      for (let i = 0; i < 100 && smtp.received.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
      expect(smtp.received).toHaveLength(1);
      const html = mimeParts(smtp.received[0]!.raw).parts.find((p) =>
        p.headers['content-type']?.startsWith('text/html'),
      )!;
      expect(html.body.toString('utf8')).toContain('<html lang="ar" dir="rtl">');

      // us-visa takes at most 240 000 bytes; a session whose file is bigger is refused, not sent.
      const big = Buffer.concat([jpeg, jpeg, jpeg, jpeg]);
      await rig.vault.beginSession('big-file', { receiptCode: newReceiptCode() });
      await rig.vault.put('big-file', 'digital-file', big);
      const { id } = await outbox.requestDigitalCopy({
        sessionId: 'big-file',
        address,
        language: 'en',
        productId: 'photos-4-digital',
        documentId: 'us-visa',
      });
      for (let i = 0; i < 100 && outbox.list()[0]?.state !== 'failed'; i++)
        await new Promise((r) => setTimeout(r, 50));
      expect(outbox.list()).toEqual([
        expect.objectContaining({ id, state: 'failed', lastError: 'digital-file-out-of-range' }),
      ]);
      expect(smtp.received).toHaveLength(1);
    } finally {
      await outbox.stop();
    }
    expect(traces()).toEqual([]);
  });

  it('refuses what it cannot send: no mail config, no digital file, a bad address', async () => {
    rig = await makeRig(await freePort());
    await expect(
      rig.outbox.requestDigitalCopy({
        sessionId: rig.sessionId,
        address: 'a@b',
        language: 'en',
        productId: 'p',
        documentId: 'eu-passport',
      }),
    ).rejects.toMatchObject({ code: 'address-invalid' });
    await rig.vault.beginSession('no-file', { receiptCode: newReceiptCode() });
    await expect(
      rig.outbox.requestDigitalCopy({
        sessionId: 'no-file',
        address,
        language: 'en',
        productId: 'p',
        documentId: 'eu-passport',
      }),
    ).rejects.toMatchObject({ code: 'no-digital-file' });
    rig.config = boothConfigSchema.parse({});
    await expect(
      rig.outbox.requestDigitalCopy({
        sessionId: rig.sessionId,
        address,
        language: 'en',
        productId: 'p',
        documentId: 'eu-passport',
      }),
    ).rejects.toMatchObject({ code: 'mail-not-configured' });
  });
});
