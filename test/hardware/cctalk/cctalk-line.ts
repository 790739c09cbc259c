import { expect } from 'vitest';
import { CcTalkBillValidatorSimulator } from '../../../hardware/payment/cctalk/emulators/cctalk-bill-validator-simulator.ts';
import { CcTalkCoinAcceptorSimulator } from '../../../hardware/payment/cctalk/emulators/cctalk-coin-acceptor-simulator.ts';
import type {
  CcTalkDeviceSimulator,
  CcTalkSimulatorOptions,
} from '../../../hardware/payment/cctalk/emulators/cctalk-device-simulator.ts';
import { CcTalkHost, type CcTalkHostOptions } from '../../../hardware/payment/cctalk/driver/cctalk-host.ts';
import { CcTalkError, type ChecksumMode } from '../../../hardware/payment/cctalk/driver/cctalk-link.ts';
import { openPtyPair, type PtyPair } from '../../../hardware/payment/cctalk/emulators/pty-pair.ts';
import { SerialTransport } from '../../../hardware/payment/cctalk/driver/serial-transport.ts';

/**
 * Short real-time timing for tests over a pty: a pty delivers at once, so 60 ms for a first
 * byte is ample, and a failing request costs well under half a second.
 */
export const testTiming = { timeoutMs: 60, interByteTimeoutMs: 20, retries: 2 } as const;

export const coins = { 1: 'EU050A', 2: 'EU100A', 3: 'EU200A' } as const;
export const bills = { 1: 'EU0005A', 2: 'EU0010A', 3: 'EU0020A' } as const;

export interface LineOptions {
  readonly checksum?: ChecksumMode;
  /** The simulated line echoes (the device hands back every byte the host sends). */
  readonly echo?: boolean;
  /** What the host is told about echo; by default the truth. */
  readonly hostEcho?: boolean;
  readonly host?: Partial<CcTalkHostOptions>;
  /** How long the simulated device thinks before it answers, ms. */
  readonly replyDelayMs?: number;
  /** The simulated device sends its replies a byte at a time, this many ms apart. */
  readonly replyByteGapMs?: number;
  /** The device's inter-byte timeout, ms (the test timing's by default). */
  readonly deviceInterByteTimeoutMs?: number;
  /** What the device says its manufacturer is. */
  readonly manufacturer?: string;
}

type DeviceLineOptions = Required<
  Pick<CcTalkSimulatorOptions, 'checksum' | 'echo' | 'replyDelayMs' | 'interByteTimeoutMs' | 'replyByteGapMs'>
> &
  Pick<CcTalkSimulatorOptions, 'manufacturer'>;

/** A host and a simulated device at the two ends of a real pty pair made by socat. */
export interface Line<D extends CcTalkDeviceSimulator> {
  readonly pair: PtyPair;
  readonly host: CcTalkHost;
  readonly device: D;
  close(): Promise<void>;
}

async function openLine<D extends CcTalkDeviceSimulator>(
  makeDevice: (transport: SerialTransport, device: DeviceLineOptions) => D,
  options: LineOptions,
): Promise<Line<D>> {
  const checksum = options.checksum ?? 'simple8';
  const echo = options.echo ?? false;
  const pair = await openPtyPair();
  const device = makeDevice(await SerialTransport.open(pair.devicePath), {
    checksum,
    echo,
    replyDelayMs: options.replyDelayMs ?? 0,
    interByteTimeoutMs: options.deviceInterByteTimeoutMs ?? testTiming.interByteTimeoutMs,
    replyByteGapMs: options.replyByteGapMs ?? 0,
    ...(options.manufacturer === undefined ? {} : { manufacturer: options.manufacturer }),
  });
  const host = await CcTalkHost.open(pair.hostPath, {
    checksum,
    echo: options.hostEcho ?? echo,
    ...testTiming,
    ...options.host,
  });
  return {
    pair,
    host,
    device,
    async close() {
      await host.close();
      await device.close();
      await pair.close();
    },
  };
}

export function coinLine(options: LineOptions = {}): Promise<Line<CcTalkCoinAcceptorSimulator>> {
  return openLine(
    (transport, device) => new CcTalkCoinAcceptorSimulator(transport, { ...device, coins }),
    options,
  );
}

export function billLine(options: LineOptions = {}): Promise<Line<CcTalkBillValidatorSimulator>> {
  return openLine(
    (transport, device) => new CcTalkBillValidatorSimulator(transport, { ...device, bills }),
    options,
  );
}

export const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
export const bytes = (...values: number[]) => Uint8Array.from(values);

/** The CcTalkError a request rejects with (fails the test if it resolves). */
export async function failure(request: Promise<unknown>): Promise<CcTalkError> {
  const error = await request.then(
    () => new Error('the request succeeded'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CcTalkError);
  return error as CcTalkError;
}
