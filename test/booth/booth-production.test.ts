// The booth's own production step, end to end: scripted customers use a simulated booth whose
// camera streams a real portrait, review and production run the real ID-photo producer on the
// face engine, and what reaches the printer is the sheet it made (print size, dpi, footer),
// every rule of the document measured on the produced photo.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boothConfigSchema } from '../../config/schema.ts';
import { SimClock } from '../../core/sim-clock.ts';
import { SimulatedCamera } from '../../hardware/camera/simulated-camera.ts';
import { createSimulatedDevices } from '../../app/booth/create-devices.ts';
import { closeDevices, openDevices } from '../../app/booth/booth-devices.ts';
import { Booth } from '../../app/booth/booth.ts';
import { CreditJournal } from '../../app/money/credit-journal.ts';
import { silentLogger } from '../../app/logging/logger.ts';
import { MemoryPhotoStore } from '../../app/services/photo-store/memory-photo-store.ts';
import type { PhotoPurpose } from '../../app/services/photo-store/photo-store.ts';
import { ScriptedCustomers } from '../../app/simulate/scripted-customers.ts';
import { SeededRandom } from '../../hardware/sim/seeded-random.ts';
import { WorkerFaceEngine } from '../../app/services/vision/engine/worker-face-engine.ts';
import { BoothPhotoProducer, type PhotoProducer } from '../../app/services/production/photo-producer.ts';
import type { ProductionReport } from '../../app/services/production/id-photo-producer.ts';
import type { SessionSummary } from '../../app/booth/booth-services.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const portraits = path.resolve(repoRoot, '../shared/fixtures/portraits');

describe('the booth makes its photos with the ID-photo producer', () => {
  let engine: WorkerFaceEngine;
  let work: string;

  beforeAll(async () => {
    engine = await WorkerFaceEngine.start();
    work = mkdtempSync(path.join(tmpdir(), 'booth-production-'));
  });
  afterAll(async () => {
    await engine.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('prints the sheets the producer made, each photo compliant with its document', async () => {
    // The basic checker passes a steady, well-exposed still: the producer is the one judge here.
    const config = boothConfigSchema.parse({
      documents: ['schengen-visa', 'eu-passport'],
      vision: { engine: 'basic' },
    });
    const clock = new SimClock();
    const journal = CreditJournal.open(path.join(work, 'journal.sqlite'), clock);
    const devices = createSimulatedDevices(config, clock, 7);
    devices.camera = new SimulatedCamera({ clock, seed: 7, portraits: [path.join(portraits, 'test3.jpg')] });
    const stored: Array<{ purpose: PhotoPurpose; data: Buffer }> = [];
    const photos = new MemoryPhotoStore();
    const put = photos.put.bind(photos);
    photos.put = async (sessionId, purpose, data) => {
      stored.push({ purpose, data });
      return put(sessionId, purpose, data);
    };
    const real = new BoothPhotoProducer(engine, config);
    const reports: ProductionReport[] = [];
    const producer: PhotoProducer = {
      produce: async (still, documentId, request) => {
        const made = await real.produce(still, documentId, request);
        reports.push(made.report);
        return made;
      },
    };
    const summaries: SessionSummary[] = [];
    const kiosk = new Booth({
      config,
      devices,
      journal,
      clock,
      photos,
      producer,
      logger: silentLogger(),
      onSessionEnd: (s) => summaries.push(s),
    });
    const customers = new ScriptedCustomers({
      booth: kiosk,
      devices,
      clock,
      random: new SeededRandom(7).fork('customers'),
      config,
      customers: 4,
      faults: [],
    });
    try {
      customers.start();
      await openDevices(devices);
      await kiosk.start();
      const done = await clock.runUntil(
        () => summaries.length >= 4 && kiosk.state === 'attract.idle',
        clock.now() + 5 * 60 * 60_000,
      );
      expect(done).toBe(true);
    } finally {
      await kiosk.stop();
      await closeDevices(devices);
      journal.close();
    }

    const completed = summaries.filter((s) => s.outcome === 'completed');
    expect(completed.length).toBeGreaterThan(0);
    // Every session that printed had a compliant photo made by the real producer.
    expect(reports.length).toBeGreaterThanOrEqual(completed.length);
    const made = reports.filter((r) => r.compliant);
    expect(made.length).toBeGreaterThanOrEqual(completed.length);
    for (const report of made) {
      expect(report.simulated).toBeUndefined();
      expect(['schengen-visa', 'eu-passport']).toContain(report.spec);
      expect(report.rules.length).toBeGreaterThan(8);
      expect(report.rules.every((r) => r.pass)).toBe(true);
      expect(report.headHeightMm).toBeGreaterThanOrEqual(32);
      expect(report.headHeightMm).toBeLessThanOrEqual(36);
    }
    // The printer got the producer's sheets: 4x6 in at 300 dpi.
    expect(devices.photoPrinter.printed.length).toBeGreaterThan(0);
    const sheets = stored.filter((s) => s.purpose === 'print-sheet');
    expect(sheets.length).toBeGreaterThanOrEqual(completed.length);
    for (const sheet of sheets) {
      const meta = await sharp(sheet.data).metadata();
      expect([meta.width, meta.height].sort()).toEqual([1200, 1800]);
      expect(meta.density).toBe(300);
    }
    expect(devices.photoPrinter.printed.map((p) => p.bytes)).toEqual(
      expect.arrayContaining([sheets[0]!.data.length]),
    );
  }, 300_000);
});
