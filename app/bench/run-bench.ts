import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { boothConfigSchema } from '../../config/schema.ts';
import { CreditJournal } from '../money/credit-journal.ts';
import { demoPortraits } from '../booth/create-devices.ts';
import { SteadyPoseCoach } from '../services/vision/steady-pose-coach.ts';
import { IdPhotoProducer } from '../services/production/id-photo-producer.ts';
import { DocumentCatalogue } from '../../config/documents/document-catalogue.ts';
import { runSimulation } from '../simulate/run-simulation.ts';
import { makeLargeStill, makeLiveFrames } from '../services/vision/engine/bench-engine.ts';
import { WorkerFaceEngine } from '../services/vision/engine/worker-face-engine.ts';
import { checkStill } from '../services/vision/checks/check-still.ts';
import { atLeast, atMost, type BenchFigure, type BenchLine } from './bench-figure.ts';
import { benchCamera } from './camera-bench.ts';
import { benchLiveVision } from './vision-bench.ts';
import { benchMouthChecks, fixturesFromDemo } from './mouth-figure.ts';
import { peakRssMiB, round, timeRuns } from './measure.ts';
import { fullGc } from './full-gc.ts';
import { benchDiagnostics } from './diagnostics-figure.ts';
import { benchFleet } from '../fleet/fleet-bench.ts';

export type { BenchFigure, BenchLine } from './bench-figure.ts';

/** The parts of the bench `--only` runs by themselves. */
export const BENCH_PARTS = ['vision'] as const;

export interface BenchOptions {
  sessions?: number;
  /** Live frames measured for the face engine and for the coach. */
  visionFrames?: number;
  soak?: number;
  /** `vision`: live face analysis, live coaching with every check and the still check only. */
  only?: (typeof BENCH_PARTS)[number];
}

/**
 * What the booth must do fast enough on the target machine (2 cores): coach a live-view frame,
 * make a print sheet, write a credit durably, and run whole sessions, within a memory budget;
 * and the DSLR adapter on libgphoto2's virtual camera (skipped, saying why, where it is not
 * built). Bench data stays in a temp folder and is removed afterwards.
 */
