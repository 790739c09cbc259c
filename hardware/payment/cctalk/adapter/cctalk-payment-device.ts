import type { Clock } from '../../../../core/clock.ts';
import type { CcTalkPaymentConfig } from '../cctalk-config.ts';
import type { LineCounters } from '../driver/cctalk-host.ts';
import type { CcTalkLink, RequestOptions } from '../driver/cctalk-link.ts';
import { CcTalkPayment, type EventCounterStore } from './cctalk-payment.ts';
import type { PaymentDevice } from '../../payment-port.ts';
import type { CcTalkEmulators } from '../emulators/cctalk-emulators.ts';
import { ccTalkLines, type CcTalkLines, type OpenLine } from './cctalk-shared-line.ts';

export type { OpenLine } from './cctalk-shared-line.ts';

/** Sees each reply before the adapter does (the simulator times its device faults by it). */
export type ReplyTap = (address: number, header: number, reply: Uint8Array) => void;

/**
 * A ccTalk link that opens its serial line at the first command, so the booth's devices can be
 * built without I/O and a port that is missing at start-up is tried again later (not more often
 * than every `retryMs`). Every exchange is registered with the clock: on simulated time
 * (`kiosk simulate`) the clock waits for the real serial I/O before it moves on, so the
 * adapter's polling on simulated time and the line's real-time timeouts fit together.
 */
export class DeferredCcTalkLink implements CcTalkLink {
  readonly #opener: () => Promise<OpenLine>;
  readonly #clock: Clock;
  readonly #retryMs: number;
  readonly #onReply: ReplyTap | undefined;
  #line: Promise<OpenLine> | undefined;
  #open: OpenLine | undefined;
  #failedAt = 0;

  constructor(
    open: () => Promise<OpenLine>,
    options: { clock: Clock; retryMs?: number; onReply?: ReplyTap },
  ) {
    this.#opener = open;
    this.#clock = options.clock;
    this.#retryMs = options.retryMs ?? 2_000;
    this.#onReply = options.onReply;
  }

  request(address: number, header: number, data?: Uint8Array, options?: RequestOptions): Promise<Uint8Array> {
    const exchange = this.#opened()
      .then((line) => line.link.request(address, header, data, options))
      .then((reply) => {
        this.#onReply?.(address, header, reply);
        return reply;
      });
    return this.#clock.track(exchange);
  }

  /** Closes the line if it is open; a later command opens it again. */
  async close(): Promise<void> {
    const line = this.#line;
    this.#line = undefined;
    this.#open = undefined;
    this.#failedAt = 0;
    const open = await line?.catch(() => undefined);
    if (open) await this.#clock.track(open.close());
  }

  /** The open line's counters; null while it is not open. */
  counters(): Readonly<LineCounters> | null {
    return this.#open?.counters?.() ?? null;
  }

  #opened(): Promise<OpenLine> {
    const line = this.#line;
    if (line && !(this.#failedAt > 0 && Date.now() - this.#failedAt >= this.#retryMs)) return line;
    this.#failedAt = 0;
    const opening = this.#opener();
    this.#line = opening;
    opening.then(
      (open) => {
        if (this.#line === opening) this.#open = open;
      },
      () => {
        if (this.#line === opening) this.#failedAt = Date.now();
      },
    );
    return opening;
  }
}

export interface CcTalkPaymentDeps {
  clock: Clock;
  currency: string;
  /** Where each device's last event counter is kept (the credit journal). */
  counters: EventCounterStore;
  /**
   * Emulators already running (`kiosk simulate` drives them). Without them, `port: "simulator"`
   * starts its own on the first command and stops them on close.
   */
  emulators?: CcTalkEmulators;
  onReply?: ReplyTap;
  /** The booth's ccTalk lines (the process's own by default): a hopper on the port shares it. */
  lines?: CcTalkLines;
}

/** A ccTalk payment device that owns its line. */
export interface CcTalkPaymentDevice extends PaymentDevice {
  /** What the host has seen on the line since it opened; null while the line is not open. */
  lineCounters(): Readonly<LineCounters> | null;
}

/** The ccTalk payment device a `hardware.payment` cctalk config describes. */
export function createCcTalkPayment(
  payment: CcTalkPaymentConfig,
  deps: CcTalkPaymentDeps,
): CcTalkPaymentDevice {
  // The line is leased, not owned: a hopper on the same port shares its host (cctalk-shared-line.ts).
  const lines = deps.lines ?? ccTalkLines;
  const link = new DeferredCcTalkLink(() => lines.lease(payment, deps.emulators), {
    clock: deps.clock,
    onReply: deps.onReply,
  });
  const device = new CcTalkPayment({
    link,
    currency: deps.currency,
    coin: payment.coin ?? undefined,
    bill: payment.bill ?? undefined,
    counters: deps.counters,
    pollMs: payment.pollMs,
    clock: deps.clock,
  });
  return closingLine(device, link);
}

/**
 * `device`, whose close also closes its line (and the emulators behind a simulated one): the
 * adapter leaves the line to its owner, and here the booth's device owns it.
 */
function closingLine(device: PaymentDevice, link: DeferredCcTalkLink): CcTalkPaymentDevice {
  return {
    lineCounters: () => link.counters(),
    get kind() {
      return device.kind;
    },
    get deviceId() {
      return device.deviceId;
    },
    open: () => device.open(),
    close: async () => {
      try {
        await device.close();
      } finally {
        await link.close();
      }
    },
    status: () => device.status(),
    onStatus: (listener) => device.onStatus(listener),
    onEvent: (listener) => device.onEvent(listener),
    setAcceptance: (enabled) => device.setAcceptance(enabled),
    stackEscrow: (ref) => device.stackEscrow(ref),
    returnEscrow: (ref) => device.returnEscrow(ref),
  };
}
