import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { measureBackdrop } from '../../app/services/vision/environment/backdrop-measure.ts';
import {
  judgeBackdrop,
  type BackdropLimits,
} from '../../app/services/vision/environment/backdrop-verdict.ts';
import { EnvironmentMonitor } from '../../app/services/vision/environment/environment-monitor.ts';
import { decodeStill } from '../../app/services/vision/checks/still-pixels.ts';
import { WorkerFaceEngine } from '../../app/services/vision/engine/worker-face-engine.ts';
import type { FaceAnalysis, FaceEngine } from '../../app/services/vision/engine/face-engine.ts';
import { deviceHealth } from '../../app/booth/device-health.ts';
import { silentLogger } from '../../app/logging/logger.ts';
import { boothConfigSchema } from '../../config/schema.ts';
import type { Camera, LiveFrame } from '../../hardware/camera/camera-port.ts';
import { SimClock } from '../../core/sim-clock.ts';
import { createSimulatedDevices } from '../../app/booth/create-devices.ts';

const limits: BackdropLimits = boothConfigSchema.parse({}).environment.backdrop;
const W = 640;
const H = 424;

/** An empty booth: the backdrop colour, with whatever a test paints on it. */
async function backdrop(paint: { svg?: string; colour?: string } = {}): Promise<Buffer> {
  const base = sharp({ create: { width: W, height: H, channels: 3, background: paint.colour ?? '#f2f2f2' } });
  const img = paint.svg
    ? base.composite([{ input: Buffer.from(`<svg width="${W}" height="${H}">${paint.svg}</svg>`) }])
    : base;
  return img.jpeg({ quality: 90 }).toBuffer();
}

async function judge(jpeg: Buffer) {
  const m = measureBackdrop(await decodeStill({ data: jpeg }));
  return { m, verdict: judgeBackdrop(m, limits) };
}

describe('backdrop measure and verdict', () => {
  it('a clean, evenly lit backdrop passes with nothing to report', async () => {
    const { m, verdict } = await judge(await backdrop());
    expect(m.brightness).toBeGreaterThan(230);
    expect(m.unevenness).toBeLessThan(0.05);
    expect(m.leftRightRatio).toBeCloseTo(1, 1);
    expect(verdict).toEqual({ ready: true, reasons: [] });
  });

  it('one side lamp failed: the booth goes out of service (no photo could pass)', async () => {
    const svg = `<defs><linearGradient id="g"><stop offset="0" stop-color="#000" stop-opacity="0.75"/><stop offset="1" stop-color="#000" stop-opacity="0"/></linearGradient></defs><rect width="${W}" height="${H}" fill="url(#g)"/>`;
    const { m, verdict } = await judge(await backdrop({ svg }));
    expect(m.leftRightRatio).toBeGreaterThan(limits.maxLeftRightRatio);
    expect(verdict.ready).toBe(false);
    expect(verdict.reasons).toContain('lamp-failed');
  });

  it('both lamps out: too dark, out of service', async () => {
    const { verdict } = await judge(await backdrop({ colour: '#3a3a3a' }));
    expect(verdict.ready).toBe(false);
    expect(verdict.reasons[0]).toBe('backdrop-dark');
  });

  it('a dirty patch or a shadow is a warning for staff; a large one stops sales', async () => {
    const small = await judge(await backdrop({ svg: '<circle cx="90" cy="80" r="45" fill="#a8a8a8"/>' }));
    expect(small.verdict).toEqual({ ready: true, reasons: ['backdrop-uneven'] });
    const large = await judge(
      await backdrop({ svg: '<rect x="0" y="0" width="160" height="212" fill="#505050"/>' }),
    );
    expect(large.verdict.ready).toBe(false);
    expect(large.verdict.reasons).toContain('backdrop-uneven');
  });

  it('a backdrop of the wrong colour is reported', async () => {
    const { verdict } = await judge(await backdrop({ colour: '#9bb7e0' }));
    expect(verdict.reasons).toEqual(['backdrop-colour']);
    expect(verdict.ready).toBe(true);
  });
});

