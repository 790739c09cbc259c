import { join } from 'node:path';
import { SystemClock, type Clock } from '../../core/clock.ts';
import { dataPaths, ensureDataDir } from '../../config/data-dir.ts';
import type { BoothConfig } from '../../config/schema.ts';
import { CreditJournal } from '../money/credit-journal.ts';
import type { Logger } from '../logging/logger.ts';
import { Booth } from '../booth/booth.ts';
import type { SessionSummary } from '../booth/booth-services.ts';
import { openPrivacy, type PrivacyParts } from '../services/vault/open-vault.ts';
import { RetentionScheduler } from '../services/vault/retention-scheduler.ts';
import { ClockTrust } from '../services/vault/clock-trust.ts';
import { Outbox } from '../services/outbox/outbox.ts';
import type { Decommission } from '../services/decommission/decommission.ts';
import { finishDecommissionAtStart, openEndOfService } from '../services/decommission/end-of-service.ts';
import { openVision, type VisionParts } from '../services/vision/live/open-vision.ts';
import { EnvironmentMonitor } from '../services/vision/environment/environment-monitor.ts';
import { BoothUi } from '../shell/bridge/ui-publisher.ts';
import { DataDirLock } from './data-dir-lock.ts';
import { DeviceSet, type DeviceChange, type DeviceKind, type DeviceRecipes } from './device-set.ts';
import { demoDevices } from './demo-devices.ts';
import { oneAtATime } from './one-at-a-time.ts';
import { StorageWatch } from '../booth/storage-watch.ts';
import { recoverAfterCrash } from './crash-recovery.ts';
import type { PhotoProducer } from '../services/production/photo-producer.ts';
import { OperatorAccess, type OperatorConfigSource } from '../operator/operator-access.ts';
import { ServiceSwitch } from '../operator/service-switch.ts';
import { BoothCounters } from '../operator/booth-counters.ts';
import { PaperStock } from '../operator/paper-stock.ts';
import { PriceBook } from '../operator/price-book.ts';
import { OwedDesk } from '../operator/owed-desk.ts';
import { OpeningHours } from '../booth/opening-hours.ts';
import { EndOfServiceWatch } from '../booth/end-of-service-watch.ts';
import type { MediaCounter } from '../../hardware/printer/media-counter.ts';
import { CashBook } from '../operator/cash-book.ts';
import { OperatorDesk } from '../booth/operator-desk.ts';

export interface BoothHostOptions {
  dataDir: string;
  logger: Logger;
  clock?: Clock;
  /** What the lock says holds the data directory, e.g. `kiosk start`. */
  holder: string;
  /** How the booth's devices are made (configuredDevices, or simulatedDevices for demos). */
  devices: (parts: {
    clock: Clock;
    journal: CreditJournal;
    /** The unit's paper count (operator mode's PaperStock) for printers that cannot count theirs. */
    mediaCounter?: MediaCounter;
  }) => DeviceRecipes | Promise<DeviceRecipes>;
  /**
   * `engine`: the face engine coaches, reviews and makes the photos (`kiosk start`). `none`:
   * the basic checks and the production stand-in (`kiosk simulate`, flow tests).
   */
  vision: 'engine' | 'none';
  /** A journal of the run's own instead of the unit's (`kiosk simulate`: simulated money never mixes in). */
  journalPath?: string;
  /**
   * `simulation`: the journal at `journalPath` commits without fsync (see CreditJournal.open);
   * only `kiosk simulate` asks for it, and the unit's own journal ignores it (always synced).
   */
  journalDurability?: 'unit' | 'simulation';
  /**
   * Without the face engine (`vision: 'none'`): the production stand-in the booth uses, kept
   * across config changes (`kiosk simulate` brings one that makes photos ahead). Default: a new
   * SimulatedPhotoProducer per config.
   */
  producer?: PhotoProducer;
  /** Vault sessions are marked simulated (`kiosk simulate`). */
  simulated?: boolean;
  /**
   * Whether a screen follows the booth (default true). `kiosk simulate` runs headless: nothing
   * would read the snapshots or the review photo the publisher makes.
   */
  screen?: boolean;
  onSessionEnd?: (summary: SessionSummary) => void;
  /**
   * The unit's config file (its ConfigStore): with it the booth has operator mode (the PIN pad
   * writes a new PIN through it; the host then applies the new config between customers).
   * Without it (simulations, tests) the PIN pad refuses.
   */
  configStore?: OperatorConfigSource;
}

