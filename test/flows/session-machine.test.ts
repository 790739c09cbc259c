import { describe, expect, it } from 'vitest';
import { SessionHarness, testSettings } from './session-harness.ts';

const { timeouts } = testSettings;

describe('session flow: the happy path', () => {
  it('goes from attract to thank-you and back, taking money only in payment', async () => {
    const h = await new SessionHarness().start();
    expect(h.state).toBe('attract.checking');
    await h.answer('checkDevices', { ok: true, reason: null });
    expect(h.state).toBe('attract.idle');

    await h.send({ type: 'TOUCH' });
    expect(h.state).toBe('customer.language');
    await h.send({ type: 'SELECT_LANGUAGE', language: 'de' });
    expect(h.state).toBe('customer.consent');
    expect(h.context.language).toBe('de');
    await h.send({ type: 'ACCEPT_CONSENT' });
    expect(await h.answer('openSession', { sessionId: 's1', receiptCode: 'K7PQ-2M9X', credit: 0 })).toEqual({
      language: 'de',
    });
    expect(h.state).toBe('customer.choose');
    expect(h.acceptance).toEqual([]);

    await h.send({ type: 'CHOOSE', documentId: 'eu-passport', productId: 'photos-4' });
    expect(h.state).toBe('customer.checkingDevices');
    expect(await h.answer('checkDevices', { ok: true, reason: null })).toEqual({ productId: 'photos-4' });
    expect(h.state).toBe('customer.payment.waiting');
    expect(h.acceptance).toEqual([true]);

    await h.send({ type: 'CREDIT', amount: 500, balance: 500 });
    expect(h.state).toBe('customer.payment.waiting');
    expect(h.context.credit).toBe(500);
    await h.send({ type: 'CREDIT', amount: 500, balance: 1000 });
    expect(h.state).toBe('customer.ordering');
    expect(h.acceptance).toEqual([true, false]);
    expect(await h.answer('placeOrder', { orderId: 'o1', credit: 200 })).toEqual({
      sessionId: 's1',
      productId: 'photos-4',
      price: 800,
    });

    expect(h.state).toBe('customer.shooting.pose');
    h.coach!.update({ ready: false, hint: 'hint.moveCloser', checks: { 'face.single': true } });
    await h.clock.settle();
    expect(h.context.coach.hint).toBe('hint.moveCloser');
    h.coach!.update({ ready: true, hint: null, checks: { 'face.single': true } });
    await h.clock.settle();
    expect(h.state).toBe('customer.shooting.countdown');
    await h.advance(timeouts.countdownMs);
    expect(h.state).toBe('customer.capturing');
    expect(h.coachStopped).toBe(1);
    await h.answer('captureStill', { stillId: 'still-1' });
    await h.answer('checkStill', { verdict: 'pass', failed: [] });
    expect(h.state).toBe('customer.review');

    await h.send({ type: 'ACCEPT_PHOTO' });
    expect(h.state).toBe('producing');
    await h.answer('producePhotos', { sheetIds: ['sheet-1'] });
    expect(await h.answer('printSheets', { printed: 1 })).toEqual({
      sessionId: 's1',
      orderId: 'o1',
      sheetIds: ['sheet-1'],
    });
    expect(await h.answer('deliverOrder')).toEqual({ orderId: 'o1' });
    expect(h.state).toBe('thankYou');
    expect(h.context.outcome).toBe('completed');
    await h.answer('printReceipt');
    await h.advance(timeouts.thankYouMs);
    expect(h.state).toBe('ending');
    expect(await h.answer('endSession', { credit: 200 })).toEqual({
      sessionId: 's1',
      orderId: null,
      outcome: 'completed',
      fault: null,
    });
    expect(h.state).toBe('attract.checking');
    expect(h.context.sessionId).toBeNull();
  });

  it('skips payment when carried credit already covers the price', async () => {
    const h = await new SessionHarness().start();
    await h.toChoose(900);
    await h.send({ type: 'CHOOSE', documentId: 'us-passport', productId: 'photos-4' });
    await h.answer('checkDevices', { ok: true, reason: null });
    expect(h.state).toBe('customer.ordering');
    expect(h.acceptance).toEqual([]);
  });

  it('ignores a document or product that is not configured, and unknown languages', async () => {
    const h = await new SessionHarness().start();
    await h.answer('checkDevices', { ok: true, reason: null });
    await h.send({ type: 'TOUCH' });
    await h.send({ type: 'SELECT_LANGUAGE', language: 'xx' });
    expect(h.state).toBe('customer.language');
    await h.send({ type: 'SELECT_LANGUAGE', language: 'ar' });
    await h.send({ type: 'ACCEPT_CONSENT' });
    await h.answer('openSession', { sessionId: 's1', receiptCode: 'R', credit: 0 });
    await h.send({ type: 'CHOOSE', documentId: 'cn-visa', productId: 'photos-4' });
    await h.send({ type: 'CHOOSE', documentId: 'eu-passport', productId: 'free-photos' });
    expect(h.state).toBe('customer.choose');
  });
});

