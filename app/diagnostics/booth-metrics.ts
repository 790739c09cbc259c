import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { isErrorCode } from '../../core/errors.ts';
import type { SessionOutcome } from '../../flows/session/context.ts';
import type { SessionSummary } from '../booth/booth-services.ts';
import type { Booth } from '../booth/booth.ts';
import type { LiveFrame } from '../../hardware/camera/camera-port.ts';
import type { PaymentEvent } from '../../hardware/payment/payment-port.ts';

/** What the metrics read on each scrape (the live booth's devices and vault). */
export interface MetricSources {
  /** The booth's devices now: each with its kind and status, absent ones left out. */
  devices(): { device: string; up: boolean }[];
  mediaRemaining(): number | null;
  vaultBytes(): number;
}

/** Every SessionOutcome (flows/session/context.ts): a closed set, counted from zero. */
const sessionOutcomes: readonly SessionOutcome[] = [
  'completed',
  'owed',
  'declined',
  'walked-away',
  'cancelled',
  'failed',
];
/** A label value from outside the booth's own code (a spec's rule id) must look like an id, or it is `other`. */
const idLabel = /^[a-z0-9][a-z0-9._-]{0,63}$/i;
/** Camera fps is over this window: a live view that stopped shows 0 once it is past. */
const fpsWindowMs = 3_000;

/**
 * The booth's Prometheus metrics, in a registry of its own (the process's default registry is
 * left to libraries), with the Node process's default metrics beside them. Every label is from a
 * closed set (outcomes, payment channels, device kinds, registered error codes, rule ids): never
 * a session, a receipt code or anything a customer typed.
 */
export class BoothMetrics {
  readonly registry = new Registry();
  readonly #sessions: Counter<'outcome'>;
  readonly #credit: Counter<'source'>;
  readonly #prints: Counter;
  readonly #refusals: Counter<'rule'>;
  readonly #errors: Counter<'code'>;
  readonly #coachLatency: Histogram;
  /** Frame times of the last few seconds, for the camera's frame rate. */
  readonly #frames: number[] = [];
  readonly #now: () => number;
  /** Recent coaching latencies (seconds) for the health check's p95, newest last. */
  readonly #recentLatency: number[] = [];
  #sources: MetricSources | null = null;
  #offBooth: Array<() => void> = [];

  constructor(options: { now: () => number; defaultMetrics?: boolean }) {
    this.#now = options.now;
    const registers = [this.registry];
    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry });
    this.#sessions = new Counter({
      name: 'booth_sessions_total',
      help: 'Customer sessions ended, by outcome',
      labelNames: ['outcome'],
      registers,
    });
    this.#credit = new Counter({
      name: 'booth_credit_minor_total',
      help: "Money the payment devices took, in the currency's minor unit, by channel",
      labelNames: ['source'],
      registers,
    });
    this.#prints = new Counter({
      name: 'booth_prints_total',
      help: 'Sheets printed for customers',
      registers,
    });
    this.#refusals = new Counter({
      name: 'booth_photo_refusals_total',
      help: 'Photos sent back at review, one per rule that failed',
      labelNames: ['rule'],
      registers,
    });
    this.#errors = new Counter({
      name: 'booth_errors_total',
      help: 'Session faults and payment faults, by registered error code (core/errors.ts)',
      labelNames: ['code'],
      registers,
    });
    this.#coachLatency = new Histogram({
      name: 'booth_coach_latency_seconds',
      help: 'From a live frame being taken to its coaching being ready',
      buckets: [0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.5, 1],
      registers,
    });
    const sources = () => this.#sources;
    const fps = () => this.cameraFps();
    new Gauge({
      name: 'booth_media_remaining',
      help: 'Prints left with the loaded media (NaN: the printer cannot tell)',
      registers,
      collect() {
        this.set(sources()?.mediaRemaining() ?? Number.NaN);
      },
    });
    new Gauge({
      name: 'booth_camera_fps',
      help: 'Live view frames the coach analysed per second, over the last 3 s (0: no live view)',
      registers,
      collect() {
        this.set(fps());
      },
    });
    new Gauge({
      name: 'booth_device_up',
      help: 'Whether each device is ready (1) or not (0)',
      labelNames: ['device'],
      registers,
      collect() {
        this.reset();
        for (const d of sources()?.devices() ?? []) this.set({ device: d.device }, d.up ? 1 : 0);
      },
    });
    new Gauge({
      name: 'booth_vault_bytes',
      help: "Bytes of customers' photos the vault holds (sealed, until retention wipes them)",
      registers,
      collect() {
        this.set(sources()?.vaultBytes() ?? 0);
      },
    });
    // Zero from the start for the closed label sets, so a rate() has a first sample.
    for (const outcome of sessionOutcomes) this.#sessions.inc({ outcome }, 0);
    for (const source of ['coin', 'bill']) this.#credit.inc({ source }, 0);
  }

  /** Where the scrape-time gauges read from (the host, once its booth runs). */
  readFrom(sources: MetricSources): void {
    this.#sources = sources;
  }

  /** The host's `onSessionEnd`. */
  sessionEnded = (summary: SessionSummary): void => {
    this.#sessions.inc({
      outcome: (sessionOutcomes as readonly string[]).includes(summary.outcome) ? summary.outcome : 'other',
    });
    if (summary.sheetsPrinted > 0) this.#prints.inc(summary.sheetsPrinted);
    for (const rule of summary.refusedRules)
      this.#refusals.inc({ rule: idLabel.test(rule) ? rule : 'other' });
    if (summary.fault) this.error(summary.fault.code);
  };

  /** A fault by its code: a registered one as it is, anything else as `error`. */
  error(code: string): void {
    this.#errors.inc({ code: isErrorCode(code) ? code : 'error' });
  }

  /** Follows each booth the host starts: its payment device's money and faults, its live frames. */
  follow(booth: Booth): void {
    for (const off of this.#offBooth.splice(0)) off();
    this.#offBooth.push(
      booth.devices.payment.onEvent((event) => this.payment(event)),
      booth.onLiveFrame((frame) => this.liveFrame(frame)),
    );
  }

  payment(event: PaymentEvent): void {
    if (event.type === 'credit') this.#credit.inc({ source: event.channel }, event.amount);
    else if (event.type === 'fault') this.error(event.code);
  }

  /** A frame the coach finished with, now. */
  liveFrame(frame: Pick<LiveFrame, 'at'>): void {
    const now = this.#now();
    const latency = Math.max(0, (now - frame.at) / 1000);
    this.#coachLatency.observe(latency);
    this.#recentLatency.push(latency);
    if (this.#recentLatency.length > 200) this.#recentLatency.shift();
    this.#frames.push(now);
    while (this.#frames.length > 0 && this.#frames[0]! < now - fpsWindowMs) this.#frames.shift();
  }

  cameraFps(): number {
    const now = this.#now();
    while (this.#frames.length > 0 && this.#frames[0]! < now - fpsWindowMs) this.#frames.shift();
    return Math.round((this.#frames.length / (fpsWindowMs / 1000)) * 10) / 10;
  }

  /** p95 of the last 200 coaching latencies in seconds, or null before any. */
  coachLatencyP95(): number | null {
    if (this.#recentLatency.length === 0) return null;
    const sorted = [...this.#recentLatency].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))]!;
  }

  /** The Prometheus text exposition. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  stop(): void {
    for (const off of this.#offBooth.splice(0)) off();
  }
}
