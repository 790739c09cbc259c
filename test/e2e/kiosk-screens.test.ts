// The kiosk as a person meets it: Debian's Chromium on the browser shell of a booth running on
// simulated hardware. Controls are found by role and accessible name; every screen is saved as
// a screenshot under test-artifacts/e2e/.
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

/** Demo booth settings for the tests: documents whose photos the demo portraits meet. */
const boothConfig = (timeouts: Record<string, number> = {}) => ({
  unit: { id: 'e2e-01', name: 'Booth E2E' },
  documents: ['schengen-visa', 'eu-passport'],
  vision: { engine: 'basic', steadyMs: 600 },
  environment: { enabled: false },
  timeouts: { inactivityMs: 60_000, poseMs: 20_000, countdownMs: 2_000, thankYouMs: 30_000, ...timeouts },
  printing: { retries: 1, retryWaitMs: 1_000 },
});

/** Attract → English → consent → a Schengen visa, 4 photos: the payment screen. */
async function toPayment(page: Page, rec: ScreenRecorder): Promise<void> {
  await expectScreen(page, 'ID photos in minutes', 30_000);
  await rec.shot(page, 'attract');
  await page.getByRole('button', { name: 'Touch to start', exact: true }).click();
  await expectScreen(page, 'Choose your language');
  await rec.shot(page, 'language');
  await page.getByRole('button', { name: 'English', exact: true }).click();
  await expectScreen(page, 'Your privacy');
  await rec.shot(page, 'consent');
  await page.getByRole('button', { name: 'I agree', exact: true }).click();
  await expectScreen(page, 'Choose your photos');
  await page.getByRole('button', { name: 'Schengen visa', exact: true }).click();
  await page.getByRole('button', { name: /^4 photos on 1 printed sheet €8\.00$/ }).click();
  await rec.shot(page, 'choose');
  await page.getByRole('button', { name: 'Continue', exact: true }).click();
  await expectScreen(page, 'Please pay');
}

/** Pays €8 from the staff panel and waits for the review screen. */
async function payAndPose(page: Page, rec: ScreenRecorder): Promise<void> {
  await rec.shot(page, 'payment');
  await staffPanel(page, 'Insert note €5.00', 'Insert coin €2.00', 'Insert coin €1.00');
  await expectScreen(page, 'Get ready for your photo');
  await page.getByRole('img', { name: 'Live camera view' }).waitFor({ state: 'visible' });
  await rec.shot(page, 'pose');
  await expectScreen(page, 'Hold still');
  await rec.shot(page, 'countdown');
  await expectScreen(page, 'Check your photo', 60_000);
  await page.getByRole('img', { name: 'Your photo' }).waitFor({ state: 'visible' });
  await rec.shot(page, 'review');
}

