import { SystemClock, type Clock, type TimerHandle } from '../../../../core/clock.ts';
import type { PayoutFaultCode } from '../../../../core/errors.ts';
import { DeviceError, StatusCell, type Unsubscribe } from '../../../device-status.ts';
import type { CoinHopper, HopperStatus, MinorUnits, PayoutResult } from '../../../hopper/hopper-port.ts';
import { checkPayoutAmount } from '../../../hopper/hopper-rules.ts';
import { maxCoinsPerDispense, type HopperLevelData } from '../driver/cctalk-hopper-data.ts';
import type { CcTalkLink } from '../driver/cctalk-link.ts';
import { hopperError, hopperReasonOf, levelOf, payoutFaultOf } from './cctalk-hopper-faults.ts';
import { HopperWire, type Silent } from './cctalk-hopper-wire.ts';
import { probeCcTalkDevice, type CcTalkIdentity } from './cctalk-identity.ts';

export interface CcTalkHopperOptions {
  /** The ccTalk line; it stays the caller's (close() leaves it open). */
  link: CcTalkLink;
  /** ccTalk hoppers sit at 3 (and up) by default. */
  address?: number;
  /** The one coin it pays, minor units. */
  coinValue: MinorUnits;
  clock?: Clock;
  /** How often a payout's progress is read (166), ms. */
  pollMs?: number;
  /** How often the idle hopper's level (217) is read, which also tells whether it answers, ms. */
  checkMs?: number;
  /** A payout with no new coin for this long is halted (emergency stop, 172), ms. */
  stallMs?: number;
  /** How long the hopper may stay silent during a payout before the booth stops waiting, ms. */
  lostMs?: number;
}

/**
 * A ccTalk payout hopper without encryption as a `CoinHopper`.
 *
 * open() asks who it is (its category must be "Payout"), waits out a payout it may still be
 * making from before a restart, and enables it (164). A payout reads the lifetime count (168),
 * sends dispense (167: the serial number, then the coins, at most 255 a command), follows its
 * progress (166) until no coin remains, reads why it stopped short (163, 217) and the count
 * again: what came out is the difference, the hopper's own count.
 *
 * A dispense is never sent twice by mistake: it goes without the host's retries, and when its
 * reply is lost the hopper's event counter (166) says whether it took the command.
 */
