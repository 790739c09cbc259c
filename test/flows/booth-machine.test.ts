import { describe, expect, it } from 'vitest';
import { boothView } from '../../flows/booth/view.ts';
import { SessionHarness } from './session-harness.ts';

const view = (h: SessionHarness) => boothView(h.actor.getSnapshot());

describe('booth flow: in service, out of service, and what the host reads of it', () => {
  it('is between customers only while waiting in attract or out of service (tags, not names)', async () => {
    const h = await new SessionHarness().start();
    expect(view(h).betweenCustomers).toBe(false); // attract.checking: the devices are being checked
    await h.answer('checkDevices', { ok: true, reason: null });
    expect(view(h)).toMatchObject({
      betweenCustomers: true,
      waitingForCustomer: true,
      screen: { screen: 'attract' },
    });
    await h.send({ type: 'TOUCH' });
    expect(view(h)).toMatchObject({ betweenCustomers: false, screen: { screen: 'language' } });
    await h.send({ type: 'SELECT_LANGUAGE', language: 'en' });
    await h.send({ type: 'ACCEPT_CONSENT' });
    expect(view(h)).toMatchObject({ betweenCustomers: false, screen: { screen: 'busy', busy: 'opening' } });
    await h.answer('openSession', { sessionId: 's1', receiptCode: 'ABCD-EFGH', credit: 0 });
    await h.send({ type: 'CHOOSE', documentId: 'eu-passport', productId: 'photos-4' });
    await h.answer('checkDevices', { ok: true, reason: null });
    expect(view(h)).toMatchObject({ betweenCustomers: false, screen: { screen: 'payment' } });
  });

  it('holds the booth out of service with the reason, then starts a fresh session when the devices are back', async () => {
    const h = await new SessionHarness().start();
    await h.answer('checkDevices', { ok: true, reason: null });
    await h.send({ type: 'HEALTH', ok: false, reason: 'camera:disconnected' });
    expect(view(h)).toMatchObject({
      betweenCustomers: true,
      waitingForCustomer: false,
      outOfServiceReason: 'camera:disconnected',
      screen: { screen: 'outOfService' },
      session: null,
    });
    // Customer events reach no session while out of service.
    await h.send({ type: 'TOUCH' });
    expect(view(h).screen.screen).toBe('outOfService');
    await h.send({ type: 'HEALTH', ok: true, reason: null });
    await h.answer('checkDevices', { ok: true, reason: null });
    expect(h.state).toBe('attract.checking');
    await h.answer('checkDevices', { ok: true, reason: null });
    expect(view(h)).toMatchObject({ waitingForCustomer: true, outOfServiceReason: null });
  });
});