describe('the kiosk in Chromium', () => {
  let booth: RunningBooth;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    if (!chromiumPath)
      throw new Error('Chromium is not installed (apt-get install chromium; npm run setup does)');
    [booth, browser] = await Promise.all([startBooth(boothConfig()), launchChromium()]);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await booth?.stop();
  });

  async function freshPage(viewport = { width: 1920, height: 1080 }): Promise<Page> {
    await page?.close();
    page = await browser.newPage({ viewport });
    page.on('pageerror', (error) => {
      throw error;
    });
    await page.goto(booth.url);
    return page;
  }

  it('a happy session, attract to thank-you, paid with the staff panel coins', async () => {
    const rec = new ScreenRecorder('happy session');
    const p = await freshPage();
    await toPayment(p, rec);
    await visible(p.getByText('This machine does not give change.'));
    await payAndPose(p, rec);
    await visible(p.getByText('Your photo meets all the rules.'));
    await p.getByRole('button', { name: 'Use this photo', exact: true }).click();
    await expectScreen(p, 'Thank you!', 90_000);
    await rec.shot(p, 'thank-you');
    // The receipt code is on screen (also printed): XXXXX-XXXXX.
    await visible(p.getByText(/^[0-9A-Z]{5}-[0-9A-Z]{5}$/).first());
    await p.getByRole('button', { name: 'Finish', exact: true }).click();
    await expectScreen(p, 'ID photos in minutes', 30_000);
    await rec.shot(p, 'attract-again');
  }, 240_000);

  it('a note stays in escrow until the price is met: Cancel gives the note itself back', async () => {
    const rec = new ScreenRecorder('note held');
    const p = await freshPage();
    await toPayment(p, rec);
    await staffPanel(p, 'Insert note €5.00');
    await visible(p.getByText('Your €5.00 note is held, not yet taken: it comes back if you cancel.'));
    await visible(p.getByText('€3.00').first()); // still to pay
    await rec.shot(p, 'note-held');
    await p.getByRole('button', { name: 'Cancel', exact: true }).click();
    await expectScreen(p, 'Stop and cancel?');
    await visible(p.getByText('Your €5.00 note comes back out of the note slot.'));
    await rec.shot(p, 'confirm-cancel');
    await p.getByRole('button', { name: 'Yes, cancel', exact: true }).click();
    // Nothing was taken, so there is nothing to settle: straight back to the start.
    await expectScreen(p, 'ID photos in minutes', 30_000);
  }, 120_000);

  it('the screen crashes mid-payment: the booth keeps the money, and the screen that comes back shows it', async () => {
    const rec = new ScreenRecorder('renderer crash');
    const p = await freshPage();
    await toPayment(p, rec);
    await staffPanel(p, 'Insert coin €2.00');
    await visible(p.getByText('€6.00').first()); // still to pay
    // The renderer process dies (as on a GPU fault or out of memory): nothing runs in the page.
    const crashed = new Promise<void>((done) => p.once('crash', () => done()));
    const cdp = await p.context().newCDPSession(p);
    // Not awaited: the page that would answer is gone (the reply never comes).
    void cdp.send('Page.crash').catch(() => {});
    await crashed;
    // A new screen (the shell's reload) finds the customer where they were, the coin counted.
    const again = await freshPage();
    await expectScreen(again, 'Please pay');
    const paid = again
      .locator('section, div')
      .filter({ hasText: /^Paid so far/ })
      .first();
    expect(await paid.textContent()).toContain('€2.00');
    await visible(again.getByText('€6.00').first());
    await rec.shot(again, 'payment-after-crash');
    // And the customer can finish paying and go on.
    await staffPanel(again, 'Insert coin €2.00', 'Insert coin €2.00', 'Insert coin €2.00');
    await expectScreen(again, 'Get ready for your photo');
    await again.getByRole('button', { name: 'Cancel', exact: true }).click();
    await expectScreen(again, 'Stop and cancel?');
    await again.getByRole('button', { name: 'Yes, cancel', exact: true }).click();
    await expectScreen(again, 'Your money', 20_000);
    await visible(again.getByText('€8.00').first());
    await again.getByRole('button', { name: 'Finish', exact: true }).click();
    await expectScreen(again, 'ID photos in minutes', 30_000);
  }, 180_000);

  it('declining the privacy terms ends the visit before anything is captured', async () => {
    const rec = new ScreenRecorder('decline consent');
    const p = await freshPage({ width: 1080, height: 1920 });
    await expectScreen(p, 'ID photos in minutes', 30_000);
    await p.getByRole('button', { name: 'Touch to start', exact: true }).click();
    await p.getByRole('button', { name: 'English', exact: true }).click();
    await expectScreen(p, 'Your privacy');
    await visible(p.getByText('Under 18? Please use the booth with a parent or guardian.'));
    await rec.shot(p, 'consent-portrait');
    await p.getByRole('button', { name: 'I do not agree', exact: true }).click();
    await expectScreen(p, 'ID photos in minutes', 30_000);
    await rec.shot(p, 'attract');
  }, 120_000);

  it('a retake: back to the pose, one retake fewer', async () => {
    const rec = new ScreenRecorder('retake');
    const p = await freshPage();
    await toPayment(p, rec);
    await payAndPose(p, rec);
    await p.getByRole('button', { name: 'Retake (2 left)', exact: true }).click();
    await expectScreen(p, 'Get ready for your photo');
    await rec.shot(p, 'pose-again');
    await expectScreen(p, 'Check your photo', 60_000);
    await visible(p.getByRole('button', { name: 'Retake (1 left)', exact: true }));
    await rec.shot(p, 'review-again');
    // The second photo is the one printed (cancelling here would leave the price as credit
    // for the next customer, which the tests after this one do not expect).
    await p.getByRole('button', { name: 'Use this photo', exact: true }).click();
    await expectScreen(p, 'Thank you!', 90_000);
    await p.getByRole('button', { name: 'Finish', exact: true }).click();
    await expectScreen(p, 'ID photos in minutes', 30_000);
  }, 240_000);

  it('a printer out of paper: the product is unavailable and no money is taken', async () => {
    const rec = new ScreenRecorder('printer out of paper');
    const p = await freshPage();
    await expectScreen(p, 'ID photos in minutes', 30_000);
    await p.getByRole('button', { name: 'Touch to start', exact: true }).click();
    await p.getByRole('button', { name: 'English', exact: true }).click();
    await p.getByRole('button', { name: 'I agree', exact: true }).click();
    await expectScreen(p, 'Choose your photos');
    await staffPanel(p, 'Photo printer: out of paper');
    await p.getByRole('button', { name: 'Schengen visa', exact: true }).click();
    await p.getByRole('button', { name: /^4 photos on 1 printed sheet €8\.00$/ }).click();
    await p.getByRole('button', { name: 'Continue', exact: true }).click();
    await expectScreen(p, 'Not available right now');
    await visible(p.getByText('This cannot be made at the moment. No money was taken.'));
    await visible(p.getByText(/photo-printer:media-empty/));
    await rec.shot(p, 'unavailable');
    await p.getByRole('button', { name: 'OK', exact: true }).click();
    // Between customers the booth stays out of service until the printer has paper again.
    await expectScreen(p, 'Out of service', 30_000);
    await rec.shot(p, 'out-of-service');
    await staffPanel(p, 'Refill printer');
    await expectScreen(p, 'ID photos in minutes', 30_000);
  }, 180_000);

  it('switching to Arabic turns the screen right-to-left, at any step', async () => {
    const rec = new ScreenRecorder('arabic');
    const p = await freshPage();
    await expectScreen(p, 'ID photos in minutes', 30_000);
    await p.getByRole('button', { name: 'Touch to start', exact: true }).click();
    await p.getByRole('button', { name: 'العربية', exact: true }).click();
    await expectScreen(p, 'خصوصيتك');
    expect(await p.locator('html').getAttribute('dir')).toBe('rtl');
    expect(await p.locator('html').getAttribute('lang')).toBe('ar');
    await rec.shot(p, 'consent-arabic');
    // Back to English from the language menu, then Arabic again, on the choice screen.
    await p.getByRole('button', { name: 'اللغة', exact: true }).click();
    await p.getByRole('button', { name: 'English', exact: true }).click();
    await expectScreen(p, 'Your privacy');
    expect(await p.locator('html').getAttribute('dir')).toBe('ltr');
    await p.getByRole('button', { name: 'I agree', exact: true }).click();
    await expectScreen(p, 'Choose your photos');
    await p.getByRole('button', { name: 'Language', exact: true }).click();
    await p.getByRole('button', { name: 'العربية', exact: true }).click();
    await expect.poll(() => p.locator('html').getAttribute('dir')).toBe('rtl');
    await rec.shot(p, 'choose-arabic');
    await p.getByRole('button', { name: 'إلغاء', exact: true }).click();
    await expectScreen(p, /.+/, 30_000);
  }, 120_000);

  it('a printer jam after payment: the prints are owed, and come out once the jam is cleared', async () => {
    const rec = new ScreenRecorder('prints owed');
    const p = await freshPage();
    await toPayment(p, rec);
    await payAndPose(p, rec);
    await staffPanel(p, 'Photo printer: jam');
    await p.getByRole('button', { name: 'Use this photo', exact: true }).click();
    await expectScreen(p, 'Your photos will print soon', 60_000);
    await visible(p.getByText(/^[0-9A-Z]{5}-[0-9A-Z]{5}$/));
    await rec.shot(p, 'print-owed');
    await p.getByRole('button', { name: 'Finish', exact: true }).click();
    // The jammed printer keeps the booth out of service; clearing it prints what is owed.
    await expectScreen(p, 'Out of service', 30_000);
    await staffPanel(p, 'Clear faults');
    await expectScreen(p, 'ID photos in minutes', 30_000);
    const log = booth.output();
    await expect.poll(() => /owed prints delivered/.test(booth.output()), { timeout: 30_000 }).toBe(true);
    expect(log).toMatch(/prints owed/);
  }, 240_000);

  // Last in this booth: the paid order goes back into credit, which the next customer would find.
  it('the camera failing during the pose: the price comes back as a voucher, which redeems once and only once', async () => {
    const rec = new ScreenRecorder('camera failed');
    const p = await freshPage();
    await toPayment(p, rec);
    await staffPanel(p, 'Insert note €5.00', 'Insert coin €2.00', 'Insert coin €1.00');
    await expectScreen(p, 'Get ready for your photo');
    await staffPanel(p, 'Camera: disconnect');
    await expectScreen(p, 'Sorry, something went wrong', 30_000);
    await visible(p.getByText('The camera stopped working. Please ask staff for help.'));
    // The customer's €8.00 is named, and what happens to it, with the receipt code for staff.
    await visible(p.getByText('Your money in the booth: €8.00'));
    await visible(p.getByText('€8.00 comes back to you as a voucher you can use at this booth.'));
    await visible(p.getByText('Your receipt code'));
    await rec.shot(p, 'camera-failed');
    await p.getByRole('button', { name: 'OK', exact: true }).click();
    // The money, settled: a voucher for €8.00 with its code, printed on the receipt printer.
    await expectScreen(p, 'Your money', 30_000);
    await visible(p.getByText('Voucher for €8.00'));
    await visible(
      p.getByText('Take the voucher slip. To use it, enter its code on the payment screen of this booth.'),
    );
    const code = (await p.getByTestId('voucher').locator('.receipt-code').textContent())!.trim();
    expect(code).toMatch(/^[0-9A-Z]{5}-[0-9A-Z]{5}$/);
    await rec.shot(p, 'voucher');
    await p.getByRole('button', { name: 'Finish', exact: true }).click();
    await expectScreen(p, 'Out of service', 30_000);
    await staffPanel(p, 'Clear faults');
    await expectScreen(p, 'ID photos in minutes', 30_000);

    // The next customer is the same person with the voucher: the code pays for the photos.
    await toPayment(p, rec);
    await redeem(p, code);
    await expectScreen(p, 'Get ready for your photo', 30_000);
    // Cancel with money in asks first, and says what happens to the €8.00.
    await p.getByRole('button', { name: 'Cancel', exact: true }).click();
    await expectScreen(p, 'Stop and cancel?');
    await visible(p.getByText('Your money in the booth: €8.00'));
    await rec.shot(p, 'confirm-cancel');
    await p.getByRole('button', { name: 'No, carry on', exact: true }).click();
    await expectScreen(p, 'Get ready for your photo');
    await p.getByRole('button', { name: 'Cancel', exact: true }).click();
    await p.getByRole('button', { name: 'Yes, cancel', exact: true }).click();
    // A new voucher for the €8.00; the old code is spent.
    await expectScreen(p, 'Your money', 30_000);
    const second = (await p.getByTestId('voucher').locator('.receipt-code').textContent())!.trim();
    expect(second).not.toBe(code);
    await p.getByRole('button', { name: 'Finish', exact: true }).click();
    await expectScreen(p, 'ID photos in minutes', 30_000);
    await toPayment(p, rec);
    await redeem(p, code);
    await visible(p.getByText('That voucher has been used already.'));
    await rec.shot(p, 'voucher-used');
    const paid = p
      .locator('section, div')
      .filter({ hasText: /^Paid so far/ })
      .first();
    expect(await paid.textContent()).toContain('€0.00');
  }, 300_000);
});

