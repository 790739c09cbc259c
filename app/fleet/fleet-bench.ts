import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dataPaths } from '../../config/data-dir.ts';
import { ConfigStore } from '../../config/store.ts';
import { atMost, type BenchFigure } from '../bench/bench-figure.ts';
import { round } from '../bench/measure.ts';
import { BoothHost } from '../host/booth-host.ts';
import { configuredDevices } from '../host/device-set.ts';
import { silentLogger } from '../logging/logger.ts';
import { alertConditions } from './fleet-alerts.ts';
import { FleetReporter, type FleetSink } from './fleet-reporter.ts';

/**
 * What the fleet costs the booth: one judgement (the status summary from the journal and the
 * devices, then the alert conditions), as the reporter makes on each change of the flow or a
 * device, on a booth whose cash period holds `credits` coins and takes one more every fifth
 * judgement. The mean (a judgement after a coin reads the cash period again, the others reuse it)
 * is held to 1 % of a 30 fps live-view frame (0.33 ms), though it runs per change, not per frame.
 */
export async function benchFleet(options: { credits?: number; runs?: number } = {}): Promise<BenchFigure> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-fleet-'));
  writeFileSync(
    dataPaths(dir).config,
    JSON.stringify({ environment: { enabled: false }, fleet: { alerts: { cashBox: { coins: 5_000 } } } }),
  );
  const store = new ConfigStore({ file: dataPaths(dir).config });
  const config = store.load();
  const host = await BoothHost.open(
    {
      dataDir: dir,
      logger: silentLogger(),
      holder: 'bench',
      vision: 'none',
      configStore: store,
      devices: ({ clock, journal }) => configuredDevices(clock, { seed: 1, counters: journal }),
    },
    config,
  );
  try {
    await host.start(config);
    const credits = options.credits ?? 2_000;
    const coin = (i: number) =>
      host.journal.recordInserted(
        {
          sessionId: 'bench',
          ref: `bench-${i}`,
          deviceId: 'coin',
          amount: 100,
          currency: 'EUR',
          channel: 'coin',
        },
        { test: true },
      );
    for (let i = 0; i < credits; i++) coin(i);
    const sink: FleetSink = { publishEvent: () => {}, dropped: 0, close: async () => {} };
    const reporter = new FleetReporter(host, sink, {
      version: 'bench',
      startedAt: host.clock.now(),
      statusEveryMs: 600_000,
      logger: silentLogger(),
    });
    // A session changes the flow about 20 times and takes a few coins: a coin every 5th judgement
    // makes the journal move under the reporter as it does in use (the coin's own write untimed).
    const ms: number[] = [];
    const runs = options.runs ?? 300;
    for (let i = 0; i < runs; i++) {
      if (i % 5 === 0) coin(credits + i);
      const start = performance.now();
      const summary = reporter.summary();
      alertConditions(summary, summary.cashBox, host.config.fleet.alerts);
      ms.push(performance.now() - start);
    }
    ms.sort((a, b) => a - b);
    const at = (q: number) => round(ms[Math.min(ms.length - 1, Math.floor(q * ms.length))]!, 3);
    const meanMs = round(ms.reduce((a, b) => a + b, 0) / runs, 3);
    const timing = { runs, meanMs, p50Ms: at(0.5), p95Ms: at(0.95), maxMs: round(ms[ms.length - 1]!, 3) };
    return {
      name: 'fleet: status and alerts judged once (mean)',
      value: timing.meanMs,
      unit: 'ms',
      ...atMost(timing.meanMs, 0.33),
      detail: { ...timing, credits },
    };
  } finally {
    await host.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
