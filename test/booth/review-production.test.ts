// Review and production in the booth's services: a still whose document photo cannot meet a rule
// fails review with that rule; the photos made at review are the ones printed (never made twice
// for the same still); a different still is made again and refused when it does not comply.
// Real services over simulated devices, a real credit journal and the in-memory photo store;
// the photo producer is the port under the services, here a small test producer.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MoneyBack } from '../../app/booth/money-back.ts';
import { createBoothServices } from '../../app/booth/booth-services.ts';
import { createSimulatedDevices, type SimulatedDevices } from '../../app/booth/create-devices.ts';
import { createLogger } from '../../app/logging/logger.ts';
import { CreditJournal } from '../../app/money/credit-journal.ts';
import { MemoryPhotoStore } from '../../app/services/photo-store/memory-photo-store.ts';
import type { ProducedIdPhoto, ProductionReport } from '../../app/services/production/id-photo-producer.ts';
import type { PhotoProducer } from '../../app/services/production/photo-producer.ts';
import type { ProductionRule } from '../../app/services/production/production-rule.ts';
import { BasicStillChecker } from '../../app/services/vision/basic-still-checker.ts';
import { boothConfigSchema, type BoothConfig, type BoothConfigInput } from '../../config/schema.ts';
import { SimClock } from '../../core/sim-clock.ts';

const testMail = {
  host: 'smtp.example.org',
  user: 'booth',
  password: 'not-used-here',
  from: 'booth@example.org',
  operatorAddress: 'operator@example.org',
};
const PRODUCT = { id: 'photos-8-digital', prints: 2, photosPerSheet: 4, digital: true, price: 1200 };

const cropRule: ProductionRule = {
  id: 'crop.inside',
  pass: false,
  measured: 6.2,
  unit: 'mm',
  max: 0.05,
  message: 'The head is too close to the top edge of the still: the photo would need 6.2 mm more there',
};
const passing = (id: ProductionRule['id'], measured: number): ProductionRule => ({
  id,
  pass: true,
  measured,
  unit: 'mm',
  message: `${id} is ${measured} mm`,
});

function report(compliant: boolean): ProductionReport {
  const rules = compliant
    ? [passing('head.height', 34), passing('crop.inside', 0)]
    : [passing('head.height', 34), cropRule];
  return {
    spec: 'eu-passport',
    document: 'EU passport (ICAO profile)',
    compliant,
    failed: compliant ? null : cropRule,
    photo: null,
    headHeightMm: 34,
    eyeLineFromBottomMm: 25,
    topMarginMm: 4,
    offCentreMm: 0,
    rotationDeg: 0,
    scale: 0.5,
    crown: null,
    eyeLine: null,
    background: null,
    digital: null,
    sheets: [],
    rules,
    ms: {},
  };
}

/** A JPEG of one colour. */
const jpeg = (width: number, height: number, level: number) =>
  sharp({ create: { width, height, channels: 3, background: { r: level, g: level, b: level } } })
    .jpeg()
    .toBuffer();

/**
 * The test producer: complies when `complies(still)` says so, then returns two sheets and a
 * digital file. Records every call.
 */
class TestProducer implements PhotoProducer {
  readonly calls: { still: Buffer; documentId: string; copies: number }[] = [];
  sheets: Buffer[] = [];
  digital = Buffer.alloc(0);

  constructor(private readonly complies: (still: Buffer) => boolean) {}

  async prepare(): Promise<this> {
    this.sheets = [await jpeg(120, 180, 200), await jpeg(120, 180, 100)];
    this.digital = await jpeg(47, 60, 150);
    return this;
  }

  async produce(still: Buffer, documentId: string, request: { copies: number }): Promise<ProducedIdPhoto> {
    this.calls.push({ still, documentId, copies: request.copies });
    const compliant = this.complies(still);
    return {
      report: report(compliant),
      files: compliant ? { photo: this.digital, sheets: this.sheets, digital: this.digital } : null,
    };
  }
}

let dir: string;
let clock: SimClock;
let config: BoothConfig;
let devices: SimulatedDevices;
let journal: CreditJournal;
let photos: MemoryPhotoStore;
/** Two stills that pass the basic still check (decodable, large enough, well exposed). */
let stillA: Buffer;
let stillB: Buffer;

