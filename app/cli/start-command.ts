import { ConfigStore } from '../../config/store.ts';
import { dataPaths, resolveDataDir } from '../../config/data-dir.ts';
import { createLogger } from '../logging/logger.ts';
import { SeededRandom } from '../../hardware/sim/seeded-random.ts';
import { ScriptedCustomers } from '../simulate/scripted-customers.ts';
import type { CliIO } from './cli-io.ts';
import { watchParent } from './parent-watch.ts';
import { defaultShell, startShell, type RunningShell, type ShellKind } from '../shell/start-shell.ts';
import { electronBinary } from '../shell/electron/launcher.ts';
import { BoothHost } from '../host/booth-host.ts';
import { configuredDevices, simulatedDevices } from '../host/device-set.ts';
import { simulatorsOf } from '../host/demo-devices.ts';
import { serveControl } from '../host/control/serve-control.ts';
import type { ControlServer } from '../host/control/control-server.ts';
import { superviseBooth } from '../fleet/supervise-booth.ts';
import { LogRing } from '../logging/log-ring.ts';
import { BoothMetrics } from '../diagnostics/booth-metrics.ts';
import { startDiagnostics, type RunningDiagnostics } from '../diagnostics/start-diagnostics.ts';

/** `kiosk start`: runs the booth until SIGINT or SIGTERM. */
export async function runStart(
  options: {
    dataDirFlag?: string;
    seed: number;
    autoplay?: boolean;
    /** The screen: `browser`, `electron` or `none` (headless); default per `defaultShell`. */
    shell?: ShellKind;
    noBrowser?: boolean;
    port?: number;
  },
  io: CliIO,
): Promise<number> {
  const dataDir = resolveDataDir({ flag: options.dataDirFlag, env: process.env });
  // The technician's log tail and metrics (app/diagnostics) follow the booth from its first line.
  const logs = new LogRing();
  const logger = createLogger({ ring: logs });
  const metrics = new BoothMetrics({ now: () => Date.now() });
  const store = new ConfigStore({ file: dataPaths(dataDir).config });
  const initial = store.load();
  // A SIGHUP before the booth is up (the engine loads for seconds) must not end the process:
  // it is remembered and the config reloaded once the host is open.
  let hungUpEarly = false;
  const early = () => void (hungUpEarly = true);
  process.on('SIGHUP', early);
  // A simulated hopper counts across restarts like a real one: recovering a payout a crash cut
  // off needs its lifetime count.
  const hopperStateFile = dataPaths(dataDir).simulatedHopper;
  const host = await BoothHost.open(
    {
      dataDir,
      logger,
      holder: 'kiosk start',
      vision: 'engine',
      configStore: store,
      onSessionEnd: metrics.sessionEnded,
      devices: ({ clock, journal, mediaCounter }) =>
        options.autoplay
          ? simulatedDevices(clock, options.seed, {}, journal, hopperStateFile)
          : configuredDevices(clock, {
              seed: options.seed,
              counters: journal,
              hopperStateFile,
              cameraScratchDir: dataPaths(dataDir).cameraScratch,
              mediaCounter,
            }),
    },
    initial,
  );
  // A new config applies between customers; a broken one is refused and the booth carries on.
  let failed: unknown = null;
  let stopNow = (): void => {};
  let restartNow = (): void => {};
  host.onFatal = (error) => {
    failed = error;
    stopNow();
  };
  const onHangUp = () => {
    const result = store.reload();
    if (!result.ok) {
      logger.error({ reason: result.error.message }, 'config refused; keeping the last good config');
      return;
    }
    host.requestConfig(result.config);
  };
  process.on('SIGHUP', onHangUp);
  process.off('SIGHUP', early);
  if (hungUpEarly) onHangUp();
  // Demo: scripted customers walk up to the simulated booth in real time, forever.
  if (options.autoplay) {
    host.onBooth((booth) => {
      const sims = simulatorsOf(booth.devices);
      if (!sims) return;
      new ScriptedCustomers({
        booth,
        devices: sims,
        clock: host.clock,
        random: new SeededRandom(options.seed),
        config: booth.config,
        customers: Number.POSITIVE_INFINITY,
        faults: [],
      }).start();
    });
  }
  let shell: RunningShell | undefined;
  let control: ControlServer | undefined;
  let diagnostics: RunningDiagnostics | undefined;
  try {
    shell = await startShell({
      kind: options.shell ?? defaultShell({ autoplay: options.autoplay ?? false, binary: electronBinary() }),
      ui: host.ui,
      logger,
      out: io.out,
      port: options.port,
      noBrowser: options.noBrowser,
    });
    await host.start(initial);
    // `kiosk status`, `cash`, `owed`… act on this booth through it (never a second booth).
    // HTTPS for technicians when enabled (on real hardware by default), and `kiosk diag`.
    diagnostics = await startDiagnostics({
      host,
      dataDir,
      configStore: store,
      logger,
      logs,
      metrics,
      // Only under systemd (it sets INVOCATION_ID): elsewhere nothing would start the booth again.
      ...(process.env.INVOCATION_ID ? { restartProcess: () => restartNow() } : {}),
    });
    const running = diagnostics;
    host.diagnosticsStatus = () => running.control.status();
    control = await serveControl({
      host,
      dataDir,
      configStore: store,
      logger,
      diagnostics: diagnostics.control,
      // `kiosk decommission`: the booth's end of service (app/services/decommission).
      ...(host.decommission ? { decommission: host.decommission } : {}),
    });
  } catch (error) {
    // A device that cannot start (a serial port that is not there): shut down what is running
    // so the process ends with the reason instead of hanging on its timers.
    await shell?.stop().catch(() => {});
    await control?.close();
    await diagnostics?.close();
    await host.close();
    throw error;
  }
  logger.info({ dataDir, unit: initial.unit.id }, 'kiosk started');
  // The fleet's MQTT presence and alerts, and systemd's READY and watchdog (app/fleet).
  const supervision = superviseBooth({ host, logger });

  let stopWatching = (): void => {};
  const stopReason = await new Promise<string>((resolve) => {
    stopNow = () => resolve('config');
    // A technician's restart: the process ends and systemd starts it again (Restart=always).
    restartNow = () => resolve('restart');
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
    // The terminal or npm that started the booth is gone (and took its signal with it).
    stopWatching = watchParent(() => resolve('parent-gone'));
  });
  stopWatching();
  process.off('SIGHUP', onHangUp);
  logger.info({ reason: stopReason }, 'kiosk stopping');
  await supervision.close();
  await control.close();
  await diagnostics.close();
  await shell.stop();
  await host.close();
  if (failed) throw failed;
  io.err('kiosk stopped');
  return 0;
}
