import type { SimulatedCamera } from '../../hardware/camera/simulated-camera.ts';
import type { SimulatedHopper } from '../../hardware/hopper/simulated-hopper.ts';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../app/logging/logger.ts';
import { BoothUi } from '../../app/shell/bridge/ui-publisher.ts';
import { demoDevices } from '../../app/host/demo-devices.ts';
import type { UiFrame, UiSnapshot } from '../../app/shell/bridge/kiosk-api.ts';
import type { PaymentDevice } from '../../hardware/payment/payment-port.ts';
import type { SimulatedPaymentDevice } from '../../hardware/payment/simulated-payment-device.ts';
import { startBooth, until, type BoothFixture } from './booth-fixture.ts';

/** The same device, but not an instance of its simulator class (as a real adapter would be). */
function notASimulator<T extends object>(target: T): T {
  return new Proxy(target, {
    getPrototypeOf: () => Object.prototype,
    get: (t, key) => {
      const value: unknown = Reflect.get(t, key, t);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(t) : value;
    },
  });
}

const fixtures: BoothFixture[] = [];
afterEach(async () => {
  for (const f of fixtures.splice(0)) await f.close();
});

async function attachedBooth(options?: Parameters<typeof startBooth>[0]) {
  const f = await startBooth(options);
  fixtures.push(f);
  const ui = new BoothUi({ logger: silentLogger(), maxFps: 1000 });
  const snapshots: UiSnapshot[] = [];
  const frames: UiFrame[] = [];
  ui.onSnapshot((s) => snapshots.push(s));
  ui.onFrame((frame) => frames.push(frame));
  ui.attach(f.booth, demoDevices(f.devices));
  const screen = (name: string) => until(() => ui.latest?.screen === name && ui.latest, 15_000, name);
  return { ...f, ui, snapshots, frames, screen };
}

