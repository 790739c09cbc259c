import { SystemClock } from '../../core/clock.ts';
import { ConfigStore } from '../../config/store.ts';
import { dataPaths, ensureDataDir, resolveDataDir } from '../../config/data-dir.ts';
import type { KioskConfig } from '../../config/schema.ts';
import { CreditJournal } from '../money/credit-journal.ts';
import { createLogger } from '../logging/logger.ts';
import { createDevices, createSimulatedDevices } from '../booth/create-devices.ts';
import { SeededRandom } from '../../hardware/sim/seeded-random.ts';
import { ScriptedCustomers } from '../simulate/scripted-customers.ts';
import { Kiosk } from '../kiosk.ts';
import { openPrivacy } from '../services/vault/open-vault.ts';
import { openVision } from '../services/vision/live/open-vision.ts';
import { EnvironmentMonitor } from '../services/vision/environment/environment-monitor.ts';
import { RetentionScheduler } from '../services/vault/retention-scheduler.ts';
import { ClockTrust } from '../services/vault/clock-trust.ts';
import type { CliIO } from './cli-io.ts';
import { KioskUi } from '../shell/bridge/ui-publisher.ts';
import { defaultShell, startShell, type RunningShell, type ShellKind } from '../shell/start-shell.ts';
import { electronBinary } from '../shell/electron/launcher.ts';

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
  ensureDataDir(dataDir);
  const paths = dataPaths(dataDir);
  const logger = createLogger();
  const clock = new SystemClock();
  const store = new ConfigStore({ file: paths.config });
  const journal = CreditJournal.open(paths.journal, clock);
  recoverAfterCrash(journal, logger);
  const initial = store.load();
  // The vault finishes any wipe a crash interrupted before the booth takes a customer.
  const privacy = openPrivacy({ dataDir, config: initial, clock, maintain: true });
  const retention = new RetentionScheduler({
    vault: privacy.vault,
    trust: ClockTrust.forConfig(privacy.vault.index, initial.retention),
    clock,
    logger,
    periodMs: initial.retention.checkEveryMinutes * 60_000,
  });
  retention.start();
  // The face engine loads its models once; every rebuilt kiosk shares it.
  const vision = await openVision(initial, clock, logger);
  const sharedParts = {
    photos: privacy.vault,
    consents: privacy.consents,
    policy: privacy.policy,
    vision,
    producer: vision.producer,
  };

  const build = (config: KioskConfig) => {
    const sims = options.autoplay ? createSimulatedDevices(config, clock, options.seed) : null;
    const devices = sims ?? createDevices(config, clock, { seed: options.seed, counters: journal });
    // Between customers the booth looks at its own backdrop (needs the face engine: nobody in view).
    const environment = config.environment.enabled
      ? new EnvironmentMonitor({
          camera: devices.camera,
          engine: vision.engine,
          clock,
          logger,
          limits: config.environment.backdrop,
          isIdle: (): boolean => built.state === 'attract.idle',
          everyMs: config.environment.checkEveryMinutes * 60_000,
        })
      : undefined;
    const built: Kiosk = new Kiosk({ config, devices, journal, clock, logger, ...sharedParts, environment });
    // Demo: scripted customers walk up to the simulated booth in real time, forever.
    if (sims) {
      new ScriptedCustomers({
        kiosk: built,
        devices: sims,
        clock,
        random: new SeededRandom(options.seed),
        config,
        customers: Number.POSITIVE_INFINITY,
        faults: [],
      }).start();
    }
    return built;
  };
  let kiosk = build(initial);
  // The screen follows whichever kiosk is current (a config reload rebuilds it).
  const ui = new KioskUi({ logger });
  ui.attach(kiosk);
  let shell: RunningShell | undefined;
  try {
    shell = await startShell({
      kind: options.shell ?? defaultShell({ autoplay: options.autoplay ?? false, binary: electronBinary() }),
      ui,
      logger,
      out: io.out,
      port: options.port,
      noBrowser: options.noBrowser,
    });
    await kiosk.start();
  } catch (error) {
    // A device that cannot start (a serial port that is not there): shut down what is running
    // so the process ends with the reason instead of hanging on its timers.
    await shell?.stop().catch(() => {});
    ui.detach();
    await kiosk.stop().catch(() => {});
    retention.stop();
    await vision?.close();
    privacy.vault.close();
    journal.close();
    throw error;
  }
  logger.info({ dataDir, unit: store.current().unit.id }, 'kiosk started');

  // A new config applies between customers; a broken one is refused and the booth carries on.
  let pending: KioskConfig | null = null;
  let failed: unknown = null;
  let stopNow = (): void => {};
  // One rebuild at a time: a SIGHUP or state change during one must not stop or build a second kiosk.
  const applyWhenIdle = oneAtATime(
    async () => {
      if (!pending || !betweenCustomers(kiosk.state)) return;
      const next = pending;
      pending = null;
      await kiosk.stop();
      privacy.vault.setRetentionDays(next.retention.days);
      privacy.policy.setRetentionDays(next.retention.days);
      kiosk = build(next);
      ui.attach(kiosk);
      await kiosk.start();
      kiosk.actor.subscribe(() => applyWhenIdle());
      logger.info('config applied');
    },
    (error) => {
      // The old kiosk is stopped and the new one did not start: end with the reason, as at start.
      logger.error({ reason: (error as Error).message }, 'config could not be applied; stopping');
      failed = error;
      stopNow();
    },
  );
  kiosk.actor.subscribe(() => applyWhenIdle());
  process.on('SIGHUP', () => {
    const result = store.reload();
    if (!result.ok) {
      logger.error({ reason: result.error.message }, 'config refused; keeping the last good config');
      return;
    }
    pending = result.config;
    applyWhenIdle();
  });

  await new Promise<void>((resolve) => {
    stopNow = resolve;
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  logger.info('kiosk stopping');
  await shell.stop();
  ui.detach();
  if (failed) await kiosk.stop().catch(() => {});
  else await kiosk.stop();
  retention.stop();
  await vision?.close();
  privacy.vault.close();
  journal.close();
  if (failed) throw failed;
  io.err('kiosk stopped');
  return 0;
}

/**
 * `task` never runs twice at once: a call while it runs is remembered and runs once after it.
 * A failure goes to `onError` (never an unhandled rejection).
 */
/**
 * No customer is at the booth: waiting for one, or out of service. A new config applies only
 * then; out of service counts, because that is when an operator most needs to fix the config
 * (a wrong printer address, media loaded on a printer that cannot count it).
 */
export function betweenCustomers(state: string): boolean {
  return state === 'attract.idle' || state === 'outOfService' || state.startsWith('outOfService.');
}

export function oneAtATime(task: () => Promise<void>, onError: (error: unknown) => void): () => void {
  let running = false;
  let again = false;
  const run = (): void => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    again = false;
    void task()
      .catch(onError)
      .finally(() => {
        running = false;
        if (again) run();
      });
  };
  return run;
}

/** Orders paid but neither delivered nor reversed were cut off by a crash: the money goes back to credit. */
function recoverAfterCrash(journal: CreditJournal, logger: ReturnType<typeof createLogger>): void {
  for (const order of journal.openOrders()) {
    journal.reverseOrder(order.id, 'restart');
    logger.warn(
      { orderId: order.id, amount: order.price },
      'unfinished order from before a restart returned to credit',
    );
  }
  const balance = journal.balance();
  if (balance > 0) logger.info({ balance }, 'credit carried over from before the restart');
}