/** What operator mode keeps in the unit's data dir: PIN pad and audit, maintenance, counters, paper. */
interface OperatorParts {
  configSource: OperatorConfigSource;
  access: OperatorAccess;
  serviceSwitch: ServiceSwitch;
  counters: BoothCounters;
  paper: PaperStock;
}

/** What a config change did to each part of the booth. */
export interface ReconfigureReport {
  devices: Record<DeviceKind, DeviceChange>;
  producer: 'updated' | 'kept' | 'none';
  checks: 'updated' | 'kept' | 'none';
  vault: 'updated' | 'kept';
  /** The booth's flow always starts again with the new settings (between customers, nobody notices). */
  flow: 'restarted';
}

/**
 * The one composition root. It holds the data directory (exclusively: a second booth on it
 * refuses to start), builds the long-lived parts once — journal, vault and retention, face
 * engine and producer, devices, the screen's publisher — and reconfigures them in place when a
 * new config applies: each part takes the new config and says what it changed. `kiosk start`,
 * `kiosk simulate` and the tests all run a booth through this.
 */
export class BoothHost {
  readonly clock: Clock;
  readonly journal: CreditJournal;
  readonly privacy: PrivacyParts;
  /** The digital copy and "contact us" outbox of the unit's own booth (null for a simulation). */
  readonly outbox: Outbox | null;
  readonly ui: BoothUi;
  readonly devices: DeviceSet;
  readonly #options: BoothHostOptions;
  readonly #lock: DataDirLock;
  readonly #vision: VisionParts | null;
  readonly #retention: RetentionScheduler | null;
  readonly #operator: OperatorParts | null;
  readonly #boothListeners = new Set<(booth: Booth) => void>();
  #decommission: Decommission | null = null;
  /** The end of service as the booth's health sees it (one per host: booths come and go). */
  readonly #endOfService = new EndOfServiceWatch(() => this.#decommission?.view() ?? null);
  #config: BoothConfig | null = null;
  /** The config being applied (or applied last): what the devices are built for. */
  #applying: BoothConfig | null = null;
  #booth: Booth | null = null;
  #pending: BoothConfig | null = null;
  /** The operator (or a technician) asked for a restart: devices closed and opened again. */
  #restartAsked = false;
  #offChange: (() => void) | null = null;
  #closed = false;
  /**
   * The technicians' HTTPS diagnostics as they stand, for the operator's service page;
   * `kiosk start` sets it once its diagnostics server runs.
   */
  diagnosticsStatus: () => { serving: boolean; addresses: string[]; fingerprint: string | null } | null =
    () => null;
  /** Told when a config could not be applied (the booth is then stopped). */
  onFatal: (error: unknown) => void = () => {};

  private constructor(
    options: BoothHostOptions,
    lock: DataDirLock,
    parts: {
      clock: Clock;
      journal: CreditJournal;
      privacy: PrivacyParts;
      vision: VisionParts | null;
      retention: RetentionScheduler | null;
      recipes: DeviceRecipes;
      operator: OperatorParts | null;
      outbox: Outbox | null;
    },
  ) {
    this.#options = options;
    this.#lock = lock;
    this.clock = parts.clock;
    this.journal = parts.journal;
    this.privacy = parts.privacy;
    this.outbox = parts.outbox;
    this.#vision = parts.vision;
    this.#retention = parts.retention;
    this.#operator = parts.operator;
    this.ui = new BoothUi({ logger: options.logger });
    this.devices = new DeviceSet(parts.recipes);
  }

