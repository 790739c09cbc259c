import { CcTalkHost } from '../../hardware/payment/cctalk/driver/cctalk-host.ts';
import { CcTalkError, Header, type ChecksumMode } from '../../hardware/payment/cctalk/driver/cctalk-link.ts';
import { probeCcTalkDevice } from '../../hardware/payment/cctalk/adapter/cctalk-payment.ts';
import { deviceKindOf } from '../../hardware/payment/cctalk/adapter/cctalk-identity.ts';
import type { CliIO } from './cli-io.ts';
import { UsageError } from './usage.ts';

export interface PaymentCommandOptions {
  args: string[];
  port?: string;
  device?: string;
  address?: number;
  checksum?: string;
  echo: boolean;
}

/** ccTalk's default addresses: coin acceptors answer at 2, bill validators at 40. */
const defaultAddress = { coin: 2, bill: 40 } as const;

/**
 * `kiosk payment probe --port PATH`: asks the ccTalk device at an address who it is and how it
 * is, and prints that as one JSON object. Nothing is changed on the device: it is only asked.
 */
export async function runPayment(options: PaymentCommandOptions, io: CliIO): Promise<number> {
  const [sub, ...extra] = options.args;
  if (sub !== 'probe') {
    throw new UsageError(
      sub === undefined ? 'payment needs a subcommand: probe' : `unknown payment subcommand "${sub}"`,
    );
  }
  if (extra.length > 0) throw new UsageError(`payment probe takes no arguments, not "${extra.join(' ')}"`);
  if (!options.port) throw new UsageError('payment probe needs --port PATH (e.g. /dev/ttyUSB0)');
  const device = options.device ?? 'coin';
  if (device !== 'coin' && device !== 'bill') {
    throw new UsageError(`--device must be "coin" or "bill", not "${device}"`);
  }
  const checksum = (options.checksum ?? 'simple8') as ChecksumMode;
  if (checksum !== 'simple8' && checksum !== 'crc16') {
    throw new UsageError(`--checksum must be "simple8" or "crc16", not "${options.checksum}"`);
  }
  const address = options.address ?? defaultAddress[device];
  if (address < 2 || address > 255) throw new UsageError(`--address must be 2 to 255, not ${address}`);

  const where = `at address ${address} on ${options.port} (${checksum} checksum, echo ${options.echo ? 'on' : 'off'})`;
  let host: CcTalkHost;
  try {
    host = await CcTalkHost.open(options.port, { checksum, echo: options.echo });
  } catch (error) {
    io.err(`kiosk payment probe: ${(error as Error).message}`);
    return 1;
  }
  try {
    const identity = await probeCcTalkDevice(host, address);
    const kind = deviceKindOf(identity.category);
    const status = await readStatus(host, address, kind);
    io.out(
      JSON.stringify({
        port: options.port,
        checksum,
        echo: options.echo,
        ...identity,
        status: { ...status, line: host.counters },
      }),
    );
    if (kind !== device) {
      io.err(
        `kiosk payment probe: note: the device at address ${address} says it is "${identity.category}", ` +
          `not a ${device === 'coin' ? 'coin acceptor' : 'bill validator'}`,
      );
    }
    return 0;
  } catch (error) {
    const nothing = error instanceof CcTalkError && error.code !== 'nak';
    io.err(
      nothing
        ? `kiosk payment probe: no valid reply from a ccTalk device ${where}: ${error.message}. ` +
            'Check the cable, the address, the checksum mode and whether the line echoes (--no-echo).'
        : `kiosk payment probe: the device ${where} could not be identified: ${(error as Error).message}`,
    );
    return 1;
  } finally {
    await host.close();
  }
}

interface ProbedStatus {
  /** Self-check (232) fault code; 0 is no fault. Null when the device would not say. */
  selfCheckFault: number | null;
  /** Channels enabled by the inhibit mask (1 to 16). */
  enabledChannels: number[] | null;
  /** The event counter of buffered credit (229) or bill events (159); 0 right after power-up or reset. */
  eventCounter: number | null;
}

/** What the device says about itself beyond its identity; a question it NAKs is left null. */
async function readStatus(
  host: CcTalkHost,
  address: number,
  kind: 'coin' | 'bill' | undefined,
): Promise<ProbedStatus> {
  const ask = async (header: number): Promise<Uint8Array | null> => {
    try {
      return await host.request(address, header);
    } catch (error) {
      if (error instanceof CcTalkError && error.code === 'nak') return null;
      throw error;
    }
  };
  const selfCheck = await ask(Header.PerformSelfCheck);
  const inhibits = await ask(Header.RequestInhibitStatus);
  const eventsHeader =
    kind === 'bill' ? Header.ReadBufferedBillEvents : kind === 'coin' ? Header.ReadBufferedCredit : null;
  const events = eventsHeader === null ? null : await ask(eventsHeader);
  const mask = inhibits && inhibits.length >= 2 ? inhibits[0]! | (inhibits[1]! << 8) : null;
  return {
    selfCheckFault: selfCheck && selfCheck.length > 0 ? selfCheck[0]! : null,
    enabledChannels:
      mask === null
        ? null
        : Array.from({ length: 16 }, (_, i) => i + 1).filter((ch) => mask & (1 << (ch - 1))),
    eventCounter: events && events.length > 0 ? events[0]! : null,
  };
}