export async function runBench(options: BenchOptions = {}): Promise<BenchLine[]> {
  const work = mkdtempSync(join(tmpdir(), 'kiosk-bench-'));
  const figures: BenchLine[] = [];
  try {
    const portrait = readFileSync(demoPortraits()[0]!);
    if (options.only === 'vision') {
      figures.push(...(await benchVision(portrait, options.visionFrames)));
      const rss = peakRssMiB();
      figures.push({ name: 'peak memory', value: rss, unit: 'MiB', ...atMost(rss, 1024) });
      return figures;
    }
    const frames = await Promise.all(
      [0, 1, 2, 3].map((i) =>
        sharp(portrait)
          .resize(480)
          .modulate({ brightness: 1 + i * 0.01 })
          .jpeg({ quality: 80 })
          .toBuffer(),
      ),
    );

    const coach = new SteadyPoseCoach();
    const frame = await timeRuns(200, (i) =>
      coach.analyze({
        seq: i,
        at: i * 100,
        width: 480,
        height: 640,
        mime: 'image/jpeg',
        // A fresh buffer each time, as a camera gives: frame stats are remembered per buffer.
        data: Buffer.from(frames[i % frames.length]!),
      }),
    );
    figures.push({
      name: 'live frame coached (p95)',
      value: frame.p95Ms,
      unit: 'ms',
      ...atMost(frame.p95Ms, 50),
      detail: frame,
    });

    const journal = CreditJournal.open(join(work, 'credit-journal.sqlite'));
    const credit = await timeRuns(200, (i) =>
      journal.recordInserted({
        sessionId: 's',
        ref: `bench:${i}`,
        deviceId: 'bench',
        amount: 100,
        currency: 'EUR',
        channel: 'coin',
      }),
    );
    journal.close();
    figures.push({
      name: 'credit written and synced (p95)',
      value: credit.p95Ms,
      unit: 'ms',
      ...atMost(credit.p95Ms, 50),
      detail: credit,
    });

    // A thousand sessions: long enough that the start (the booth opening, the first photos made)
    // is a small part of the figure, as it is of a soak or a campaign; the start is reported too.
    const sessions = options.sessions ?? 1_000;
    const started = performance.now();
    let firstEnded: number | undefined;
    const report = await runSimulation({
      config: boothConfigSchema.parse({}),
      dataDir: work,
      sessions,
      seed: 7,
      onSessionEnd: (ended) => {
        if (ended === 1) firstEnded = performance.now();
      },
    });
    const finished = performance.now();
    const seconds = (finished - started) / 1000;
    const rate = round(report.sessions / seconds);
    figures.push({
      name: 'simulated sessions per second',
      value: rate,
      unit: 'sessions/s',
      // The soak and the fault campaign need thousands of sessions in minutes (issue 14 asks 100).
      ...atLeast(rate, 100),
      detail: {
        sessions: report.sessions,
        seconds: round(seconds),
        firstSessionSeconds: firstEnded === undefined ? null : round((firstEnded - started) / 1000),
        afterTheFirstPerSecond:
          firstEnded === undefined ? null : round((report.sessions - 1) / ((finished - firstEnded) / 1000)),
        simulatedMinutes: report.simulatedMinutes,
      },
    });

    // What the technician's metrics and log ring cost each live frame (issue 17).
    figures.push(await benchDiagnostics());
    figures.push(await benchFleet());
    if (options.soak) figures.push(await soak(work, options.soak));

    figures.push(...(await benchVision(portrait, options.visionFrames, work)));
    const rss = peakRssMiB();
    figures.push({ name: 'peak memory', value: rss, unit: 'MiB', ...atMost(rss, 1024) });
    return figures;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * Live view (the face engine alone, the coach with every check: wasm), the still check on a
 * 6000x4000 JPEG, and, with a work folder, ID-photo production and the DSLR adapter on the
 * virtual camera, which use the same engine.
 */
async function benchVision(
  portrait: Buffer,
  frames: number | undefined,
  work?: string,
): Promise<BenchLine[]> {
  const live = await benchLiveVision(portrait, { frames });
  const figures: BenchLine[] = [...live.figures];
  const bigStill = await makeLargeStill(portrait);
  const engine = await WorkerFaceEngine.start();
  try {
    // The review screen's verdict: face analysis plus every check, on a full-size DSLR still.
    const check = await timeRuns(3, async () =>
      checkStill(
        { data: bigStill },
        await engine.analyze({ data: bigStill }, { mode: 'still' }),
        'eu-passport',
      ),
    );
    const seconds = round(check.p50Ms / 1000, 3);
    figures.push({
      name: 'still check, 6000x4000 JPEG (median)',
      value: seconds,
      unit: 's',
      ...atMost(seconds, 1.5),
      detail: { backend: engine.info?.backend, analysisOnlyMs: live.stillAnalysisMs, maxMs: check.maxMs },
    });
    // The mouth and expression checks on the demo portraits and their variants (issue 19).
    // The test portraits beside the checkout (../shared) as they were taken: the demo's first
    // portrait is test0 with its lips painted closed, so it holds no teeth smile any more.
    const shared = new URL('../../../shared/fixtures/portraits/', import.meta.url);
    const fixtures = [0, 1, 2, 3, 4].map((i) => new URL(`test${i}.jpg`, shared));
    const demo = fixturesFromDemo(
      fixtures.every((file) => existsSync(file))
        ? fixtures.map((file) => readFileSync(file))
        : demoPortraits().map((file) => readFileSync(file)),
    );
    figures.push(await benchMouthChecks(engine, demo));
    if (work === undefined) return figures;
    // The photos the customer takes away: crop, backdrop replaced, sheet and digital file.
    figures.push(...(await benchProduction(engine, bigStill)));
    // The DSLR adapter on the virtual D750: live view of these frames, this still captured.
    const liveFrames = await makeLiveFrames(portrait, 30);
    figures.push(...(await benchCamera({ work: join(work, 'camera'), still: bigStill, liveFrames, engine })));
    return figures;
  } finally {
    await engine.close();
  }
}

/** ID-photo production from a 6000x4000 still to the print sheet and the digital file. */
async function benchProduction(engine: WorkerFaceEngine, still: Buffer): Promise<BenchFigure[]> {
  const producer = new IdPhotoProducer(engine);
  // Schengen: backdrop replaced; the Chinese visa adds a digital file of its own shape.
  const specs = ['schengen-visa', 'cn-visa'].map((id) => DocumentCatalogue.builtIn().get(id));
  await producer.produce(still, specs[0]!, { copies: 6 }); // first run loads the segmentation model
  const runs: number[] = [];
  let report: Awaited<ReturnType<IdPhotoProducer['produce']>>['report'] | undefined;
  for (let i = 0; i < 4; i++) {
    const t0 = performance.now();
    report = (await producer.produce(still, specs[i % 2]!, { copies: 6 })).report;
    runs.push(performance.now() - t0);
  }
  runs.sort((a, b) => a - b);
  const seconds = round((runs[1]! + runs[2]!) / 2 / 1000, 3);
  const rss = peakRssMiB();
  return [
    {
      name: 'ID photo produced from a 6000x4000 JPEG, backdrop replaced, sheet and digital file (median)',
      value: seconds,
      unit: 's',
      ...atMost(seconds, 1.5),
      detail: { maxMs: Math.round(runs[3]!), compliant: report?.compliant, stepsMs: report?.ms },
    },
    { name: 'peak memory by the end of ID photo production', value: rss, unit: 'MiB', ...atMost(rss, 1536) },
  ];
}

/**
 * A long run with faults on: heap and RSS are sampled every 1,000 sessions, and the growth from
 * the first sample (after warm-up) to the last must stay under 5 %, or something keeps what it
 * should let go (listeners, sessions, frames).
 */
async function soak(work: string, sessions: number): Promise<BenchFigure> {
  const every = 1_000;
  const samples: { sessions: number; heapMiB: number; rssMiB: number }[] = [];
  const mib = (bytes: number) => round(bytes / 1024 / 1024);
  const started = performance.now();
  const report = await runSimulation({
    config: boothConfigSchema.parse({}),
    dataDir: join(work, 'soak'),
    sessions,
    seed: 11,
    faults: ['printer-jam', 'printer-out-of-paper', 'camera-disconnect', 'camera-timeout', 'payment-timeout'],
    onSessionEnd: (ended) => {
      if (ended % every !== 0) return;
      fullGc();
      const memory = process.memoryUsage();
      samples.push({ sessions: ended, heapMiB: mib(memory.heapUsed), rssMiB: mib(memory.rss) });
    },
  });
  const first = samples[0];
  const last = samples.at(-1);
  const growth = (a: number, b: number) => round(((b - a) / a) * 100);
  const heapGrowth = first && last ? growth(first.heapMiB, last.heapMiB) : 0;
  const rssGrowth = first && last ? growth(first.rssMiB, last.rssMiB) : 0;
  const worst = Math.max(heapGrowth, rssGrowth);
  return {
    name: `soak of ${sessions} sessions with faults: memory growth`,
    value: worst,
    unit: '%',
    ...atMost(worst, 5),
    detail: {
      sessions: report.sessions,
      seconds: round((performance.now() - started) / 1000),
      heapGrowthPercent: heapGrowth,
      rssGrowthPercent: rssGrowth,
      samples,
    },
  };
}
