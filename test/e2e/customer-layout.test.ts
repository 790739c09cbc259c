// The customer's screens at the three panel sizes a booth meets (1080x1920 portrait, 1920x1080
// landscape, 1280x800): every action button inside the viewport (by bounding box), axe-core
// (injected into the page) with no serious or critical violation, and the review showing the
// cropped ID photo at the document's aspect. The booth runs the face engine on the demo's
// default portrait, so the review is the real one.
import { createRequire } from 'node:module';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
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

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

const boothConfig = {
  unit: { id: 'e2e-layout', name: 'Booth E2E' },
  documents: ['schengen-visa', 'eu-passport'],
  vision: { steadyMs: 600 },
  environment: { enabled: false },
  timeouts: { inactivityMs: 120_000, poseMs: 20_000, countdownMs: 2_000, thankYouMs: 60_000 },
};

const viewports = [
  { width: 1080, height: 1920 },
  { width: 1920, height: 1080 },
  { width: 1280, height: 800 },
];

/** Every visible button's box lies inside the viewport: nothing needs scrolling to be pressed. */
async function buttonsInView(page: Page, screen: string, some = screen !== 'pose'): Promise<void> {
  const { width, height } = page.viewportSize()!;
  const boxes = await page.locator('main button:visible').evaluateAll((buttons) =>
    buttons.map((b) => {
      const r = b.getBoundingClientRect();
      return { name: (b.textContent ?? '').trim(), x: r.x, y: r.y, right: r.right, bottom: r.bottom };
    }),
  );
  // The pose may already have moved on to the countdown (no buttons) by the time it is measured.
  if (some) expect(boxes.length, `${screen}: buttons`).toBeGreaterThan(0);
  for (const b of boxes) {
    expect(
      b.x >= 0 && b.y >= 0 && b.right <= width + 0.5 && b.bottom <= height + 0.5,
      `${screen} at ${width}x${height}: "${b.name}" at ${JSON.stringify(b)}`,
    ).toBe(true);
  }
}

/** axe-core's serious and critical violations on the page as it is. */
async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: axePath });
  const result = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run(
            ctx: unknown,
            o: unknown,
          ): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }>;
        };
      }
    ).axe;
    return axe.run(document, { resultTypes: ['violations'] });
  });
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

