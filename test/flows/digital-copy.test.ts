import { describe, expect, it } from 'vitest';
import { SessionHarness, testSettings } from './session-harness.ts';

const { timeouts } = testSettings;
/** photos-4 with its digital file, on a booth that can email it. */
const digital = {
  ...testSettings,
  digitalDelivery: true,
  products: [{ id: 'photos-4', price: 800, prints: 1, digital: true }, ...testSettings.products.slice(1)],
};

async function toDelivered(h: SessionHarness): Promise<void> {
  await h.toReview();
  await h.send({ type: 'ACCEPT_PHOTO' });
  await h.answer('producePhotos', { sheetIds: ['sheet-1'] });
  await h.answer('printSheets', { printed: 1 });
  await h.answer('deliverOrder');
}

const session = (h: SessionHarness) => JSON.stringify(h.actor.getSnapshot().toJSON());

describe('session flow: the digital file and contact us', () => {
  it('after the prints, the address typed goes to the outbox, never into the flow', async () => {
    const h = await new SessionHarness(digital).start();
    await toDelivered(h);
    expect(h.state).toBe('digitalCopy.entering');
    expect(h.context.outcome).toBe('completed');
    await h.send({ type: 'EMAIL_SEND', address: 'ana@example.org' });
    expect(h.state).toBe('digitalCopy.sending');
    expect(await h.answer('requestDigitalCopy')).toEqual({
      sessionId: 's1',
      address: 'ana@example.org',
      language: 'en',
      productId: 'photos-4',
      documentId: 'eu-passport',
    });
    expect(h.state).toBe('thankYou');
    expect(h.context.digitalCopy).toBe('queued');
    expect(session(h)).not.toContain('ana@example.org');
  });

  it('an address the outbox refuses comes back to the keyboard with the reason; skipping goes on', async () => {
    const h = await new SessionHarness(digital).start();
    await toDelivered(h);
    await h.send({ type: 'EMAIL_SEND', address: 'ana@' });
    await h.fail('requestDigitalCopy', 'address-invalid');
    expect(h.state).toBe('digitalCopy.entering');
    expect(h.context.emailError).toBe('address-invalid');
    await h.send({ type: 'EMAIL_SKIP' });
    expect(h.state).toBe('thankYou');
    expect(h.context.digitalCopy).toBe('skipped');
  });

  it('nobody at the keyboard: on to thank-you with the file not sent', async () => {
    const h = await new SessionHarness(digital).start();
    await toDelivered(h);
    await h.advance(timeouts.inactivityMs);
    expect(h.state).toBe('thankYou');
    expect(h.context.digitalCopy).toBe('skipped');
  });

  it('no digital file, or a booth that cannot email: straight to thank-you', async () => {
    for (const settings of [testSettings, { ...digital, digitalDelivery: false }]) {
      const h = await new SessionHarness(settings).start();
      await toDelivered(h);
      expect(h.state).toBe('thankYou');
      expect(h.context.digitalCopy).toBeNull();
    }
  });

  it('contact us from thank-you: the request with the receipt code, then the books close', async () => {
    const h = await new SessionHarness().start();
    await toDelivered(h);
    await h.send({ type: 'CONTACT_US' });
    expect(h.state).toBe('contact.form');
    await h.send({ type: 'CONTACT_SEND', address: 'ana@example.org', reason: 'print-quality' });
    expect(await h.answer('requestContact')).toEqual({
      address: 'ana@example.org',
      reason: 'print-quality',
      receiptCode: 'ABCD-EFGH',
      language: 'en',
    });
    expect(h.state).toBe('contact.sent');
    expect(session(h)).not.toContain('ana@example.org');
    await h.send({ type: 'FINISH' });
    expect(h.state).toBe('ending');
  });

  it('contact us from an error screen; cancelling closes the books as the error screen would', async () => {
    const h = await new SessionHarness().start();
    await h.toReview();
    await h.send({ type: 'ACCEPT_PHOTO' });
    await h.fail('producePhotos', 'production-failed');
    expect(h.state).toBe('productionFailed');
    await h.send({ type: 'CONTACT_US' });
    expect(h.state).toBe('contact.form');
    await h.send({ type: 'CONTACT_SEND', address: 'x', reason: 'money' });
    await h.fail('requestContact', 'address-invalid');
    expect(h.state).toBe('contact.form');
    expect(h.context.contactError).toBe('address-invalid');
    await h.send({ type: 'CONTACT_CANCEL' });
    expect(h.state).toBe('ending');
    expect(h.context.outcome).toBe('failed');
  });
});
