import { CcTalkHost } from '../../hardware/payment/cctalk/driver/cctalk-host.ts';
import { CcTalkError, Header, type ChecksumMode } from '../../hardware/payment/cctalk/driver/cctalk-link.ts';
import {
  probeCcTalkDevice,
  type CcTalkIdentity,
} from '../../hardware/payment/cctalk/adapter/cctalk-payment.ts';
import { deviceKindOf } from '../../hardware/payment/cctalk/adapter/cctalk-identity.ts';
import type { CliIO } from './cli-io.ts';
import { UsageError } from './usage.ts';

export interface PaymentCommandOptions {
  args: string[];
  port?: string;
  device?: string;
  address?: number;
  checksum?: string;
  /** `--echo` or `--no-echo`; left out, both are tried. */
  echo?: boolean;
}

/** ccTalk's default addresses: coin acceptors answer at 2, bill validators at 40. */
const defaultAddress = { coin: 2, bill: 40 } as const;

interface LineSettings {
  checksum: ChecksumMode;
  echo: boolean;
}

/**
 * `kiosk payment probe --port PATH`: asks the ccTalk device at an address who it is and how it
 * is, and prints that as one JSON object. Nothing is changed on the device: it is only asked.
 * The line settings left out (checksum, echo) are found: each combination is tried in turn,
 * the usual one first, and the JSON says which answered and what the others got.
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
  const port = options.port;
  const device = options.device ?? 'coin';
  if (device !== 'coin' && device !== 'bill') {
    throw new UsageError(`--device must be "coin" or "bill", not "${device}"`);
  }
  if (options.checksum !== undefined && options.checksum !== 'simple8' && options.checksum !== 'crc16') {
    throw new UsageError(`--checksum must be "simple8" or "crc16", not "${options.checksum}"`);
  }
  const address = options.address ?? defaultAddress[device];
  if (address < 2 || address > 255) throw new UsageError(`--address must be 2 to 255, not ${address}`);

  const checksums: ChecksumMode[] = options.checksum ? [options.checksum] : ['simple8', 'crc16'];
  const echoes = options.echo === undefined ? [true, false] : [options.echo];
  const candidates = checksums.flatMap((checksum) => echoes.map((echo) => ({ checksum, echo })));
  const tried: (LineSettings & { error: string })[] = [];
  let lastError: unknown;
  for (const line of candidates) {
    const outcome = await probeWith(port, address, line);
    if (outcome.kind === 'cannot-open') {
      io.err(`kiosk payment probe: ${outcome.message}`);
      return 1;
    }
    if (outcome.kind === 'answered') {
      const { identity, status } = outcome;
      io.out(
        JSON.stringify({
          port,
          ...line,
          ...identity,
          status,
          ...(candidates.length > 1 ? { tried } : {}),
        }),
      );
      const kind = deviceKindOf(identity.category);
      if (kind !== device) {
        io.err(
          `kiosk payment probe: note: the device at address ${address} says it is "${identity.category}", ` +
            `not a ${device === 'coin' ? 'coin acceptor' : 'bill validator'}`,
        );
      }
      return 0;
    }
    lastError = outcome.error;
    // A device that answered but could not be identified is the answer: other settings would not help.
    if (!(outcome.error instanceof CcTalkError) || outcome.error.code === 'nak') break;
    tried.push({ ...line, error: (outcome.error as Error).message });
  }
  const settings = candidates.map((c) => `${c.checksum} checksum, echo ${c.echo ? 'on' : 'off'}`).join('; ');
  const where = `at address ${address} on ${port} (${settings})`;
  const nothing = lastError instanceof CcTalkError && lastError.code !== 'nak';
  io.err(
    nothing
      ? `kiosk payment probe: no valid reply from a ccTalk device ${where}: ${(lastError as Error).message}. ` +
          'Check the cable, the address, the checksum mode and whether the line echoes (--echo, --no-echo).'
      : `kiosk payment probe: the device ${where} could not be identified: ${(lastError as Error).message}`,
  );
  return 1;
}

type ProbeOutcome =
  | { kind: 'answered'; identity: CcTalkIdentity; status: ProbedStatus & { line: object } }
  | { kind: 'failed'; error: unknown }
  | { kind: 'cannot-open'; message: string };

/** One try at the device with one set of line settings. */
async function probeWith(port: string, address: number, line: LineSettings): Promise<ProbeOutcome> {
  let host: CcTalkHost;
  try {
    host = await CcTalkHost.open(port, line);
  } catch (error) {
    return { kind: 'cannot-open', message: (error as Error).message };
  }
  try {
    const identity = await probeCcTalkDevice(host, address);
    const status = await readStatus(host, address, deviceKindOf(identity.category));
    return { kind: 'answered', identity, status: { ...status, line: host.counters } };
  } catch (error) {
    return { kind: 'failed', error };
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