describe('the customer screens at every panel size', () => {
  let booth: RunningBooth | undefined;
  let browser: Browser;

  beforeAll(async () => {
    if (!chromiumPath)
      throw new Error('Chromium is not installed (apt-get install chromium; npm run setup does)');
    browser = await launchChromium();
  }, 60_000);

  // A booth for each panel size: a failure on one leaves no session or credit behind for the next.
  beforeEach(async () => {
    booth = await startBooth(boothConfig);
  }, 180_000);

  afterEach(async () => {
    await booth?.stop();
    booth = undefined;
  });

  afterAll(async () => {
    await browser?.close();
  });

  for (const viewport of viewports) {
    it(`${viewport.width}x${viewport.height}: attract to review and back, buttons in view, axe clean`, async () => {
      const rec = new ScreenRecorder(`customer layout ${viewport.width}x${viewport.height}`);
      // axe-core is injected as a script: the booth's CSP (script-src 'self') is bypassed for the test only.
      const page = await browser.newPage({ viewport, bypassCSP: true });
      const violations: string[] = [];
      const check = async (screen: string, buttons = true) => {
        await rec.shot(page, screen);
        if (buttons) await buttonsInView(page, screen);
        for (const v of await axeViolations(page)) violations.push(`${screen}: ${v}`);
      };
      try {
        await page.goto(booth!.url);
        await expectScreen(page, 'ID photos in minutes', 60_000);
        await check('attract');
        await page.getByRole('button', { name: 'Touch to start', exact: true }).click();
        await expectScreen(page, 'Choose your language');
        await check('language');
        await page.getByRole('button', { name: 'English', exact: true }).click();
        await expectScreen(page, 'Your privacy');
        await check('consent');
        await page.getByRole('button', { name: 'I agree', exact: true }).click();
        await expectScreen(page, 'Choose your photos');
        await page.getByRole('button', { name: 'Schengen visa', exact: true }).click();
        await page.getByRole('button', { name: /^4 photos on 1 printed sheet/ }).click();
        await check('choose');
        await page.getByRole('button', { name: 'Continue', exact: true }).click();
        await expectScreen(page, 'Please pay');
        await check('payment');
        await staffPanel(page, 'Insert note €5.00', 'Insert coin €2.00', 'Insert coin €1.00');
        await expectScreen(page, 'Get ready for your photo');
        await page.getByRole('img', { name: 'Live camera view' }).waitFor({ state: 'visible' });
        await check('pose');
        await expectScreen(page, 'Hold still', 60_000);
        await check('countdown', false);
        await expectScreen(page, 'Check your photo', 90_000);
        const photo = page.getByRole('img', { name: 'Your photo' });
        await photo.waitFor({ state: 'visible', timeout: 30_000 });
        await page.waitForFunction(() => {
          const img = document.querySelector<HTMLImageElement>('img.review-photo');
          return img !== null && img.complete && img.naturalWidth > 0;
        });
        await check('review');
        // The photo on screen is the Schengen visa's 35 x 45 mm crop, not the half-body still.
        const size = await photo.evaluate((img: HTMLImageElement) => ({
          natural: img.naturalWidth / img.naturalHeight,
          shown: img.getBoundingClientRect().width / img.getBoundingClientRect().height,
        }));
        expect(size.natural).toBeCloseTo(35 / 45, 2);
        expect(size.shown).toBeCloseTo(35 / 45, 1);
        // The demo's default portrait meets the rules: the way on is there.
        await page.getByRole('button', { name: 'Use this photo', exact: true }).click();
        await expectScreen(page, 'Thank you!', 120_000);
        await check('thank-you');
        await page.getByRole('button', { name: 'Finish', exact: true }).click();
        await expectScreen(page, 'ID photos in minutes', 60_000);
      } finally {
        await page.close();
      }
      expect(violations).toEqual([]);
    }, 300_000);
  }

  it('a session in Chinese that hits a printer jam shows Chinese end to end, out of service included', async () => {
    const rec = new ScreenRecorder('chinese printer jam');
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 }, bypassCSP: true });
    try {
      await page.goto(booth!.url);
      await expectScreen(page, 'ID photos in minutes', 60_000);
      await page.getByRole('button', { name: 'Touch to start', exact: true }).click();
      await expectScreen(page, 'Choose your language');
      await page.locator('main').getByRole('button', { name: '中文' }).first().click();
      await expectScreen(page, /隐私|您的隐私/);
      await page.getByRole('button', { name: '我同意', exact: true }).click();
      await expectScreen(page, '选择您的照片');
      await page.getByRole('button', { name: '申根签证', exact: true }).click();
      await page
        .getByRole('button', { name: /€8\.00/ })
        .first()
        .click();
      await page.getByRole('button', { name: '继续', exact: true }).click();
      await expectScreen(page, '请付款');
      await staffPanel(page, 'Insert note €5.00', 'Insert coin €2.00', 'Insert coin €1.00');
      await expectScreen(page, '检查您的照片', 90_000);
      await staffPanel(page, 'Photo printer: jam');
      await page.getByRole('button', { name: '使用这张照片', exact: true }).click();
      await expectScreen(page, '您的照片稍后打印', 90_000);
      await rec.shot(page, 'print-owed');
      await page.getByRole('button', { name: '完成', exact: true }).click();
      await expectScreen(page, /暂停服务|Out of service/, 30_000);
      await rec.shot(page, 'after-finish');
      // The session is over, but the jam keeps the booth out of service: said in Chinese.
      await expectScreen(page, '暂停服务', 30_000);
      await visible(page.getByText('抱歉，本机暂停服务。请稍后再来。'));
      await rec.shot(page, 'out-of-service');
      await buttonsInView(page, 'out-of-service', false);
      expect(await axeViolations(page)).toEqual([]);
    } finally {
      await page.close();
    }
  }, 300_000);
});