/** A camera that shows one picture, or fails. */
function cameraShowing(picture: () => Buffer | Error): Camera {
  return {
    kind: 'test',
    open: async () => {},
    close: async () => {},
    status: () => ({ online: true, ready: true, reasons: [] }),
    onStatus: () => () => {},
    captureStill: async () => {
      throw new Error('not used');
    },
    startLiveView: async () => {
      const shown = picture();
      if (shown instanceof Error) throw shown;
      const frame: LiveFrame = { seq: 1, at: 0, width: W, height: H, mime: 'image/jpeg', data: shown };
      return { next: async () => frame, dropped: 0, stop: async () => {} };
    },
  };
}

describe('EnvironmentMonitor on the real face engine', () => {
  let engine: WorkerFaceEngine;
  beforeAll(async () => {
    engine = await WorkerFaceEngine.start();
  }, 120_000);
  afterAll(() => engine.close());

  function monitor(
    camera: Camera,
    options: { engine?: FaceEngine; idle?: () => boolean; clock?: SimClock } = {},
  ) {
    return new EnvironmentMonitor({
      camera,
      engine: options.engine ?? engine,
      clock: options.clock ?? new SimClock(),
      logger: silentLogger(),
      limits,
      isIdle: options.idle ?? (() => true),
      everyMs: 600_000,
    });
  }

  it('measures the empty booth and reports a failed lamp as device health', async () => {
    const svg = `<rect width="${W / 2}" height="${H}" fill="#000" fill-opacity="0.7"/>`;
    let picture = await backdrop();
    const m = monitor(cameraShowing(() => picture));
    const clean = await m.checkNow();
    expect(clean).toMatchObject({ checked: true, status: { ready: true, reasons: [] } });

    picture = await backdrop({ svg });
    const broken = await m.checkNow();
    expect(broken.checked && broken.status.reasons).toContain('lamp-failed');
    const devices = createSimulatedDevices(boothConfigSchema.parse({}), new SimClock(), 1);
    await Promise.all([devices.camera.open(), devices.payment.open(), devices.photoPrinter.open()]);
    expect(deviceHealth(devices, 1, { environment: m })).toEqual({
      ok: false,
      reason: 'environment:lamp-failed',
    });
    expect(deviceHealth(devices, 1)).toEqual({ ok: true, reason: null });
  }, 60_000);

  it('does not judge the backdrop while someone is in view, and keeps the last verdict', async () => {
    let picture = await backdrop({ colour: '#3a3a3a' });
    const m = monitor(cameraShowing(() => picture));
    await m.checkNow();
    const dark = m.status().reasons;
    expect(dark[0]).toBe('backdrop-dark');
    const portrait = readFileSync(new URL('../../demo-assets/portraits/portrait-1.jpg', import.meta.url));
    picture = await sharp(portrait).resize({ height: H }).jpeg().toBuffer();
    expect(await m.checkNow()).toEqual({ checked: false, why: 'someone-in-view' });
    expect(m.status().reasons).toEqual(dark);
  }, 60_000);

  it('a camera that cannot stream leaves the status alone', async () => {
    const m = monitor(cameraShowing(() => new Error('disconnected')));
    expect(await m.checkNow()).toEqual({ checked: false, why: 'camera-unavailable' });
    expect(m.status().ready).toBe(true);
  });

  it('looks only while the booth is idle, every period', async () => {
    const clock = new SimClock();
    let idle = false;
    let looks = 0;
    const noFaces: FaceEngine = {
      analyze: async (): Promise<FaceAnalysis> => {
        looks++;
        return {
          width: W,
          height: H,
          mode: 'still',
          faces: [],
          backend: 'test',
          ms: 0,
          timings: { decode: 0, inference: 0 },
          analysisScale: 1,
        };
      },
      segment: () => Promise.reject(new Error('not used here')),
      close: async () => {},
    };
    const picture = await backdrop();
    const m = monitor(
      cameraShowing(() => picture),
      { engine: noFaces, idle: () => idle, clock },
    );
    m.start();
    await clock.advance(600_000);
    expect(looks).toBe(0);
    idle = true;
    await clock.advance(600_000);
    await vi.waitFor(() => expect(looks).toBe(1));
    m.stop();
    await clock.advance(1_200_000);
    expect(looks).toBe(1);
  });
});