describe('session flow: consent', () => {
  it('declining ends the visit without opening a session or touching the camera', async () => {
    const h = await new SessionHarness().start();
    await h.answer('checkDevices', { ok: true, reason: null });
    await h.send({ type: 'TOUCH' });
    await h.send({ type: 'SELECT_LANGUAGE', language: 'en' });
    await h.send({ type: 'DECLINE_CONSENT' });
    expect(h.state).toBe('ending');
    expect(await h.answer('endSession', { credit: 0 })).toMatchObject({
      sessionId: null,
      outcome: 'declined',
    });
    expect(h.state).toBe('attract.checking');
    const services = h.calls.map((c) => c.service);
    expect(services).not.toContain('openSession');
    expect(services).not.toContain('coachLiveView');
    expect(services).not.toContain('captureStill');
  });
});

describe('session flow: devices are checked before money', () => {
  it('refuses payment when the product cannot be printed, then goes out of service', async () => {
    const h = await new SessionHarness().start();
    await h.toChoose();
    await h.send({ type: 'CHOOSE', documentId: 'eu-passport', productId: 'photos-8' });
    await h.answer('checkDevices', { ok: false, reason: 'photo-printer:media-empty' });
    expect(h.state).toBe('unavailable');
    expect(h.acceptance).toEqual([]);
    expect(h.context.fault).toEqual({ state: 'unavailable', code: 'photo-printer:media-empty' });
    await h.send({ type: 'TOUCH' });
    await h.answer('endSession', { credit: 0 });
    await h.answer('checkDevices', { ok: false, reason: 'photo-printer:media-empty' });
    expect(h.state).toBe('outOfService.waiting');
    expect(h.context.outOfServiceReason).toBe('photo-printer:media-empty');
    await h.advance(timeouts.healthRecheckMs);
    await h.answer('checkDevices', { ok: false, reason: 'photo-printer:media-empty' });
    expect(h.state).toBe('outOfService.waiting');
    await h.send({ type: 'HEALTH', ok: true, reason: null });
    await h.answer('checkDevices', { ok: true, reason: null });
    expect(h.state).toBe('attract.checking');
  });

  it('goes out of service from attract when a device reports it is down', async () => {
    const h = await new SessionHarness().start();
    await h.answer('checkDevices', { ok: true, reason: null });
    await h.send({ type: 'HEALTH', ok: false, reason: 'camera:disconnected' });
    expect(h.state).toBe('outOfService.waiting');
    await h.send({ type: 'TOUCH' });
    expect(h.state).toBe('outOfService.waiting');
  });
});

