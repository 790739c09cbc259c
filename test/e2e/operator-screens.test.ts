// Operator mode as an operator meets it, in Debian's Chromium on the browser shell of a booth on
// simulated hardware: the hidden entry, the PIN pad, takings, the cash box and its Z-report,
// paper, maintenance, and the pad's lock across a restart. Screenshots: test-artifacts/e2e/.
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

const config = {
  unit: { id: 'e2e-op', name: 'Booth E2E' },
  documents: ['schengen-visa', 'eu-passport'],
  vision: { engine: 'basic', steadyMs: 600 },
  environment: { enabled: false },
  timeouts: {
    inactivityMs: 60_000,
    poseMs: 20_000,
    countdownMs: 2_000,
    thankYouMs: 30_000,
    healthRecheckMs: 1_000,
  },
  operator: { serviceKey: 'F9' },
  // One print's worth of paper: the customer below empties it.
  hardware: { photoPrinter: { adapter: 'simulated', capacity: 1 } },
};

const button = (page: Page, name: string | RegExp) =>
  page.getByRole('button', { name, exact: typeof name === 'string' });

/** The hidden entry: the four corners anticlockwise from top-left. */
async function cornerTaps(page: Page): Promise<void> {
  const { width, height } = page.viewportSize()!;
  for (const [x, y] of [
    [8, 8],
    [8, height - 8],
    [width - 8, height - 8],
    [width - 8, 8],
  ] as const)
    await page.mouse.click(x, y);
}

async function typeDigits(page: Page, digits: string): Promise<void> {
  for (const d of digits) await button(page, d).click();
}

async function signIn(page: Page, pin = '0000'): Promise<void> {
  await expectScreen(page, 'Operator PIN');
  await typeDigits(page, pin);
  await button(page, 'Enter').click();
}