describe('BoothUi', () => {
  it('walks a customer to review: snapshots deduplicated with rising seq, live frames, the review photo', async () => {
    const { ui, snapshots, frames, screen, booth, devices } = await attachedBooth();
    await screen('attract');
    expect(ui.demo).toBe(true);
    expect(ui.handle({ type: 'TOUCH' })).toBe(true);
    await screen('language');
    ui.handle({ type: 'SELECT_LANGUAGE', language: 'fr' });
    const consent = await screen('consent');
    // The unit's own privacy policy, in the language the customer chose.
    expect(consent.consent?.text).toMatch(/^# Confidentialité dans ce photomaton/);
    ui.handle({ type: 'ACCEPT_CONSENT' });
    const choose = await screen('choose');
    expect(choose.consent).toBeNull();
    ui.handle({ type: 'CHOOSE', documentId: 'eu-passport', productId: 'photos-4' });
    await screen('payment');
    await until(() => devices.payment.status().accepting, 10_000, 'acceptance');
    ui.handle({ type: 'STAFF_INSERT', kind: 'bill', value: 500 });
    // The note is held in escrow (not credit yet) until the price is met: Cancel would return it.
    await until(() => ui.latest!.money.heldNote === 500, 10_000, 'note held');
    expect(ui.latest!.credit).toBe(0);
    for (let i = 0; i < 3; i++) ui.handle({ type: 'STAFF_INSERT', kind: 'coin', value: 100 });
    await screen('pose');
    await until(() => frames.length >= 2, 10_000, 'frames');
    const frame = frames.at(-1)!;
    expect(frame.jpeg).toMatch(/^data:image\/jpeg;base64,\/9j\//);
    expect(frame.width).toBeGreaterThan(0);
    expect(frames.map((f) => f.seq)).toEqual([...frames.keys()].map((i) => i + 1));
    ui.handle({ type: 'CAPTURE_NOW' });
    const review = await until(
      () => (ui.latest?.screen === 'review' && ui.latest.review?.photo ? ui.latest : null),
      20_000,
      'review photo',
    );
    expect(review.review!.photo).toMatch(/^data:image\/jpeg;base64,/);
    const jpeg = Buffer.from(review.review!.photo!.split(',')[1]!, 'base64');
    const { default: sharp } = await import('sharp');
    const meta = await sharp(jpeg).metadata();
    expect(Math.max(meta.width!, meta.height!)).toBeLessThanOrEqual(720);
    // No frames outside pose and countdown.
    const count = frames.length;
    await new Promise((r) => setTimeout(r, 200));
    expect(frames.length).toBe(count);
    // seq rises by one per snapshot sent, and no two consecutive snapshots show the same thing.
    expect(snapshots.map((s) => s.seq)).toEqual(snapshots.map((_, i) => snapshots[0]!.seq + i));
    for (let i = 1; i < snapshots.length; i++)
      expect(JSON.stringify({ ...snapshots[i], seq: 0 })).not.toBe(
        JSON.stringify({ ...snapshots[i - 1], seq: 0 }),
      );
    expect(JSON.stringify(snapshots)).not.toContain(booth.view().session!.context.sessionId!);
    ui.handle({ type: 'CANCEL' });
    // The order is paid: the customer hears what happens to the money, and confirms.
    await screen('confirmCancel');
    ui.handle({ type: 'CANCEL' });
    // The order not delivered goes back to credit, and the default policy puts it on a voucher:
    // the screen says so before the booth moves on.
    const moneyBack = await screen('moneyBack');
    expect(moneyBack.money.handedBack?.amount).toBe(800);
    expect(moneyBack.money.handedBack?.voucher?.amount).toBe(800);
    expect(moneyBack.money.handedBack?.voucher?.code).toMatch(/\S/);
    ui.handle({ type: 'FINISH' });
    await screen('attract');
    expect(ui.latest!.review).toBeNull();
    expect(ui.latest!.money.handedBack).toBeNull();
  }, 60_000);

  it('ignores invalid events and counts them', async () => {
    const { ui, booth } = await attachedBooth();
    await until(() => booth.state === 'attract.idle');
    expect(ui.handle({ type: 'TOUCH', extra: 1 })).toBe(false);
    expect(ui.handle({ type: 'CREDIT', amount: 5000, balance: 5000 })).toBe(false);
    expect(ui.ignored).toBe(2);
    await new Promise((r) => setTimeout(r, 50));
    expect(booth.state).toBe('attract.idle');
  });

  it('staff events reach the simulators in demo mode', async () => {
    const { ui, devices, screen } = await attachedBooth();
    await screen('attract');
    expect(ui.handle({ type: 'STAFF_FAULT', device: 'photoPrinter', fault: 'out-of-paper' })).toBe(true);
    await screen('outOfService');
    expect(ui.latest!.outOfServiceReason).toMatch(/photo-printer/);
    expect(ui.handle({ type: 'STAFF_REFILL_PRINTER' })).toBe(true);
    await screen('attract');
    ui.handle({ type: 'STAFF_FAULT', device: 'camera', fault: 'disconnect' });
    await screen('outOfService');
    ui.handle({ type: 'STAFF_CLEAR_FAULTS' });
    await screen('attract');
    // A fault the device does not have is refused, not thrown.
    expect(ui.handle({ type: 'STAFF_FAULT', device: 'camera', fault: 'out-of-paper' })).toBe(false);
    expect(devices.camera.status().ready).toBe(true);
    // The next demo person steps in front of the camera.
    const camera = devices.camera as SimulatedCamera;
    const before = camera.portrait;
    expect(ui.handle({ type: 'STAFF_NEXT_PERSON' })).toBe(true);
    await until(() => camera.portrait === (before + 1) % 5);
  }, 30_000);

  it('the staff panel makes a simulated hopper run empty, and only where the demo has one', async () => {
    const plain = await attachedBooth();
    await plain.screen('attract');
    expect(plain.ui.latest!.demoHopper).toBe(false);
    expect(plain.ui.handle({ type: 'STAFF_FAULT', device: 'hopper', fault: 'empty' })).toBe(false);
    const { ui, devices, screen } = await attachedBooth({
      config: { hardware: { hopper: { adapter: 'simulated', coinValue: 50, coins: 20 } } },
    });
    await screen('attract');
    expect(ui.latest!.demoHopper).toBe(true);
    expect(ui.handle({ type: 'STAFF_FAULT', device: 'hopper', fault: 'empty' })).toBe(true);
    expect([...(devices.hopper as SimulatedHopper).activeFaults]).toEqual(['empty']);
    ui.handle({ type: 'STAFF_CLEAR_FAULTS' });
    expect([...(devices.hopper as SimulatedHopper).activeFaults]).toEqual([]);
  }, 30_000);

  it('a next-person render that fails is logged, not left as an unhandled rejection', async () => {
    const { ui, devices } = await attachedBooth();
    const camera = devices.camera as SimulatedCamera;
    camera.usePortrait = () => Promise.reject(new Error('portrait missing'));
    expect(ui.handle({ type: 'STAFF_NEXT_PERSON' })).toBe(true);
    await new Promise((r) => setTimeout(r, 10));
  });

  it('staff events are ignored on real hardware', async () => {
    let sim: SimulatedPaymentDevice | undefined;
    const { ui, screen } = await attachedBooth({
      devices: (d) => {
        sim = d.payment as SimulatedPaymentDevice;
        // A payment device that is not a simulator (a ccTalk line): not a demo booth.
        return { ...d, payment: notASimulator<PaymentDevice>(sim) };
      },
    });
    await screen('attract');
    expect(ui.demo).toBe(false);
    expect(ui.latest!.demo).toBe(false);
    const before = sim!.acceptedTotal;
    expect(ui.handle({ type: 'STAFF_INSERT', kind: 'coin', value: 200 })).toBe(false);
    expect(ui.handle({ type: 'STAFF_REFILL_PRINTER' })).toBe(false);
    expect(sim!.acceptedTotal).toBe(before);
    expect(ui.ignored).toBe(2);
    expect(ui.handle({ type: 'TOUCH' })).toBe(true);
  });

  it('re-attaches to a rebuilt booth: seq keeps rising, events go to the new one', async () => {
    const first = await attachedBooth();
    await first.screen('attract');
    first.ui.handle({ type: 'TOUCH' });
    await first.screen('language');
    const seq = first.ui.latest!.seq;
    const second = await startBooth();
    fixtures.push(second);
    first.ui.attach(second.booth, demoDevices(second.devices));
    await first.screen('attract');
    expect(first.ui.latest!.seq).toBeGreaterThan(seq);
    first.ui.handle({ type: 'TOUCH' });
    await first.screen('language');
    expect(second.booth.state).toBe('customer.language');
    // The old booth no longer drives the screen.
    first.booth.send({ type: 'CANCEL' });
    await new Promise((r) => setTimeout(r, 50));
    expect(first.ui.latest!.screen).toBe('language');
  });

  it('demoDevices needs camera, payment and photo printer simulated', async () => {
    const f = await startBooth();
    fixtures.push(f);
    expect(demoDevices(f.devices)).not.toBeNull();
    expect(demoDevices({ ...f.devices, photoPrinter: notASimulator(f.devices.photoPrinter) })).toBeNull();
  });
});