export class CcTalkHopper implements CoinHopper {
  readonly kind = 'cctalk';
  readonly address: number;
  readonly coinValue: MinorUnits;
  readonly #link: CcTalkLink;
  readonly #wire: HopperWire;
  readonly #clock: Clock;
  readonly #checkMs: number;
  readonly #status = new StatusCell<HopperStatus>({
    online: false,
    ready: false,
    reasons: ['closed'],
    level: 'unknown',
  });
  #identity: CcTalkIdentity | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  #opened = false;
  #session = 0;
  #timer: TimerHandle | undefined;
  #failure: string | null = null;
  #openFailure: string | undefined;
  #level: HopperLevelData | undefined;
  #ranDry = false;
  /** The last payout stopped on a jam: not ready until staff open it again. */
  #jammed = false;

  constructor(options: CcTalkHopperOptions) {
    if (!Number.isSafeInteger(options.coinValue) || options.coinValue <= 0) {
      throw new RangeError(
        `a hopper's coin value is a positive whole number of minor units, not ${options.coinValue}`,
      );
    }
    this.#link = options.link;
    this.address = options.address ?? 3;
    this.coinValue = options.coinValue;
    this.#clock = options.clock ?? new SystemClock();
    this.#checkMs = options.checkMs ?? 2_000;
    this.#wire = new HopperWire(this.#link, this.address, this.#clock, {
      pollMs: options.pollMs ?? 100,
      stallMs: options.stallMs ?? 10_000,
      lostMs: options.lostMs ?? 3_000,
    });
  }

  /** `cctalk:hopper:<serial number>` once identified; its address before. */
  get deviceId(): string {
    return this.#identity ? `cctalk:hopper:${this.#identity.serialNumber}` : `cctalk:hopper@${this.address}`;
  }

  get identity(): CcTalkIdentity | undefined {
    return this.#identity;
  }

  status(): HopperStatus {
    return this.#status.get();
  }

  onStatus(listener: (status: HopperStatus) => void): Unsubscribe {
    return this.#status.subscribe(listener);
  }

  async open(): Promise<void> {
    if (this.#opened) return;
    await this.#run(async () => {
      this.#openFailure = undefined;
      this.#jammed = false;
      try {
        const identity = await probeCcTalkDevice(this.#link, this.address);
        if (!/payout|hopper/i.test(identity.category)) {
          throw new DeviceError(
            'hopper',
            'wrong-device',
            `address ${this.address} answers as "${identity.category}", not as a payout hopper`,
          );
        }
        this.#identity = identity;
        // A payout from before a restart finishes first: its coins belong in the count read next.
        await this.#wire.idleStatus();
        await this.#wire.enable(true);
        await this.#readLevel();
        this.#failure = null;
      } catch (error) {
        this.#openFailure = hopperReasonOf(error);
        this.#refresh();
        throw hopperError(error, this.address, 'start-up failed');
      }
      this.#opened = true;
      this.#session++;
    });
    this.#refresh();
    this.#schedule(this.#session);
  }

  /** Waits for a payout under way, disables payout (best effort) and stops checking. */
  async close(): Promise<void> {
    if (!this.#opened) return;
    this.#opened = false;
    this.#session++;
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#run(async () => {
      await this.#wire.enable(false).catch(() => {});
    });
    this.#refresh();
  }

  async dispensedCount(): Promise<number> {
    this.#mustBeOpen();
    return this.#run(async () => {
      try {
        const count = await this.#wire.count();
        this.#answered();
        return count;
      } catch (error) {
        this.#failed(error);
        throw hopperError(error, this.address, 'could not read the dispense count');
      }
    });
  }

  async payout(amount: MinorUnits): Promise<PayoutResult> {
    const coins = checkPayoutAmount(amount, this.coinValue);
    this.#mustBeOpen();
    return this.#run(async () => {
      this.#mustBeOpen();
      let before: number;
      try {
        before = await this.#wire.count();
      } catch (error) {
        this.#failed(error);
        throw hopperError(error, this.address, 'could not read the count before the payout');
      }
      let paid = 0;
      let fault: PayoutFaultCode | undefined;
      while (paid < coins && !fault) {
        const batch = Math.min(coins - paid, maxCoinsPerDispense);
        let started: { counter: number } | { silent: Silent };
        try {
          started = await this.#wire.dispense(this.#identity!.serialNumber, batch);
        } catch (error) {
          // Not taken: no coin of this batch came out. If none came out at all, the call failed.
          if (paid === 0) {
            this.#failed(error);
            throw hopperError(error, this.address, 'the payout could not start');
          }
          fault = hopperReasonOf(error) === 'refused' ? 'refused' : 'hopper-fault';
          break;
        }
        if ('silent' in started) {
          fault = started.silent;
          break;
        }
        const done = await this.#wire.follow(started.counter);
        paid += done.paid;
        if (done.paid < batch) fault = done.fault ?? (await this.#whyShort());
      }
      // The hopper's own count is what came out (after a silence, asked again while it may come
      // back); the status bytes stand in, a lower bound, while it stays silent.
      const silent = fault === 'timeout' || fault === 'disconnected';
      let after: number | undefined;
      try {
        after = silent ? await this.#wire.countSoon() : await this.#wire.count();
        if (after === undefined)
          this.#failure = fault ?? 'timeout'; // still silent
        else this.#answered();
      } catch (error) {
        this.#failed(error);
      }
      if (after !== undefined && after >= before) paid = after - before;
      if (paid >= coins && silent && after !== undefined) fault = undefined; // it all came out
      if (paid < coins) fault ??= 'hopper-fault';
      this.#ranDry = fault === 'empty' || (this.#ranDry && paid === 0);
      if (fault === 'jam') this.#jammed = true;
      if (after !== undefined) await this.#readLevel().catch((error: unknown) => this.#failed(error));
      this.#refresh();
      const result: PayoutResult = { requested: amount, paid: paid * this.coinValue };
      return fault ? { ...result, fault } : result;
    });
  }

  /** Why the last payout stopped short, in the hopper's words (163 flags, 217 level). */
  async #whyShort(): Promise<PayoutFaultCode> {
    try {
      const flags = await this.#wire.flags();
      await this.#readLevel().catch(() => {});
      return payoutFaultOf(flags, this.#level);
    } catch {
      return 'hopper-fault';
    }
  }

  async #readLevel(): Promise<void> {
    this.#level = await this.#wire.level();
    if (this.#level?.low === false) this.#ranDry = false;
  }

  // --- checking while idle ------------------------------------------------------------------------

  #schedule(session: number): void {
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = undefined;
      this.#run(async () => {
        if (!this.#opened || session !== this.#session) return;
        try {
          await this.#readLevel();
          this.#failure = null;
        } catch (error) {
          this.#failed(error);
        }
        this.#refresh();
      })
        .catch(() => {})
        .finally(() => {
          if (this.#opened && session === this.#session) this.#schedule(session);
        });
    }, this.#checkMs);
  }

  // --- plumbing ----------------------------------------------------------------------------------

  /** One thing at a time: a payout, a count, a check. */
  #run<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(work);
    this.#queue = run.catch(() => {});
    return run;
  }

  #mustBeOpen(): void {
    if (!this.#opened)
      throw new DeviceError('hopper', 'closed', `the hopper at address ${this.address} is not open`);
  }

  /** It answers again: a failure from before is over. */
  #answered(): void {
    this.#failure = null;
  }

  #failed(error: unknown): void {
    this.#failure = hopperReasonOf(error);
    this.#refresh();
  }

  #refresh(): void {
    if (!this.#opened) {
      this.#status.set({
        online: false,
        ready: false,
        reasons: this.#openFailure ? ['closed', this.#openFailure] : ['closed'],
        level: 'unknown',
      });
      return;
    }
    const silent = this.#failure === 'timeout' || this.#failure === 'disconnected';
    const level = silent ? 'unknown' : levelOf(this.#level, this.#ranDry);
    const reasons = [
      ...(this.#failure ? [this.#failure] : []),
      ...(this.#jammed ? ['jam'] : []),
      ...(level === 'empty' ? ['empty'] : []),
    ];
    this.#status.set({ online: !silent, ready: !silent && reasons.length === 0, reasons, level });
  }
}