function services(producer: PhotoProducer) {
  const logger = createLogger({ level: 'silent' });
  return createBoothServices({
    config,
    devices,
    journal,
    moneyBack: new MoneyBack({
      journal,
      hopper: null,
      receiptPrinter: devices.receiptPrinter,
      clock,
      logger,
      settings: {
        policy: config.money.unusedCredit,
        voucherDays: 90,
        currency: config.currency,
        boothName: 'Test',
      },
    }),
    photos,
    newCoach: () => {
      throw new Error('no live view in these tests');
    },
    stillChecker: new BasicStillChecker(),
    producer,
    clock,
    logger,
  });
}

function setUp(input: BoothConfigInput = {}) {
  // A digital file is sold only where the booth can email it.
  config = boothConfigSchema.parse({ products: [PRODUCT], mail: testMail, ...input });
  devices = createSimulatedDevices(config, clock, 1);
}

/** Opens a session, pays for the product and puts a still in the session's store. */
async function sessionWithStill(booth: ReturnType<typeof services>, still: Buffer) {
  const { sessionId } = await booth.openSession({ language: 'en' });
  journal.recordInserted({
    sessionId,
    ref: `coin-${sessionId}`,
    deviceId: 'coin',
    amount: PRODUCT.price,
    currency: 'EUR',
    channel: 'coin',
  });
  const { orderId } = await booth.placeOrder({ sessionId, productId: PRODUCT.id, price: PRODUCT.price });
  const stillId = await photos.put(sessionId, 'still', still);
  return { sessionId, orderId, stillId };
}

/** Awaits work that waits on simulated time (printing), moving the clock until it is done. */
async function onSimTime<T>(work: Promise<T>): Promise<T> {
  let done = false;
  const settled = work.finally(() => {
    done = true;
  });
  settled.catch(() => {});
  await clock.runUntil(() => done);
  return settled;
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kiosk-review-production-'));
  clock = new SimClock();
  photos = new MemoryPhotoStore();
  stillA = await jpeg(600, 800, 128);
  stillB = await jpeg(600, 800, 140);
  journal = CreditJournal.open(join(dir, 'credit-journal.sqlite'), clock);
  setUp();
});