describe('session flow: money', () => {
  it('holds a note in escrow until the price is met, and returns notes the session cannot use', async () => {
    const h = await new SessionHarness().start();
    await h.send({ type: 'ESCROW', ref: 'n0', amount: 500 });
    await h.toPayment();
    // €5 of €8: held, not taken. The next note takes its place in escrow and it goes in.
    await h.send({ type: 'ESCROW', ref: 'n1', amount: 500 });
    expect(h.context.heldNote).toEqual({ ref: 'n1', amount: 500 });
    await h.send({ type: 'ESCROW', ref: 'n2', amount: 200 });
    expect(h.context.heldNote).toEqual({ ref: 'n2', amount: 200 });
    await h.send({ type: 'CREDIT', amount: 500, balance: 500 });
    // €5 in and €2 held: a €10 note meets the price, so both go in and the credit orders.
    await h.send({ type: 'ESCROW', ref: 'n3', amount: 1000 });
    expect(h.context.heldNote).toBeNull();
    await h.send({ type: 'CREDIT', amount: 200, balance: 700 });
    await h.send({ type: 'CREDIT', amount: 1000, balance: 1700 });
    expect(h.state).toBe('customer.ordering');
    await h.send({ type: 'ESCROW', ref: 'n4', amount: 500 });
    expect(h.escrow).toEqual([
      { action: 'return', ref: 'n0' },
      { action: 'stack', ref: 'n1' },
      { action: 'stack', ref: 'n2' },
      { action: 'stack', ref: 'n3' },
      { action: 'return', ref: 'n4' },
    ]);
  });

  it('Cancel with a note held asks first, then gives the note itself back', async () => {
    const h = await new SessionHarness().start();
    await h.toPayment();
    await h.send({ type: 'ESCROW', ref: 'n1', amount: 500 });
    await h.send({ type: 'CANCEL' });
    expect(h.state).toBe('confirmCancel');
    await h.send({ type: 'KEEP_GOING' });
    expect(h.context.heldNote).toEqual({ ref: 'n1', amount: 500 });
    await h.send({ type: 'CANCEL' });
    await h.send({ type: 'CANCEL' });
    expect(h.state).toBe('ending');
    expect(h.escrow).toEqual([{ action: 'return', ref: 'n1' }]);
    expect(h.context.heldNote).toBeNull();
  });

  it('coins that meet the price while a note is held: the note is not needed and goes back', async () => {
    const h = await new SessionHarness().start();
    await h.toPayment();
    await h.send({ type: 'ESCROW', ref: 'n1', amount: 500 });
    await h.send({ type: 'CREDIT', amount: 800, balance: 800 });
    expect(h.state).toBe('customer.ordering');
    expect(h.escrow).toEqual([{ action: 'return', ref: 'n1' }]);
  });

  it('coins and the held note together meet the price: the note goes in, its credit orders', async () => {
    const h = await new SessionHarness().start();
    await h.toPayment();
    await h.send({ type: 'ESCROW', ref: 'n1', amount: 500 });
    await h.send({ type: 'CREDIT', amount: 300, balance: 300 });
    expect(h.escrow).toEqual([{ action: 'stack', ref: 'n1' }]);
    expect(h.state).toBe('customer.payment.waiting');
    await h.send({ type: 'CREDIT', amount: 500, balance: 800 });
    expect(h.state).toBe('customer.ordering');
  });

  it('a note the validator gave back by itself is no longer held', async () => {
    const h = await new SessionHarness().start();
    await h.toPayment();
    await h.send({ type: 'ESCROW', ref: 'n1', amount: 500 });
    await h.send({ type: 'ESCROW_RETURNED', ref: 'other' });
    expect(h.context.heldNote).not.toBeNull();
    await h.send({ type: 'ESCROW_RETURNED', ref: 'n1' });
    expect(h.context.heldNote).toBeNull();
  });

  it('keeps a coin that lands after payment in the session credit', async () => {
    const h = await new SessionHarness().start();
    await h.toPose();
    await h.send({ type: 'CREDIT', amount: 100, balance: 100 });
    expect(h.state).toBe('customer.shooting.pose');
    expect(h.context.credit).toBe(100);
  });

  it('a payment device that will not enable leads to paymentFailed and closes the books', async () => {
    const h = await new SessionHarness().start();
    h.acceptanceFails = 'timeout';
    await h.toPayment();
    expect(h.state).toBe('paymentFailed');
    expect(h.context.fault).toEqual({ state: 'payment', code: 'timeout' });
    await h.advance(8_000);
    expect(await h.answer('endSession', { credit: 0 })).toMatchObject({ outcome: 'failed', orderId: null });
  });

  it('cancelling with no money in ends the session at once', async () => {
    const h = await new SessionHarness().start();
    await h.toPayment();
    await h.send({ type: 'CANCEL' });
    expect(await h.answer('endSession', { credit: 0 })).toMatchObject({ outcome: 'cancelled' });
  });

  it('cancelling with money in asks first; carrying on returns to payment with acceptance back on', async () => {
    const h = await new SessionHarness().start();
    await h.toPayment();
    await h.send({ type: 'CREDIT', amount: 200, balance: 200 });
    await h.send({ type: 'CANCEL' });
    expect(h.state).toBe('confirmCancel');
    expect(h.acceptance).toEqual([true, false]);
    await h.send({ type: 'KEEP_GOING' });
    expect(h.state).toBe('customer.payment.waiting');
    expect(h.acceptance).toEqual([true, false, true]);
  });

  it('an unanswered cancel confirmation ends the session as walked away', async () => {
    const h = await new SessionHarness().start();
    await h.toPayment();
    await h.send({ type: 'CREDIT', amount: 200, balance: 200 });
    await h.send({ type: 'CANCEL' });
    await h.advance(timeouts.stillThereMs);
    expect(await h.answer('endSession', { credit: 200 })).toMatchObject({ outcome: 'walked-away' });
  });

  it('cancelling in payment, confirmed, ends the session with the credit for the books to carry', async () => {
    const h = await new SessionHarness().start();
    await h.toPayment();
    await h.send({ type: 'CREDIT', amount: 200, balance: 200 });
    await h.send({ type: 'CANCEL' });
    await h.send({ type: 'CANCEL' });
    expect(h.acceptance).toEqual([true, false]);
    expect(await h.answer('endSession', { credit: 200 })).toMatchObject({
      sessionId: 's1',
      outcome: 'cancelled',
    });
  });
});