describe('operator mode in Chromium', () => {
  let booth: RunningBooth;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    if (!chromiumPath)
      throw new Error('Chromium is not installed (apt-get install chromium; npm run setup does)');
    [booth, browser] = await Promise.all([startBooth(config), launchChromium()]);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await booth?.stop();
  });

  async function open(viewport = { width: 1920, height: 1080 }): Promise<Page> {
    await page?.close();
    page = await browser.newPage({ viewport });
    page.on('pageerror', (error) => {
      throw error;
    });
    await page.goto(booth.url);
    return page;
  }

  it('a customer pays, then the operator sees the takings, empties the cash box, loads paper, closes and reopens', async () => {
    const rec = new ScreenRecorder('operator mode');
    const p = await open();
    // One customer: €8 for 4 photos, which uses the printer's only print.
    await expectScreen(p, 'ID photos in minutes', 30_000);
    await button(p, 'Touch to start').click();
    await button(p, 'English').click();
    await button(p, 'I agree').click();
    await button(p, 'Schengen visa').click();
    await button(p, /^4 photos on 1 printed sheet €8\.00$/).click();
    await button(p, 'Continue').click();
    await expectScreen(p, 'Please pay');
    // Not during a session: the hidden entry does nothing with a customer at the booth.
    await cornerTaps(p);
    await expectScreen(p, 'Please pay');
    await staffPanel(p, 'Insert note €5.00', 'Insert coin €2.00', 'Insert coin €1.00');
    await expectScreen(p, 'Check your photo', 90_000);
    await button(p, 'Use this photo').click();
    await expectScreen(p, 'Thank you!', 90_000);
    const receiptCode = (await p
      .getByText(/^[0-9A-Z]{5}-[0-9A-Z]{5}$/)
      .first()
      .textContent())!;
    await button(p, 'Finish').click();
    await expectScreen(p, 'Out of service', 30_000);
    await rec.shot(p, 'out-of-paper');

    await cornerTaps(p);
    await expectScreen(p, 'Operator PIN');
    await visible(p.getByText('Out of service — maintenance'));
    await rec.shot(p, 'pin-pad');
    await typeDigits(p, '1234');
    await button(p, 'Enter').click();
    await visible(p.getByText('Wrong PIN. Tries left before the pad locks: 4.'));
    await rec.shot(p, 'pin-wrong');
    await signIn(p);
    await expectScreen(p, 'Operator menu');
    await rec.shot(p, 'menu');

    await button(p, 'Takings and cash box').click();
    await expectScreen(p, 'Takings and cash box');
    const table = p.getByRole('table');
    await visible(table.getByRole('row', { name: /Cash in €8\.00/ }));
    await visible(table.getByRole('row', { name: /Notes of €5\.00 1 · €5\.00/ }));
    await visible(table.getByRole('row', { name: /Expected in the cash box €8\.00/ }));
    await typeDigits(p, '750');
    await visible(p.getByText('Difference from the journal: -€0.50'));
    await rec.shot(p, 'takings');
    await button(p, 'Cash box emptied').click();
    await expectScreen(p, 'Z-report');
    expect(await p.getByTestId('z-difference').textContent()).toBe('-€0.50');
    await visible(p.getByText('Printed on the receipt printer and kept in the journal.'));
    await rec.shot(p, 'z-report');
    await button(p, 'Back').click();

    await button(p, 'Paper and ribbon').click();
    await expectScreen(p, 'Paper and ribbon');
    await visible(p.getByText('Out of paper: load new media.'));
    await typeDigits(p, '50');
    await button(p, 'Media loaded (50 prints)').click();
    await visible(p.getByText('The printer is ready.'));
    expect(await p.getByTestId('prints-left').textContent()).toBe('50');
    await rec.shot(p, 'paper');
    await button(p, 'Back').click();

    // The customer comes back with the receipt: one more print, then their photos deleted on request.
    await button(p, 'Receipts').click();
    await expectScreen(p, 'Receipts');
    for (const ch of receiptCode.replace('-', '')) await button(p, ch).click();
    await button(p, 'Find').click();
    await visible(p.getByText(new RegExp(`^${receiptCode}: 1 sheet\\(s\\), taken .*, kept until .*\\.$`)));
    await button(p, 'Reprint').click();
    await visible(p.getByText(/Printed again\.$/));
    await rec.shot(p, 'receipt-reprinted');
    await button(p, 'Delete these photos now').click();
    await button(p, 'Yes, delete them for good').click();
    await visible(p.getByText(`${receiptCode}: the photos are deleted.`));
    for (const ch of receiptCode.replace('-', '')) await button(p, ch).click();
    await button(p, 'Find').click();
    await visible(
      p.getByText(`${receiptCode}: no photos are kept for this code (deleted, or past the retention time).`),
    );
    await rec.shot(p, 'receipt-deleted');
    await button(p, 'Back').click();

    // A new price for the next customer.
    await button(p, 'Prices').click();
    await expectScreen(p, 'Prices');
    await button(p, 'Change the price of photos-4: 4 photos, 1 sheet(s)').click();
    await typeDigits(p, '950');
    await button(p, 'Save €9.50').click();
    await visible(p.getByRole('row', { name: /photos-4: 4 photos, 1 sheet\(s\) €9\.50/ }));
    // Withdrawn from sale, and offered again.
    await button(p, 'Withdraw photos-8: 4 photos, 2 sheet(s) from sale').click();
    await visible(p.getByRole('row', { name: /photos-8: 4 photos, 2 sheet\(s\) €12\.00 · not on sale/ }));
    await rec.shot(p, 'prices');
    await button(p, 'Offer photos-8: 4 photos, 2 sheet(s) again').click();
    await visible(button(p, 'Withdraw photos-8: 4 photos, 2 sheet(s) from sale'));
    await button(p, 'Back').click();

    // Each device test.
    await button(p, 'Tests').click();
    await expectScreen(p, 'Device tests');
    await button(p, 'Test print').click();
    await visible(p.getByText(/^Printed in [0-9.]+ s\. Check the grid/), 60_000);
    await button(p, 'Camera test').click();
    await visible(
      p.getByText(/^Live view [0-9.]+ frames\/s; a [0-9]+×[0-9]+ photo in [0-9.]+ s \(not kept\)\.$/),
      60_000,
    );
    await button(p, 'Receipt test').click();
    await visible(p.getByTestId('test-receipt').getByText(/^Printed in [0-9.]+ s\.$/), 60_000);
    // The payment test: a coin goes to the test bucket, credited to nobody.
    await button(p, 'Payment test').click();
    await visible(p.getByText(/^Insert one coin or note now\./));
    await rec.shot(p, 'payment-test-waiting');
    await staffPanel(p, 'Insert coin €2.00');
    await visible(
      p.getByTestId('test-payment').getByText(/^Coins taken: 1 \(€2\.00\), in the cash box as test coins/),
      30_000,
    );
    await rec.shot(p, 'tests');
    await button(p, 'Back').click();

    await button(p, 'Service').click();
    await expectScreen(p, 'Service');
    await button(p, 'Out of service').click();
    await visible(p.getByText('The booth is closed to customers: out of service — maintenance.'));
    await rec.shot(p, 'service-closed');
    await button(p, 'Leave operator mode').click();
    await expectScreen(p, 'Closed for maintenance', 15_000);
    await rec.shot(p, 'closed-for-maintenance');

    // The service key opens the pad too.
    await p.keyboard.press('F9');
    await signIn(p);
    await button(p, 'Service').click();
    await button(p, 'Back in service').click();
    await visible(p.getByText('The booth is open to customers.'));
    await button(p, 'Leave operator mode').click();
    await expectScreen(p, 'ID photos in minutes', 30_000);
    await rec.shot(p, 'attract-again');
    // The next customer pays the new price.
    await button(p, 'Touch to start').click();
    await button(p, 'English').click();
    await button(p, 'I agree').click();
    await expectScreen(p, 'Choose your photos');
    await visible(button(p, /^4 photos on 1 printed sheet €9\.50$/));
    await rec.shot(p, 'new-price-for-the-next-customer');
    await button(p, 'Cancel').click();
    await expectScreen(p, 'ID photos in minutes', 30_000);
  }, 300_000);

  it('five wrong PINs lock the pad, and it is still locked after the booth restarts', async () => {
    const rec = new ScreenRecorder('operator pin lock');
    let p = await open({ width: 1080, height: 1920 });
    await expectScreen(p, 'ID photos in minutes', 30_000);
    await cornerTaps(p);
    for (let i = 0; i < 5; i++) {
      await expectScreen(p, 'Operator PIN');
      await typeDigits(p, '9876');
      await button(p, 'Enter').click();
    }
    await visible(p.getByText(/^Too many wrong PINs\. Try again in 0:[0-9]{2}\.$/));
    await expect(button(p, 'Enter').isDisabled()).resolves.toBe(true);
    await rec.shot(p, 'locked');

    await booth.stop({ keepData: true });
    booth = await startBooth(config, { dataDir: booth.dataDir });
    p = await open({ width: 1080, height: 1920 });
    await expectScreen(p, 'ID photos in minutes', 30_000);
    await cornerTaps(p);
    await signIn(p);
    await visible(p.getByText(/^Too many wrong PINs\. Try again in 0:[0-9]{2}\.$/));
    await rec.shot(p, 'still-locked-after-restart');
    await button(p, 'Leave operator mode').click();
    await expectScreen(p, 'ID photos in minutes', 30_000);
  }, 240_000);
});