  /**
   * Takes the data directory and opens what lives as long as the process: the journal (orders
   * a crash cut off go back to credit), the vault (an interrupted wipe is finished), retention,
   * and the face engine. Throws DataDirInUseError when another booth holds the directory.
   */
  static async open(options: BoothHostOptions, config: BoothConfig): Promise<BoothHost> {
    const { dataDir, logger } = options;
    const clock = options.clock ?? new SystemClock();
    ensureDataDir(dataDir);
    const lock = DataDirLock.acquire(dataDir, options.holder);
    const opened: { close(): unknown }[] = [];
    let host: BoothHost | undefined;
    try {
      const journal = options.journalPath
        ? CreditJournal.open(options.journalPath, clock, { durability: options.journalDurability })
        : CreditJournal.open(dataPaths(dataDir).journal, clock);
      opened.push(journal);
      const unitsOwn = !options.simulated;
      // A power cut during the end of service's vault destruction: finish it (the vault then refuses to open).
      if (unitsOwn)
        finishDecommissionAtStart({
          dataDir,
          vaultDir: dataPaths(dataDir).vault,
          operatorAccessFile: dataPaths(dataDir).operatorAccess,
          config,
          clock,
          logger,
        });
      const privacy = openPrivacy({
        dataDir,
        config,
        clock,
        simulated: options.simulated,
        maintain: unitsOwn,
      });
      opened.push(privacy.vault);
      // Only the unit's own booth puts right what a crash left: a simulation has its own journal
      // and must not touch sessions of the unit's vault.
      if (!options.journalPath)
        recoverAfterCrash({ journal, vault: unitsOwn ? privacy.vault : null, logger });
      const retention = unitsOwn
        ? new RetentionScheduler({
            vault: privacy.vault,
            trust: ClockTrust.forConfig(privacy.vault.index, config.retention),
            clock,
            logger,
            periodMs: config.retention.checkEveryMinutes * 60_000,
          })
        : null;
      // Operator mode: the PIN pad's lock and audit, and the maintenance switch, in the data dir.
      const store = options.configStore;
      // The unit's config file for operator mode: a new PIN or price is a new config, applied
      // between customers like any other.
      const configSource: OperatorConfigSource | null = store
        ? {
            current: () => store.current(),
            update: (change) => {
              const next = store.update(change);
              host?.requestConfig(next);
              return next;
            },
          }
        : null;
      const operator =
        configSource && !options.simulated
          ? {
              configSource,
              access: OperatorAccess.open({
                file: dataPaths(dataDir).operatorAccess,
                clock,
                config: configSource,
              }),
              serviceSwitch: new ServiceSwitch(dataPaths(dataDir).serviceSwitch),
              counters: BoothCounters.open(dataPaths(dataDir).counters),
              paper: PaperStock.open({
                file: dataPaths(dataDir).paperStock,
                // The config being applied, from the moment the devices are built for it.
                config: { current: () => (host ? host.#applying : null) ?? config },
                clock,
              }),
            }
          : null;
      if (operator) opened.push(operator.access, operator.counters, operator.paper);
      const recipes = await options.devices({
        clock,
        journal,
        ...(operator ? { mediaCounter: operator.paper } : {}),
      });
      // The face engine loads its models once; every config keeps it.
      const vision = options.vision === 'engine' ? await openVision(config, clock, logger) : null;
      retention?.start();
      const outbox = unitsOwn
        ? new Outbox({
            vault: privacy.vault,
            config: () => (host ? (host.#applying ?? config) : config),
            clock,
            logger,
          })
        : null;
      outbox?.start();
      host = new BoothHost(options, lock, {
        clock,
        journal,
        privacy,
        vision,
        retention,
        recipes,
        operator,
        outbox,
      });
      return host;
    } catch (error) {
      for (const part of opened.reverse()) part.close();
      lock.release();
      throw error;
    }
  }

  /** The booth's flow now (a new one after each config change). */
  get booth(): Booth {
    if (!this.#booth) throw new Error('the booth has not started');
    return this.#booth;
  }

  get config(): BoothConfig {
    if (!this.#config) throw new Error('the booth has not started');
    return this.#config;
  }

  /** The operator's counters (sessions, outcomes, refusals by rule, failures by state), else null. */
  get operatorCounters(): BoothCounters | null {
    return this.#operator?.counters ?? null;
  }

  /** Operator mode's PIN pad and audit (the unit's booth, with its config store), else null. */
  get operatorAccess(): OperatorAccess | null {
    return this.#operator?.access ?? null;
  }

  /**
   * The end of service (`kiosk decommission`, the technician's operator screen): built once the
   * booth has started, on its own journal, vault, outbox, PIN pad, owed queue and MoneyBack;
   * null without operator mode (a simulation, no config store).
   */
  get decommission(): Decommission | null {
    if (this.#decommission || !this.#operator || !this.#booth) return this.#decommission;
    const access = this.#operator.access;
    this.#decommission = openEndOfService({
      dataDir: this.#options.dataDir,
      vaultDir: this.privacy.vault.dir,
      config: () => this.#applying ?? this.config,
      clock: this.clock,
      logger: this.#options.logger,
      vault: this.privacy.vault,
      outbox: this.outbox,
      journal: this.journal,
      access,
      betweenCustomers: () => {
        const view = this.booth.view();
        return view.betweenCustomers || view.operator !== null;
      },
      deliverOwedNow: async () => (await this.booth.deliverOwedPrintsNow()) ?? null,
      handBack: (input) => this.booth.handBack(input),
      // Each step written: the booth's health (and so its screen) follows at once.
      onStep: () => this.#endOfService.refresh(),
    }).decommission;
    // One read of the state file now (one begun before a restart); then at each step it writes.
    this.#endOfService.refresh();
    return this.#decommission;
  }

  /** Each booth flow the host starts, the current one at once. */
  onBooth(listener: (booth: Booth) => void): () => void {
    this.#boothListeners.add(listener);
    if (this.#booth) listener(this.#booth);
    return () => void this.#boothListeners.delete(listener);
  }

  /** Opens the devices for `config` and starts the booth. A device that cannot open rejects. */
  async start(config: BoothConfig): Promise<ReconfigureReport> {
    const report = await this.#applyNow(config);
    this.#options.logger.info({ unit: config.unit.id }, 'booth started');
    // An end of service under way carries on from the step it reached (a restart, a power cut).
    this.decommission?.resume().catch(() => {});
    return report;
  }

  /**
   * A new config, applied as soon as no customer is at the booth (waiting in attract, or out of
   * service: that is when an operator most needs to fix one). The latest one wins.
   */
  requestConfig(config: BoothConfig): void {
    this.#pending = config;
    this.#applyWhenIdle();
  }

  /**
   * Turns the booth off and on again without ending the process: once nobody is being served
   * (operator mode, or waiting for a customer) the flow stops, every device is closed and opened
   * afresh (a camera or ccTalk line that hung gets a new start), and a new flow starts on the
   * latest config. The journal, vault and face engine stay open: nothing in them needs it.
   */
  restart(): void {
    this.#restartAsked = true;
    this.#applyWhenIdle();
  }

  /** Applies a config now, whatever the booth is doing (for tests and the first start). */
  async #applyNow(config: BoothConfig, options: { reopen?: boolean } = {}): Promise<ReconfigureReport> {
    const { logger } = this.#options;
    const old = this.#booth;
    if (old) {
      this.#offChange?.();
      this.ui.detach();
      await old.stop();
      this.#booth = null;
    }
    if (options.reopen) await this.devices.close();
    this.#applying = config;
    const devices = await this.devices.apply(config);
    const vision = this.#vision?.reconfigure(config);
    const vault = this.#config?.retention.days !== config.retention.days ? 'updated' : 'kept';
    this.privacy.vault.setRetentionDays(config.retention.days);
    this.privacy.policy.setRetentionDays(config.retention.days);
    this.#config = config;
    const booth = this.#build(config);
    this.#booth = booth;
    // Listeners (the screen, scripted customers) follow the booth from its first state on.
    if (this.#options.screen !== false) this.ui.attach(booth, demoDevices(booth.devices));
    for (const listener of this.#boothListeners) listener(booth);
    this.#offChange = booth.onChange(() => this.#applyWhenIdle());
    // The unit's own books, at the first start: money a crash left is settled on open devices.
    if (!old && !this.#options.journalPath) await booth.settleAfterRestart();
    await booth.start();
    const report: ReconfigureReport = {
      devices,
      producer: vision?.producer ?? 'none',
      checks: vision?.checks ?? 'none',
      vault: old ? vault : 'kept',
      flow: 'restarted',
    };
    if (old) logger.info({ report }, 'config applied');
    return report;
  }

  // One change at a time: a SIGHUP or state change during one must not stop or build a second booth.
  #applyWhenIdle = oneAtATime(
    async () => {
      const restart = this.#restartAsked;
      const next = this.#pending ?? (restart ? this.#config : null);
      const view = this.#booth?.view();
      if (!next || this.#closed || !view) return;
      // A config waits for a customer to finish; a restart is asked by staff at the booth
      // (operator mode) or between customers, never in the middle of a session.
      if (!(view.betweenCustomers || (restart && view.operator !== null))) return;
      this.#pending = null;
      this.#restartAsked = false;
      if (restart) this.#options.logger.info('booth restarting: devices closed and opened again');
      await this.#applyNow(next, { reopen: restart });
    },
    (error) => {
      // The old booth is stopped and the new one did not start: end with the reason, as at start.
      this.#options.logger.error(
        { reason: (error as Error).message },
        'config could not be applied; stopping',
      );
      this.onFatal(error);
    },
  );

  #build(config: BoothConfig): Booth {
    const { logger } = this.#options;
    const devices = this.devices.devices;
    const vision = this.#vision;
    // Between customers the booth looks at its own backdrop (needs the face engine: nobody in view).
    const environment =
      vision && config.environment.enabled
        ? new EnvironmentMonitor({
            camera: devices.camera,
            engine: vision.engine,
            clock: this.clock,
            logger,
            limits: config.environment.backdrop,
            isIdle: (): boolean => booth.view().waitingForCustomer,
            everyMs: config.environment.checkEveryMinutes * 60_000,
          })
        : undefined;
    const booth: Booth = new Booth({
      config,
      devices,
      journal: this.journal,
      clock: this.clock,
      logger,
      photos: this.privacy.vault,
      consents: this.privacy.consents,
      policy: this.privacy.policy,
      ...(vision
        ? { vision, producer: vision.producer }
        : this.#options.producer
          ? { producer: this.#options.producer }
          : {}),
      environment,
      storage: new StorageWatch({
        dir: this.#options.dataDir,
        reserveBytes: config.storage.reserveMb * 1024 * 1024,
        clock: this.clock,
      }),
      ...(config.operator.openingHours
        ? { hours: new OpeningHours(config.operator.openingHours, this.clock) }
        : {}),
      ...(this.outbox ? { outbox: this.outbox } : {}),
      endOfService: this.#endOfService,
      onSessionEnd: (summary) => {
        this.#count(summary);
        this.#options.onSessionEnd?.(summary);
      },
      ...(this.#operator
        ? {
            operator: new OperatorDesk({
              ...this.#operator,
              cashBook: new CashBook({
                journal: this.journal,
                config: { current: () => config },
                audit: (entry) => this.#operator?.access.audit(entry),
              }),
              journal: this.journal,
              vault: this.privacy.vault,
              prices: new PriceBook({
                config: this.#operator.configSource,
                audit: (entry) => this.#operator?.access.audit(entry),
                // The config source has the host apply it already (between customers); again is harmless.
                apply: (next) => this.requestConfig(next),
              }),
              owed: new OwedDesk({
                journal: this.journal,
                audit: (entry) => this.#operator?.access.audit(entry),
                // Its pages are open only in operator mode: nobody is in a session.
                betweenCustomers: () => booth.view().operator !== null || booth.view().betweenCustomers,
                deliverNow: async () => (await booth.deliverOwedPrintsNow()) ?? null,
                handBack: (input) => booth.handBack(input),
              }),
              testPayment: () => booth.testPayment(),
              restart: () => this.restart(),
              diagnostics: () => this.diagnosticsStatus(),
              ...(this.outbox ? { outbox: this.outbox } : {}),
              endOfService: () => this.decommission,
              devices,
              config: () => config,
              clock: this.clock,
              logger,
            }),
            maintenance: this.#operator.serviceSwitch.maintenance,
          }
        : {}),
    });
    return booth;
  }

  /** The operator's counters: a failure to count is logged, never the session's problem. */
  #count(summary: SessionSummary): void {
    try {
      this.#operator?.counters.record(summary, this.clock.now());
    } catch (error) {
      this.#options.logger.warn(
        { code: (error as { code?: string }).code ?? 'error' },
        'session not counted',
      );
    }
  }

  /** Stops the booth, closes the devices, the engine, the vault and the journal, and lets go of the data directory. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#offChange?.();
    this.ui.detach();
    await this.#booth?.stop().catch(() => {});
    await this.devices.close();
    this.#retention?.stop();
    await this.#decommission?.stop();
    await this.outbox?.stop();
    await this.#vision?.close();
    this.privacy.vault.close();
    this.#operator?.access.close();
    this.#operator?.counters.close();
    this.#operator?.paper.close();
    this.journal.close();
    this.#lock.release();
  }
}

/** Orders paid but neither delivered nor reversed were cut off by a crash: the money goes back to credit. */
/** Where `kiosk simulate` keeps its own journal under a data directory. */
export const simulationJournal = (dataDir: string) => join(dataDir, 'simulation', 'credit-journal.sqlite');