describe('session flow: inactivity', () => {
  it('asks "are you still there?" and resumes where the customer was', async () => {
    const h = await new SessionHarness().start();
    await h.toPayment();
    await h.advance(timeouts.inactivityMs - 1);
    expect(h.state).toBe('customer.payment.waiting');
    await h.advance(1);
    expect(h.state).toBe('stillThere');
    expect(h.acceptance).toEqual([true, false]);
    await h.send({ type: 'STILL_HERE' });
    expect(h.state).toBe('customer.payment.waiting');
    expect(h.acceptance).toEqual([true, false, true]);
  });

  it('every coin restarts the inactivity timer', async () => {
    const h = await new SessionHarness().start();
    await h.toPayment();
    await h.advance(timeouts.inactivityMs - 1000);
    await h.send({ type: 'CREDIT', amount: 100, balance: 100 });
    await h.advance(timeouts.inactivityMs - 1000);
    expect(h.state).toBe('customer.payment.waiting');
  });

  it('ends the session as walked-away when nobody answers', async () => {
    const h = await new SessionHarness().start();
    await h.toReview();
    await h.advance(timeouts.inactivityMs + timeouts.stillThereMs);
    expect(h.state).toBe('ending');
    // The paid order goes to endSession so the price is put back into credit.
    expect(await h.answer('endSession', { credit: 800 })).toMatchObject({
      orderId: 'o1',
      outcome: 'walked-away',
    });
  });

  it('offers the capture button when coaching takes too long', async () => {
    const h = await new SessionHarness().start();
    await h.toPose();
    expect(h.context.manualCaptureOffered).toBe(false);
    await h.advance(timeouts.poseMs);
    expect(h.context.manualCaptureOffered).toBe(true);
    await h.send({ type: 'CAPTURE_NOW' });
    expect(h.state).toBe('customer.shooting.countdown');
  });

  it('someone being coached is not idle: "are you still there?" comes only after the capture button went unused', async () => {
    const h = await new SessionHarness().start();
    await h.toPose();
    await h.advance(timeouts.inactivityMs + 1);
    expect(h.state).toBe('customer.shooting.pose');
    expect(h.context.manualCaptureOffered).toBe(true);
    await h.advance(timeouts.poseMs - 2);
    expect(h.state).toBe('customer.shooting.pose');
    await h.advance(1);
    expect(h.state).toBe('stillThere');
  });
});

