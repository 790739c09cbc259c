import type { Clock } from '../../../../core/clock.ts';
import type { PayoutFaultCode } from '../../../../core/errors.ts';
import { DeviceError } from '../../../device-status.ts';
import { EnableHopperCode, type HopperFlagName } from '../driver/cctalk-codes.ts';
import {
  decodeDispenseCount,
  decodeHopperFlags,
  decodeHopperStatus,
  decodeLevel,
  encodeDispense,
  type HopperLevelData,
  type HopperStatusData,
} from '../driver/cctalk-hopper-data.ts';
import { CcTalkError, Header, type CcTalkLink } from '../driver/cctalk-link.ts';
import { hopperReasonOf } from './cctalk-hopper-faults.ts';

/** The hopper went silent: how many coins came out is known only once it answers (168). */
export type Silent = 'timeout' | 'disconnected';

/** What one dispense command paid, and why it stopped short; `silent` when the hopper went quiet. */
export interface Followed {
  readonly paid: number;
  readonly fault?: PayoutFaultCode;
  readonly silent?: boolean;
}

export interface HopperTiming {
  /** How often a payout's progress is read (166), ms of clock time. */
  readonly pollMs: number;
  /** A payout with no new coin for this long is halted (emergency stop, 172). */
  readonly stallMs: number;
  /** How long the hopper may stay silent during a payout before the booth stops waiting. */
  readonly lostMs: number;
}

/** How many times a dispense whose reply was lost (and that the hopper did not take) is sent. */
const dispenseAttempts = 3;

/**
 * The hopper's commands on a ccTalk line, and the two exchanges that take more than one
 * command: getting a dispense taken exactly once, and following a payout to its end.
 */
export class HopperWire {
  constructor(
    private readonly link: CcTalkLink,
    readonly address: number,
    private readonly clock: Clock,
    private readonly timing: HopperTiming,
  ) {}

  async status(): Promise<HopperStatusData> {
    return decodeHopperStatus(await this.link.request(this.address, Header.RequestHopperStatus));
  }

  async count(): Promise<number> {
    return decodeDispenseCount(await this.link.request(this.address, Header.RequestHopperDispenseCount));
  }

  async enable(on: boolean): Promise<void> {
    await this.link.request(this.address, Header.EnableHopper, Uint8Array.of(on ? EnableHopperCode : 0));
  }

  async flags(): Promise<Set<HopperFlagName>> {
    return decodeHopperFlags(await this.link.request(this.address, Header.TestHopper));
  }

  /** The level sensors (217); undefined for a hopper that does not know the command. */
  async level(): Promise<HopperLevelData | undefined> {
    try {
      return decodeLevel(await this.link.request(this.address, Header.RequestPayoutHighLowStatus));
    } catch (error) {
      if (error instanceof CcTalkError && error.code === 'nak') return undefined;
      throw error;
    }
  }

  /**
   * Gets a dispense of `coins` taken by the hopper whose serial number is `serial`, and gives
   * its event counter for it. The command goes without the host's retries: when its reply is
   * lost, the hopper's event counter (166) tells a command it took from one it never heard, so
   * a lost reply never pays twice. Rejects when it was not taken (NAK, or failing every time);
   * `silent` when the hopper stopped answering and whether it took it is not known.
   */
  async dispense(serial: number, coins: number): Promise<{ counter: number } | { silent: Silent }> {
    let before = await this.idleStatus();
    await this.enable(true);
    for (let attempt = 1; ; attempt++) {
      let failure: unknown;
      try {
        const reply = await this.link.request(
          this.address,
          Header.DispenseHopperCoins,
          encodeDispense(serial, coins),
          { retries: 0 },
        );
        // SCH2-style hoppers answer with the new event counter, SCH1-style ones with a bare ACK.
        return { counter: reply.length >= 1 ? reply[0]! : (await this.status()).eventCounter };
      } catch (error) {
        if (error instanceof CcTalkError && error.code === 'nak') {
          throw new DeviceError(
            'hopper',
            'refused',
            `the hopper at address ${this.address} refused to dispense ${coins} coins (NAK)`,
          );
        }
        failure = error;
      }
      const now = await this.#statusWithin();
      if (!now) return { silent: silentAs(failure) };
      if (now.eventCounter !== before.eventCounter && now.eventCounter !== 0)
        return { counter: now.eventCounter };
      if (attempt >= dispenseAttempts) throw failure;
      if (now.eventCounter === 0 && before.eventCounter !== 0) {
        // It was reset in between (a power-up): enabled again, it takes the command afresh.
        await this.enable(true);
        before = now;
      }
    }
  }

  /**
   * Reads the status (166) every `pollMs` until the payout with event counter `counter` is
   * over. A payout that makes no progress for `stallMs` is halted with an emergency stop.
   */
  async follow(counter: number): Promise<Followed> {
    let paid = 0;
    let progressAt = this.clock.now();
    let silentSince: number | undefined;
    for (;;) {
      await this.clock.sleep(this.timing.pollMs);
      let status: HopperStatusData;
      try {
        status = await this.status();
        silentSince = undefined;
      } catch (error) {
        silentSince ??= this.clock.now();
        if (this.clock.now() - silentSince < this.timing.lostMs) continue;
        return { paid, fault: silentAs(error), silent: true };
      }
      // Another counter (back at 0) is a reset: the power went and took the payout with it.
      if (status.eventCounter !== counter) return { paid, fault: 'power-down' };
      if (status.paid > paid) {
        paid = status.paid;
        progressAt = this.clock.now();
      }
      if (status.remaining === 0) return { paid: status.paid };
      if (this.clock.now() - progressAt >= this.timing.stallMs) {
        await this.link.request(this.address, Header.EmergencyStop).catch(() => {});
        const stopped = await this.status().catch(() => status);
        return { paid: stopped.paid, fault: 'stalled' };
      }
    }
  }

  /**
   * The status once the hopper is idle: a payout it is still making (one a crashed booth
   * started) is followed to its end first, so a count read after this is final.
   */
  async idleStatus(): Promise<HopperStatusData> {
    const status = await this.status();
    if (status.remaining === 0) return status;
    const done = await this.follow(status.eventCounter);
    if (done.silent) {
      throw new DeviceError(
        'hopper',
        done.fault === 'disconnected' ? 'disconnected' : 'timeout',
        `the hopper at address ${this.address} went silent during a payout it was making`,
      );
    }
    return this.status();
  }

  /** The dispense count, asked again for up to `lostMs` while the hopper does not answer. */
  countSoon(): Promise<number | undefined> {
    return this.#within(() => this.count());
  }

  /** The status, asked again for up to `lostMs` while the hopper does not answer. */
  #statusWithin(): Promise<HopperStatusData | undefined> {
    return this.#within(() => this.status());
  }

  async #within<T>(ask: () => Promise<T>): Promise<T | undefined> {
    const until = this.clock.now() + this.timing.lostMs;
    for (;;) {
      try {
        return await ask();
      } catch {
        if (this.clock.now() >= until) return undefined;
        await this.clock.sleep(this.timing.pollMs);
      }
    }
  }
}

function silentAs(error: unknown): Silent {
  return hopperReasonOf(error) === 'disconnected' ? 'disconnected' : 'timeout';
}
