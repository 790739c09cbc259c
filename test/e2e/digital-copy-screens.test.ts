// The digital file and "contact us" as a customer meets them, in Debian's Chromium on a booth
// whose mail goes to a real SMTP server on 127.0.0.1 (smtp-server, STARTTLS and login required,
// its self-signed certificate trusted by the booth's mail.caFile): the address typed on the
// on-screen keys, confirmed large, the file delivered, and the address gone from the booth.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import {
  chromiumPath,
  expectScreen,
  launchChromium,
  ScreenRecorder,
  staffPanel,
  startBooth,
  visible,
  type RunningBooth,
} from './booth-browser.ts';
import { until } from '../shell/booth-fixture.ts';
import {
  makeCertificate,
  mimeParts,
  smtpPassword,
  smtpUser,
  startSmtpServer,
} from '../services/outbox/smtp-test-server.ts';

const button = (page: Page, name: string | RegExp) =>
  page.getByRole('button', { name, exact: typeof name === 'string' });

/** Every file under `dir` that holds `needle` (as text or its base64). */
function filesHolding(dir: string, needle: string): string[] {
  const forms = [Buffer.from(needle), Buffer.from(Buffer.from(needle).toString('base64'))];
  const hits: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      const stat = statSync(path);
      if (stat.isDirectory()) walk(path);
      // Files only: the control socket and the like hold nothing.
      else if (stat.isFile() && forms.some((f) => readFileSync(path).includes(f))) hits.push(path);
    }
  };
  walk(dir);
  return hits;
}

/** Types on the booth's own email keys, a key (or an ending such as "@gmail.com") at a time. */
async function typeOnKeys(page: Page, keys: string[]): Promise<void> {
  for (const key of keys) await button(page, key).click();
}

