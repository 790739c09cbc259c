// The fleet reporter on a real BoothHost (simulated devices), sending to a recording sink: what
// it sends as the booth's devices fail and recover, and the unit ids it refuses as topics.
import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { dataPaths } from '../../config/data-dir.ts';
import { FleetReporter, startFleet, type FleetSink } from '../../app/fleet/fleet-reporter.ts';
import { superviseBooth } from '../../app/fleet/supervise-booth.ts';
import { demoDevices } from '../../app/host/demo-devices.ts';
import { capturingLogger, cleanUp, cleanups, running, unitDir } from '../host/control-fixture.ts';
import { silentLogger } from '../../app/logging/logger.ts';
import { CashBook } from '../../app/operator/cash-book.ts';
import { benchFleet } from '../../app/fleet/fleet-bench.ts';
import { until } from './mosquitto.ts';

afterEach(cleanUp);

function recordingSink(): FleetSink & { sent: { payload: Record<string, unknown>; kind: string }[] } {
  const sent: { payload: Record<string, unknown>; kind: string }[] = [];
  return {
    sent,
    dropped: 0,
    publishEvent: (payload, kind) => void sent.push({ payload: payload as Record<string, unknown>, kind }),
    close: async () => {},
  };
}

function withConfig(dir: string, extra: object): string {
  const file = dataPaths(dir).config;
  writeFileSync(file, JSON.stringify({ ...(JSON.parse(readFileSync(file, 'utf8')) as object), ...extra }));
  return dir;
}

describe('the fleet reporter', () => {
  it('sends a summary at once, then each alert as it starts and clears, with its reason', async () => {
    const { host } = await running(unitDir());
    const sink = recordingSink();
    const reporter = new FleetReporter(host, sink, {
      version: 'test',
      startedAt: host.clock.now(),
      statusEveryMs: 600_000,
      logger: silentLogger(),
    });
    reporter.start();
    cleanups.push(() => reporter.close());
    expect(sink.sent[0]).toMatchObject({ kind: 'status', payload: { type: 'status', devicesDown: [] } });
    const alerts = () => sink.sent.filter((m) => m.kind === 'alert').map((m) => m.payload);

    demoDevices(host.booth.devices)!.photoPrinter.injectFault('out-of-paper');
    await until('paper-empty and out of service', () =>
      alerts().some((a) => a.alert === 'out-of-service' && a.active),
    );
    expect(alerts().find((a) => a.alert === 'paper-empty')).toMatchObject({
      active: true,
      reason: 'media-empty',
    });
    expect(reporter.summary().devicesDown).toEqual(['photo-printer']);
    const outOfService = alerts().find((a) => a.alert === 'out-of-service')!;
    expect(outOfService.reason).toEqual(host.booth.view().outOfServiceReason);

    demoDevices(host.booth.devices)!.photoPrinter.clearFault();
    await until('both cleared', () =>
      ['paper-empty', 'out-of-service'].every((name) => alerts().some((a) => a.alert === name && !a.active)),
    );
    // One start and one clear each, however many changes the booth went through.
    for (const name of ['paper-empty', 'out-of-service'])
      expect(
        alerts()
          .filter((a) => a.alert === name)
          .map((a) => a.active),
      ).toEqual([true, false]);
  });

  it('refuses a unit id that is no MQTT topic level; kiosk start carries on without the fleet and says why', async () => {
    const dir = withConfig(unitDir(), {
      unit: { id: 'north/01' },
      fleet: { mqtt: { url: 'mqtt://127.0.0.1:1' } },
    });
    const { logger, lines } = capturingLogger();
    const { host } = await running(dir, logger);
    expect(() => startFleet({ host, logger, version: 'test', startedAt: 0 })).toThrow(
      /unit.id "north\/01" cannot be an MQTT topic level/,
    );
    const supervision = superviseBooth({ host, logger, env: {} });
    await supervision.close();
    expect(lines.join('\n')).toMatch(
      /"reason":"unit.id \\"north\/01\\" cannot be an MQTT topic level.*"msg":"fleet: not started"/,
    );
  });
  it('counts the cash box from the journal: coins as they come, none once it is emptied (the period is read again)', async () => {
    const { host } = await running(unitDir());
    const reporter = new FleetReporter(host, recordingSink(), {
      version: 'test',
      startedAt: host.clock.now(),
      statusEveryMs: 600_000,
      logger: silentLogger(),
    });
    const coin = (n: number) =>
      host.journal.recordInserted(
        {
          sessionId: 'payment-test',
          ref: `c-${n}`,
          deviceId: 'coin',
          amount: 100,
          currency: 'EUR',
          channel: 'coin',
        },
        { test: true },
      );
    expect(reporter.summary().cashBox).toEqual({ coins: 0, notes: 0 });
    coin(1);
    coin(2);
    expect(reporter.summary().cashBox).toEqual({ coins: 2, notes: 0 });
    new CashBook({ journal: host.journal, config: { current: () => host.config } }).emptyCashBox({
      counted: 200,
      role: 'operator',
    });
    expect(reporter.summary().cashBox).toEqual({ coins: 0, notes: 0 });
    coin(3);
    expect(reporter.summary().cashBox).toEqual({ coins: 1, notes: 0 });
  });

  it('the bench figure: one judgement on a booth whose journal moves under it', async () => {
    const figure = await benchFleet({ credits: 20, runs: 20 });
    expect(figure).toMatchObject({
      name: 'fleet: status and alerts judged once (mean)',
      unit: 'ms',
      target: '<= 0.33',
    });
    expect(figure.detail).toMatchObject({ runs: 20, credits: 20 });
    expect(figure.value).toBeGreaterThan(0);
  });
});