/** Types a voucher code on the payment screen's code pad and uses it. */
async function redeem(page: Page, code: string): Promise<void> {
  await page.getByRole('button', { name: 'I have a voucher', exact: true }).click();
  const pad = page.getByRole('dialog', { name: 'Enter your voucher code' });
  await pad.waitFor({ state: 'visible' });
  for (const ch of code.replace('-', '')) await pad.getByRole('button', { name: ch, exact: true }).click();
  await expect.poll(() => pad.getByTestId('voucher-code').textContent()).toBe(code);
  await pad.getByRole('button', { name: 'Use voucher', exact: true }).click();
}

describe('walking away during payment', () => {
  let booth: RunningBooth;
  let browser: Browser;

  beforeAll(async () => {
    if (!chromiumPath)
      throw new Error('Chromium is not installed (apt-get install chromium; npm run setup does)');
    [booth, browser] = await Promise.all([
      // This unit leaves unused credit for the next customer (and both are told).
      startBooth({
        ...boothConfig({ inactivityMs: 4_000, stillThereMs: 3_000 }),
        money: { unusedCredit: 'carry' },
      }),
      launchChromium(),
    ]);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await booth?.stop();
  });

  it('keeps the coins as credit for the next customer', async () => {
    const rec = new ScreenRecorder('walk away in payment');
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await page.goto(booth.url);
    await toPayment(page, rec);
    await staffPanel(page, 'Insert coin €2.00');
    await visible(page.getByText('€2.00').first());
    await rec.shot(page, 'paid-two');
    await expectScreen(page, 'Are you still there?', 20_000);
    // The amount and how long is left are on the screen.
    await visible(page.getByText('Your money in the booth: €2.00'));
    await visible(page.getByText(/^The session ends in [0-9] s\.$/));
    await rec.shot(page, 'still-there');
    // Whoever looks next is told where the €2.00 went.
    await expectScreen(page, 'Your money', 20_000);
    await visible(page.getByText('€2.00 stays in the booth as credit for the next customer.'));
    await rec.shot(page, 'money-carried');
    await page.getByRole('button', { name: 'Finish', exact: true }).click();
    await expectScreen(page, 'ID photos in minutes', 20_000);
    // The next customer finds the €2.00 already paid.
    await toPayment(page, rec);
    const paid = page
      .locator('section, div')
      .filter({ hasText: /^Paid so far/ })
      .first();
    expect(await paid.textContent()).toContain('€2.00');
    await visible(page.getByText('€6.00').first()); // still to pay
    // Never someone else's money unannounced.
    await visible(page.getByText(/^€2\.00 of this was left in the booth by an earlier customer\./));
    await rec.shot(page, 'payment-with-credit');
  }, 180_000);
});