describe('the digital file and contact us in Chromium', () => {
  let certDir: string;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let booth: RunningBooth;
  let browser: Browser;

  beforeAll(async () => {
    if (!chromiumPath)
      throw new Error('Chromium is not installed (apt-get install chromium; npm run setup does)');
    certDir = mkdtempSync(join(tmpdir(), 'e2e-smtp-'));
    const cert = makeCertificate(certDir);
    smtp = await startSmtpServer(cert);
    const config = {
      unit: { id: 'e2e-mail', name: 'Booth E2E' },
      documents: ['schengen-visa'],
      vision: { engine: 'basic', steadyMs: 600 },
      environment: { enabled: false },
      timeouts: { inactivityMs: 60_000, poseMs: 20_000, countdownMs: 2_000, thankYouMs: 60_000 },
      mail: {
        host: '127.0.0.1',
        port: smtp.port,
        security: 'starttls',
        caFile: cert.certFile,
        user: smtpUser,
        password: smtpPassword,
        from: 'booth@example.org',
        operatorAddress: 'operator@example.org',
        replyWorkingDays: 10,
      },
    };
    [booth, browser] = await Promise.all([startBooth(config), launchChromium()]);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await booth?.stop();
    await smtp?.close();
    rmSync(certDir, { recursive: true, force: true });
  });

  /** A customer who pays for 4 photos with the digital file and accepts the photo. */
  async function buyTheDigitalFile(viewport: { width: number; height: number }): Promise<Page> {
    const p = await browser.newPage({ viewport });
    p.on('pageerror', (error) => {
      throw error;
    });
    await p.goto(booth.url);
    await expectScreen(p, 'ID photos in minutes', 30_000);
    await button(p, 'Touch to start').click();
    await button(p, 'English').click();
    await button(p, 'I agree').click();
    await button(p, /^4 photos on 1 printed sheet plus a digital file €10\.00$/).click();
    await button(p, 'Continue').click();
    await expectScreen(p, 'Please pay');
    await staffPanel(p, 'Insert note €10.00');
    await expectScreen(p, 'Check your photo', 90_000);
    await button(p, 'Use this photo').click();
    return p;
  }

  it('buys the digital file, types the address, confirms it; the file arrives and the address is gone', async () => {
    const rec = new ScreenRecorder('digital copy');
    const p = await buyTheDigitalFile({ width: 1080, height: 1920 });

    await expectScreen(p, 'Where shall we send your digital photo?', 90_000);
    await visible(p.getByText(/^Type your email address\. We use it only to send this photo/));
    await rec.shot(p, 'email-keys');
    await typeOnKeys(p, ['a', 'n', 'a', '.', 'm', '@gmail.com']);
    expect(await p.getByLabel('Email address').inputValue()).toBe('ana.m@gmail.com');
    // An ending key after the @ replaces the domain: one @ only.
    await typeOnKeys(p, ['@outlook.com']);
    expect(await p.getByLabel('Email address').inputValue()).toBe('ana.m@outlook.com');
    await button(p, 'Continue').click();
    await expectScreen(p, 'Is this address right?');
    expect(await p.getByTestId('email-confirm').textContent()).toBe('ana.m@outlook.com');
    await rec.shot(p, 'email-confirm');
    await button(p, 'Send my photo here').click();

    await expectScreen(p, 'Thank you!', 60_000);
    await visible(p.getByText(/^Your digital photo is on its way to the address you typed\./));
    await rec.shot(p, 'thank-you-digital');
    await until(() => smtp.received.length >= 1, 60_000, 'the digital copy at the SMTP server');
    const mail = smtp.received[0]!;
    expect(mail.to).toEqual(['ana.m@outlook.com']);
    expect(mail.secure).toBe(true);
    const jpeg = mimeParts(mail.raw).parts.find((part) =>
      (part.headers['content-type'] ?? '').startsWith('image/jpeg'),
    );
    expect(jpeg).toBeDefined();
    expect(jpeg!.body.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    // Sent, so forgotten: not in the data dir (clear or base64), not in the booth's log.
    await until(() => filesHolding(booth.dataDir, 'ana.m@outlook.com').length === 0, 10_000, 'shredded');
    expect(booth.output()).not.toContain('ana.m@outlook.com');

    // Contact us from the thank-you screen: a reason, an address, the receipt code with it.
    await button(p, 'Contact us').click();
    await expectScreen(p, 'Contact us');
    await visible(p.getByText(/^Your receipt code [0-9A-Z]{5}-[0-9A-Z]{5} goes with your message\.$/));
    await button(p, 'Print quality').click();
    await typeOnKeys(p, ['b', 'o', '@gmail.com']);
    await rec.shot(p, 'contact-form');
    await button(p, 'Continue').click();
    await button(p, 'Send my request').click();
    await expectScreen(p, 'Your request is on its way', 30_000);
    await visible(p.getByText('We will answer you by email within 10 working days.'));
    await rec.shot(p, 'contact-sent');
    await until(() => smtp.received.length >= 2, 60_000, 'the contact request at the SMTP server');
    expect(smtp.received[1]!.to).toEqual(['operator@example.org']);
    await button(p, 'Finish').click();
    await expectScreen(p, 'ID photos in minutes', 30_000);
    await until(() => filesHolding(booth.dataDir, 'bo@gmail.com').length === 0, 10_000, 'shredded');
    expect(booth.output()).not.toContain('bo@gmail.com');
    await p.close();
  }, 300_000);

  it('at 1920x1080 every key and button is in view; no email: thank-you says the file was not sent', async () => {
    const rec = new ScreenRecorder('digital copy landscape');
    const p = await buyTheDigitalFile({ width: 1920, height: 1080 });
    await expectScreen(p, 'Where shall we send your digital photo?', 90_000);
    await rec.shot(p, 'email-keys');
    for (const b of await p.getByRole('button').all()) {
      const box = (await b.boundingBox())!;
      expect(box.y + box.height, `${await b.textContent()} below the fold`).toBeLessThanOrEqual(1080);
      expect(box.x + box.width).toBeLessThanOrEqual(1920);
    }
    const sent = smtp.received.length;
    await button(p, 'No email').click();
    await expectScreen(p, 'Thank you!', 60_000);
    await visible(p.getByText(/^Your digital photo was not sent\. Staff can send it with your receipt code/));
    await button(p, 'Finish').click();
    await expectScreen(p, 'ID photos in minutes', 30_000);
    expect(smtp.received.length).toBe(sent);
    await p.close();
  }, 300_000);
});
