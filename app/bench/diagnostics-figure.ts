/**
 * What the technician's diagnostics cost the booth's session loop (issue 17: at most 1 % of a
 * frame budget). Per live frame the booth's metrics observe the coaching latency and count the
 * frame (BoothMetrics.liveFrame), and every log line is also kept in the ring; a Prometheus
 * scrape every 15 s (the metrics text, and the scrape-time gauges) is spread over the frames
 * between two scrapes. The figure is that per-frame cost as a share of a frame at 30 fps.
 */
import { BoothMetrics } from '../diagnostics/booth-metrics.ts';
import { LogRing } from '../logging/log-ring.ts';
import { createLogger } from '../logging/logger.ts';
import { atMost, type BenchFigure } from './bench-figure.ts';
import { round } from './measure.ts';
import { LIVE_TARGET } from './vision-bench.ts';

/** A technician's Prometheus scrapes this often (the README's fleet config leaves the default). */
const scrapeEveryMs = 15_000;

export async function benchDiagnostics(frames = 20_000): Promise<BenchFigure> {
  const frameBudgetMs = 1000 / LIVE_TARGET.fps;
  let now = 0;
  const metrics = new BoothMetrics({ now: () => now, defaultMetrics: true });
  metrics.readFrom({
    devices: () => [
      { device: 'camera', up: true },
      { device: 'payment', up: true },
      { device: 'photo-printer', up: true },
    ],
    mediaRemaining: () => 400,
    vaultBytes: () => 1_000_000,
  });
  const ring = new LogRing();
  // The booth logs far less than a line a frame; one a frame bounds what the ring adds.
  const logger = createLogger({ level: 'info', destination: { write: () => {} }, ring });
  const quiet = createLogger({ level: 'info', destination: { write: () => {} } });

  // Per frame: the metrics' share, and what the ring adds to a log line.
  const perFrame = (fn: (i: number) => void) => {
    const started = performance.now();
    for (let i = 0; i < frames; i++) fn(i);
    return (performance.now() - started) / frames;
  };
  perFrame((i) => metrics.liveFrame({ at: (now = i * 33) - 20 })); // warm up
  const frameMs = perFrame((i) => metrics.liveFrame({ at: (now = i * 33) - 20 }));
  const withRing = perFrame((i) => logger.info({ frame: i }, 'coached'));
  const withoutRing = perFrame((i) => quiet.info({ frame: i }, 'coached'));
  const ringMs = Math.max(0, withRing - withoutRing);

  // A scrape, spread over the frames between two scrapes.
  await metrics.text();
  const scrapes = 20;
  const started = performance.now();
  for (let i = 0; i < scrapes; i++) await metrics.text();
  const scrapeMs = (performance.now() - started) / scrapes;
  const framesPerScrape = (scrapeEveryMs / 1000) * LIVE_TARGET.fps;
  metrics.stop();

  const costMs = frameMs + ringMs + scrapeMs / framesPerScrape;
  const percent = round((costMs / frameBudgetMs) * 100, 3);
  return {
    name: 'diagnostics cost per live frame',
    value: percent,
    unit: '% of frame',
    ...atMost(percent, 1),
    detail: {
      frameBudgetMs: round(frameBudgetMs),
      metricsPerFrameUs: round(frameMs * 1000, 2),
      logRingPerLineUs: round(ringMs * 1000, 2),
      scrapeMs: round(scrapeMs, 3),
      framesPerScrape,
    },
  };
}