describe('the demo as `npm start` runs it (default config, face analysis)', () => {
  let booth: RunningBooth;
  let browser: Browser;

  beforeAll(async () => {
    if (!chromiumPath)
      throw new Error('Chromium is not installed (apt-get install chromium; npm run setup does)');
    [booth, browser] = await Promise.all([startBooth({}), launchChromium()]);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await booth?.stop();
  });

  it('a person completes a session: coached by face analysis, paid with the staff panel', async () => {
    const rec = new ScreenRecorder('demo with face analysis');
    const page = await browser.newPage({ viewport: { width: 1080, height: 1920 } });
    await page.goto(booth.url);
    await expectScreen(page, 'ID photos in minutes', 30_000);
    await page.getByRole('button', { name: 'Touch to start', exact: true }).click();
    await page.getByRole('button', { name: 'English', exact: true }).click();
    await page.getByRole('button', { name: 'I agree', exact: true }).click();
    await expectScreen(page, 'Choose your photos');
    await page.getByRole('button', { name: 'EU passport or ID card', exact: true }).click();
    await page.getByRole('button', { name: /^4 photos on 1 printed sheet €8\.00$/ }).click();
    await page.getByRole('button', { name: 'Continue', exact: true }).click();
    await expectScreen(page, 'Please pay');
    await staffPanel(page, 'Insert note €5.00', 'Insert note €5.00');
    await expectScreen(page, 'Get ready for your photo');
    await rec.shot(page, 'pose');
    // Coaching says ready once every check holds; the booth counts down and takes the photo.
    await expectScreen(page, 'Check your photo', 90_000);
    await rec.shot(page, 'review');
    await visible(page.getByText('Your photo meets all the rules.'));
    await page.getByRole('button', { name: 'Use this photo', exact: true }).click();
    await expectScreen(page, 'Thank you!', 90_000);
    await rec.shot(page, 'thank-you');
  }, 300_000);
});