afterEach(() => {
  journal.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('checkStill with production', () => {
  it('fails review with the production rule when the photo cannot comply', async () => {
    const producer = await new TestProducer(() => false).prepare();
    const booth = services(producer);
    const { sessionId, stillId } = await sessionWithStill(booth, stillA);
    const review = await booth.checkStill({ sessionId, stillId, documentId: 'eu-passport' });
    expect(review.verdict).toBe('fail');
    expect(review.failed).toEqual(['crop.inside']);
    expect(review.checks).toContainEqual({ id: 'crop.inside', pass: false, message: cropRule.message });
    // The passing rule is not listed as a failure.
    expect(review.checks!.some((c) => c.id === 'head.height')).toBe(false);
    // The producer got the still itself, for the chosen document and the product's copies.
    expect(producer.calls).toHaveLength(1);
    expect(producer.calls[0]!.still.equals(stillA)).toBe(true);
    expect(producer.calls[0]).toMatchObject({ documentId: 'eu-passport', copies: PRODUCT.photosPerSheet });
    // Nothing was kept: only the still is in the session's store.
    expect(await photos.list(sessionId, 'print-sheet')).toEqual([]);
    expect(await photos.list(sessionId, 'digital-file')).toEqual([]);
  });

  it('does not make photos from a still that fails its own checks', async () => {
    const producer = await new TestProducer(() => true).prepare();
    const booth = services(producer);
    const { sessionId, stillId } = await sessionWithStill(booth, await jpeg(600, 800, 10));
    const review = await booth.checkStill({ sessionId, stillId, documentId: 'eu-passport' });
    expect(review).toMatchObject({ verdict: 'fail', failed: ['exposure'] });
    expect(producer.calls).toHaveLength(0);
  });
});

describe('producePhotos and printSheets', () => {
  it('prints the sheets made at review without making them again', async () => {
    const producer = await new TestProducer(() => true).prepare();
    const booth = services(producer);
    const { sessionId, orderId, stillId } = await sessionWithStill(booth, stillA);
    const review = await booth.checkStill({ sessionId, stillId, documentId: 'eu-passport' });
    expect(review.verdict).toBe('pass');
    expect(producer.calls).toHaveLength(1);
    const stored = await photos.list(sessionId, 'print-sheet');
    expect(stored).toHaveLength(2);
    // The product includes the digital file: it is kept in the session's store too.
    const digital = await photos.list(sessionId, 'digital-file');
    expect(digital).toHaveLength(1);
    expect((await photos.get(digital[0]!)).equals(producer.digital)).toBe(true);

    const { sheetIds } = await booth.producePhotos({
      sessionId,
      stillId,
      documentId: 'eu-passport',
      productId: PRODUCT.id,
    });
    expect(sheetIds).toEqual(stored);
    expect(producer.calls).toHaveLength(1);
    expect((await photos.get(sheetIds[0]!)).equals(producer.sheets[0]!)).toBe(true);
    expect((await photos.get(sheetIds[1]!)).equals(producer.sheets[1]!)).toBe(true);

    await devices.photoPrinter.open();
    const { printed } = await onSimTime(booth.printSheets({ sessionId, orderId, sheetIds }));
    expect(printed).toBe(2 * PRODUCT.prints);
    expect(devices.photoPrinter.printed.map((p) => [p.copies, p.bytes])).toEqual([
      [PRODUCT.prints, producer.sheets[0]!.length],
      [PRODUCT.prints, producer.sheets[1]!.length],
    ]);
    expect(devices.photoPrinter.printed[0]!.jobName).toBe(`booth-${sessionId.slice(0, 8)}`);
  });

  it('makes the photos for a still review did not make them from', async () => {
    const producer = await new TestProducer(() => true).prepare();
    const booth = services(producer);
    const { sessionId, stillId } = await sessionWithStill(booth, stillA);
    const { sheetIds } = await booth.producePhotos({
      sessionId,
      stillId,
      documentId: 'us-passport',
      productId: PRODUCT.id,
    });
    expect(producer.calls).toHaveLength(1);
    expect(producer.calls[0]!.documentId).toBe('us-passport');
    expect(sheetIds).toEqual(await photos.list(sessionId, 'print-sheet'));
  });

  it('refuses with not-compliant when a different still cannot comply', async () => {
    // Complies for still A only.
    const producer = await new TestProducer((still) => still.equals(stillA)).prepare();
    const booth = services(producer);
    const { sessionId, stillId } = await sessionWithStill(booth, stillA);
    expect((await booth.checkStill({ sessionId, stillId, documentId: 'eu-passport' })).verdict).toBe('pass');
    const otherId = await photos.put(sessionId, 'still', stillB);
    const refused = booth.producePhotos({
      sessionId,
      stillId: otherId,
      documentId: 'eu-passport',
      productId: PRODUCT.id,
    });
    await expect(refused).rejects.toMatchObject({ code: 'not-compliant' });
    await expect(refused).rejects.toThrow(cropRule.message);
    expect(producer.calls).toHaveLength(2);
    expect(producer.calls[1]!.still.equals(stillB)).toBe(true);
    // Still A's photos are still the ones for still A.
    const again = await booth.producePhotos({
      sessionId,
      stillId,
      documentId: 'eu-passport',
      productId: PRODUCT.id,
    });
    expect(again.sheetIds).toHaveLength(2);
    expect(producer.calls).toHaveLength(2);
  });

  it('forgets the made photos when the session ends', async () => {
    const producer = await new TestProducer(() => true).prepare();
    const booth = services(producer);
    const { sessionId, orderId, stillId } = await sessionWithStill(booth, stillA);
    await booth.checkStill({ sessionId, stillId, documentId: 'eu-passport' });
    await booth.endSession({ sessionId, orderId, outcome: 'cancelled', fault: null });
    expect(await photos.count()).toBe(0);
  });

  // Jobs go out on the media the sheets were laid out for (`production.media`).
  it('prints on the media the unit is configured for', async () => {
    setUp({ production: { media: '5x7' } });
    const producer = await new TestProducer(() => true).prepare();
    const booth = services(producer);
    const { sessionId, orderId, stillId } = await sessionWithStill(booth, stillA);
    const { sheetIds } = await booth.producePhotos({
      sessionId,
      stillId,
      documentId: 'eu-passport',
      productId: PRODUCT.id,
    });
    await devices.photoPrinter.open();
    await onSimTime(booth.printSheets({ sessionId, orderId, sheetIds }));
    expect(devices.photoPrinter.printed.map((p) => p.media)).toEqual(['5x7', '5x7']);
  });
});
