import type { BoothHost } from '../host/booth-host.ts';
import type { Logger } from '../logging/logger.ts';
import { boothVersion } from './booth-version.ts';
import { startFleet, type FleetReporter } from './fleet-reporter.ts';
import { SystemdNotifier, watchdogEveryMs } from './systemd-notify.ts';
import { boothAlive, SystemdWatchdog } from './systemd-watchdog.ts';

/**
 * What watches a started booth from outside (`kiosk start`): the fleet's MQTT link when
 * `fleet.mqtt` is set, and systemd's notify protocol when systemd started it (READY now, the
 * watchdog while the flow is alive, STOPPING at close). A fleet that cannot start (a TLS file
 * that is not there) is logged and left out: the booth serves its customers without it.
 */
export function superviseBooth(options: { host: BoothHost; logger: Logger; env?: NodeJS.ProcessEnv }): {
  close(): Promise<void>;
} {
  const { host, logger } = options;
  const env = options.env ?? process.env;
  let fleet: FleetReporter | null = null;
  try {
    fleet = startFleet({ host, logger, version: boothVersion(), startedAt: host.clock.now() });
  } catch (error) {
    logger.error({ reason: (error as Error).message }, 'fleet: not started');
  }
  const notifier = SystemdNotifier.fromEnv(env, logger);
  const everyMs = watchdogEveryMs(env);
  const watchdog =
    notifier && everyMs !== null
      ? new SystemdWatchdog({ notifier, everyMs, alive: boothAlive(host), logger })
      : null;
  // Not awaited: `kiosk start` must be listening for SIGTERM at once (the barrier may take a moment).
  if (notifier) void notifier.ready().catch(() => false);
  watchdog?.start();
  return {
    close: async () => {
      await watchdog?.stop();
      await notifier?.stopping();
      await fleet?.close();
    },
  };
}