describe('session flow: review and retakes', () => {
  it('allows the configured number of retakes', async () => {
    const h = await new SessionHarness().start();
    await h.toReview();
    await h.send({ type: 'RETAKE' });
    expect(h.state).toBe('customer.shooting.pose');
    expect(h.context.retakesLeft).toBe(0);
    await h.send({ type: 'CAPTURE_NOW' });
    await h.advance(timeouts.countdownMs);
    await h.answer('captureStill', { stillId: 'still-2' });
    await h.answer('checkStill', { verdict: 'pass', failed: [] });
    await h.send({ type: 'RETAKE' });
    expect(h.state).toBe('customer.review');
  });

  it('will not produce a photo that failed its check', async () => {
    const h = await new SessionHarness().start();
    await h.toReview('fail');
    expect(h.context.review).toEqual({ verdict: 'fail', failed: ['eyes.open'] });
    await h.send({ type: 'ACCEPT_PHOTO' });
    expect(h.state).toBe('customer.review');
    await h.send({ type: 'CANCEL' });
    await h.send({ type: 'CANCEL' }); // confirmed: the order is paid
    expect(await h.answer('endSession', { credit: 800 })).toMatchObject({
      orderId: 'o1',
      outcome: 'cancelled',
    });
  });
});

describe('session flow: leaving during the pose', () => {
  it('cancelling while being coached ends the session with the paid order to reverse', async () => {
    const h = await new SessionHarness().start();
    await h.toPose();
    expect(h.state).toBe('customer.shooting.pose');
    await h.send({ type: 'CANCEL' });
    expect(h.state).toBe('confirmCancel');
    await h.send({ type: 'CANCEL' });
    expect(await h.answer('endSession', { credit: 800 })).toMatchObject({
      orderId: 'o1',
      outcome: 'cancelled',
    });
  });
});

describe('session flow: device errors have named states with a way out', () => {
  it('camera fault during pose → cameraFailed → ending with the order to reverse', async () => {
    const h = await new SessionHarness().start();
    await h.toPose();
    h.coach!.fault('disconnected');
    await h.clock.settle();
    expect(h.state).toBe('cameraFailed');
    expect(h.coachStopped).toBe(1);
    await h.send({ type: 'TOUCH' });
    expect(await h.answer('endSession', { credit: 800 })).toEqual({
      sessionId: 's1',
      orderId: 'o1',
      outcome: 'failed',
      fault: { state: 'shooting', code: 'disconnected' },
    });
  });

  it('capture failure → cameraFailed', async () => {
    const h = await new SessionHarness().start();
    await h.toPose();
    await h.send({ type: 'CAPTURE_NOW' });
    await h.advance(timeouts.countdownMs);
    await h.fail('captureStill', 'timeout');
    expect(h.state).toBe('cameraFailed');
    expect(h.context.fault).toEqual({ state: 'capturing', code: 'timeout' });
  });

  it('a full disk while storing the capture → storageFailed, and the paid order goes back to credit', async () => {
    const h = await new SessionHarness().start();
    await h.toPose();
    await h.send({ type: 'CAPTURE_NOW' });
    await h.advance(timeouts.countdownMs);
    await h.fail('captureStill', 'disk-full');
    expect(h.state).toBe('storageFailed');
    await h.advance(8_000);
    expect(await h.answer('endSession', { credit: 800 })).toMatchObject({
      orderId: 'o1',
      outcome: 'failed',
      fault: { state: 'capturing', code: 'disk-full' },
    });
  });

  it('a full disk while storing the print sheet → storageFailed, not a production fault', async () => {
    const h = await new SessionHarness().start();
    await h.toReview();
    await h.send({ type: 'ACCEPT_PHOTO' });
    await h.fail('producePhotos', 'disk-full');
    expect(h.state).toBe('storageFailed');
  });

  it('print failure → printFailed → ending with the order to reverse', async () => {
    const h = await new SessionHarness().start();
    await h.toReview();
    await h.send({ type: 'ACCEPT_PHOTO' });
    await h.answer('producePhotos', { sheetIds: ['sheet-1'] });
    await h.fail('printSheets', 'media-jam');
    expect(h.state).toBe('printFailed');
    await h.advance(8_000);
    expect(await h.answer('endSession', { credit: 800 })).toMatchObject({
      orderId: 'o1',
      outcome: 'failed',
      fault: { state: 'printing', code: 'media-jam' },
    });
  });

  it('prints owed → printOwed: the receipt prints, and ending does not reverse the order', async () => {
    const h = await new SessionHarness().start();
    await h.toReview();
    await h.send({ type: 'ACCEPT_PHOTO' });
    await h.answer('producePhotos', { sheetIds: ['sheet-1', 'sheet-2'] });
    await h.fail('printSheets', 'prints-owed');
    expect(h.state).toBe('printOwed');
    expect(await h.answer('printReceipt', undefined)).toMatchObject({ receiptCode: expect.any(String) });
    await h.send({ type: 'FINISH' });
    expect(await h.answer('endSession', { credit: 0 })).toMatchObject({
      orderId: null,
      outcome: 'owed',
      fault: { state: 'printing', code: 'prints-owed' },
    });
  });

  it('production failure → productionFailed', async () => {
    const h = await new SessionHarness().start();
    await h.toReview();
    await h.send({ type: 'ACCEPT_PHOTO' });
    await h.fail('producePhotos', 'crop-impossible');
    expect(h.state).toBe('productionFailed');
  });

  it('a journal that cannot close the books stops sales', async () => {
    const h = await new SessionHarness().start();
    await h.toPayment();
    await h.send({ type: 'CANCEL' });
    await h.fail('endSession', 'SQLITE_FULL');
    expect(h.state).toBe('outOfService.waiting');
    // SQLite's own word for it is told as the booth's: staff read "disk-full".
    expect(h.context.outOfServiceReason).toBe('journal:disk-full');
  });
});

