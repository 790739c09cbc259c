import type { FleetConfig, MqttConfig } from '../../config/fleet-config.ts';
import type { BoothHost } from '../host/booth-host.ts';
import { boothStatus } from '../host/control/booth-status.ts';
import type { Logger } from '../logging/logger.ts';
import { CashBook, type CashReport } from '../operator/cash-book.ts';
import type { Booth } from '../booth/booth.ts';
import { AlertLatch, alertConditions, type AlertChange } from './fleet-alerts.ts';
import { cashBoxCount, fleetSummary, type FleetSummary } from './fleet-summary.ts';
import { MqttLink } from './mqtt-link.ts';

/** An alert as it goes out on `…/events`. */
export interface AlertEvent extends AlertChange {
  type: 'alert';
  time: string;
  version: string;
  unit: string;
}

/** Where the reporter sends (an MqttLink; a test may bring its own). */
export interface FleetSink {
  publishEvent(payload: object, kind: 'status' | 'alert'): void;
  readonly dropped: number;
  close(): Promise<void>;
}

/**
 * Follows a running booth for its fleet: the status summary every `statusEveryMs`, and an alert
 * when a condition starts or clears (AlertLatch), judged on every change of the booth's flow or
 * of a device's status. Reads through the same parts as `kiosk status` (boothStatus over the
 * cash book's journal figures), so the fleet and the operator never see two versions.
 */
export class FleetReporter {
  readonly #host: BoothHost;
  readonly #sink: FleetSink;
  readonly #o: { version: string; startedAt: number; statusEveryMs: number; logger: Logger };
  readonly #latch = new AlertLatch();
  #timer: NodeJS.Timeout | undefined;
  #offBooth: (() => void) | null = null;
  #offFlow: (() => void)[] = [];
  #pending = false;
  #cash: { key: string; report: CashReport } | null = null;
  #stopped = false;

  constructor(
    host: BoothHost,
    sink: FleetSink,
    options: { version: string; startedAt: number; statusEveryMs: number; logger: Logger },
  ) {
    this.#host = host;
    this.#sink = sink;
    this.#o = options;
  }

  /** Starts following the booth (every flow the host starts) and sends the first summary now. */
  start(): void {
    this.#offBooth = this.#host.onBooth((booth) => this.#follow(booth));
    this.#timer = setInterval(() => this.#tick(true), this.#o.statusEveryMs);
    this.#timer.unref();
    this.#tick(true);
  }

  /** The summary as it would go out now. */
  summary(): FleetSummary {
    const host = this.#host;
    const cash = this.#cashReport();
    const now = host.clock.now();
    return fleetSummary({
      status: boothStatus(host, cash, this.#o.startedAt, now),
      cashBox: cashBoxCount(cash),
      version: this.#o.version,
      now,
      queueDropped: this.#sink.dropped,
    });
  }

  /**
   * The cash book's open period, read again only when the journal moved (a new movement, or an
   * emptying that closed the period): scanning the period on every change of the flow would
   * cost more than everything else the reporter does.
   */
  #cashReport(): CashReport {
    const { journal, config } = this.#host;
    const key = `${journal.lastMovementId()}:${journal.zReports(1)[0]?.number ?? 0}:${config.unit.id}`;
    if (this.#cash?.key !== key)
      this.#cash = { key, report: new CashBook({ journal, config: { current: () => config } }).report() };
    return this.#cash.report;
  }

  /** Stops following and closes the link (a clean `offline`). */
  async close(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    clearInterval(this.#timer);
    this.#offBooth?.();
    for (const off of this.#offFlow.splice(0)) off();
    await this.#sink.close();
  }

  #follow(booth: Booth): void {
    for (const off of this.#offFlow.splice(0)) off();
    const soon = () => this.#soon();
    const d = booth.devices;
    this.#offFlow.push(
      booth.onChange(soon),
      d.camera.onStatus(soon),
      d.payment.onStatus(soon),
      d.photoPrinter.onStatus(soon),
      ...(d.receiptPrinter ? [d.receiptPrinter.onStatus(soon)] : []),
      ...(d.hopper ? [d.hopper.onStatus(soon)] : []),
    );
    soon();
  }

  /** Many changes in one turn of the event loop (a session's steps) are judged once. */
  #soon(): void {
    if (this.#pending || this.#stopped) return;
    this.#pending = true;
    setImmediate(() => {
      this.#pending = false;
      this.#tick(false);
    });
  }

  #tick(withSummary: boolean): void {
    if (this.#stopped) return;
    let summary: FleetSummary;
    try {
      summary = this.summary();
    } catch (error) {
      // Between two flows (a config being applied) there is no booth to read: the next change tells.
      this.#o.logger.debug({ reason: (error as Error).message }, 'fleet: no status now');
      return;
    }
    const alerts: FleetConfig['alerts'] = this.#host.config.fleet.alerts;
    for (const change of this.#latch.update(alertConditions(summary, summary.cashBox, alerts))) {
      const event: AlertEvent = {
        type: 'alert',
        ...change,
        time: summary.time,
        version: summary.version,
        unit: summary.unit,
      };
      this.#o.logger.info(
        { alert: change.alert, active: change.active, reason: change.reason },
        'fleet: alert',
      );
      this.#sink.publishEvent(event, 'alert');
    }
    if (withSummary) this.#sink.publishEvent(summary, 'status');
  }
}

/**
 * `kiosk start`'s fleet: null when `fleet.mqtt` is not set. The broker's address, TLS and
 * topics are taken at start; a changed `fleet.mqtt` applies at the next start (the alert limits
 * apply at once).
 */
export function startFleet(options: {
  host: BoothHost;
  logger: Logger;
  version: string;
  startedAt: number;
}): FleetReporter | null {
  const mqtt: MqttConfig | null = options.host.config.fleet.mqtt;
  if (!mqtt) return null;
  const unit = options.host.config.unit.id;
  // The unit id is a topic level: MQTT's separator and wildcards would put it somewhere else.
  if (/[/#+]/.test(unit) || unit.startsWith('$'))
    throw new Error(`unit.id "${unit}" cannot be an MQTT topic level (no / # + or a leading $)`);
  const link = MqttLink.open({
    config: mqtt,
    unitId: unit,
    version: options.version,
    logger: options.logger,
    now: () => options.host.clock.now(),
  });
  const reporter = new FleetReporter(options.host, link, {
    version: options.version,
    startedAt: options.startedAt,
    statusEveryMs: mqtt.statusEveryMs,
    logger: options.logger,
  });
  reporter.start();
  return reporter;
}