describe('session flow: money back and vouchers', () => {
  const voucherBack = {
    amount: 200,
    policy: 'voucher' as const,
    paidOut: 0,
    voucher: { code: 'ABCDE-FGHJK', amount: 200, expiresAt: 1_800_000_000_000, printed: true },
    carried: 0,
    kept: 0,
  };

  it('a confirmed cancel with money in shows what became of the money, then goes back to attract', async () => {
    const h = await new SessionHarness().start();
    await h.toPayment();
    await h.send({ type: 'CREDIT', amount: 200, balance: 200 });
    await h.send({ type: 'CANCEL' });
    await h.send({ type: 'CANCEL' });
    await h.answer('endSession', { credit: 0, handedBack: voucherBack });
    expect(h.state).toBe('moneyBack');
    expect(h.context.handedBack).toEqual(voucherBack);
    await h.advance(timeouts.errorNoticeMs);
    expect(h.state).toBe('attract.checking');
    expect(h.context.handedBack).toBeNull();
  });

  it('an ending that handed nothing back goes straight to attract', async () => {
    const h = await new SessionHarness().start();
    await h.toPayment();
    await h.send({ type: 'CANCEL' });
    await h.answer('endSession', { credit: 0, handedBack: null });
    expect(h.state).toBe('attract.checking');
  });

  it('a voucher code on the payment screen becomes credit; one that covers the price places the order', async () => {
    const h = await new SessionHarness().start();
    await h.toPayment();
    await h.send({ type: 'REDEEM_VOUCHER', code: 'abcde-fghjk' });
    expect(h.state).toBe('customer.payment.redeeming');
    expect(await h.answer('redeemVoucher', { amount: 300, credit: 300 })).toEqual({
      sessionId: 's1',
      code: 'abcde-fghjk',
    });
    expect(h.state).toBe('customer.payment.waiting');
    expect(h.context).toMatchObject({ credit: 300, voucherRedeemed: 300, voucherError: null });
    await h.send({ type: 'REDEEM_VOUCHER', code: 'ZZZZZ-ZZZZZ' });
    await h.answer('redeemVoucher', { amount: 500, credit: 800 });
    expect(h.state).toBe('customer.ordering');
  });

  it('a refused voucher code stays on payment and says why; money is untouched', async () => {
    const h = await new SessionHarness().start();
    await h.toPayment();
    await h.send({ type: 'CREDIT', amount: 100, balance: 100 });
    await h.send({ type: 'REDEEM_VOUCHER', code: 'USEDX-00000' });
    await h.fail('redeemVoucher', 'voucher-redeemed');
    expect(h.state).toBe('customer.payment.waiting');
    expect(h.context).toMatchObject({ credit: 100, voucherError: 'voucher-redeemed', voucherRedeemed: 0 });
  });

  it('a voucher code typed outside payment does nothing', async () => {
    const h = await new SessionHarness().start();
    await h.toChoose();
    await h.send({ type: 'REDEEM_VOUCHER', code: 'ABCDE-FGHJK' });
    expect(h.state).toBe('customer.choose');
    expect(h.calls.map((c) => c.service)).not.toContain('redeemVoucher');
  });
});
