import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { DispenseCountFile } from '../../../hardware/hopper/dispense-count-file.ts';
import {
  decodeHopperFlags,
  decodeHopperStatus,
} from '../../../hardware/payment/cctalk/driver/cctalk-hopper-data.ts';
import { CcTalkHost } from '../../../hardware/payment/cctalk/driver/cctalk-host.ts';
import { encodeFrame } from '../../../hardware/payment/cctalk/driver/cctalk-frame.ts';
import { Header } from '../../../hardware/payment/cctalk/driver/cctalk-link.ts';
import { SerialTransport } from '../../../hardware/payment/cctalk/driver/serial-transport.ts';
import { CcTalkHopperSimulator } from '../../../hardware/payment/cctalk/emulators/cctalk-hopper-simulator.ts';
import { openPtyPair } from '../../../hardware/payment/cctalk/emulators/pty-pair.ts';
import { hopperSerial, openHopperBus, type HopperBus } from './cctalk-hopper-bus.ts';
import { bytes, failure, text } from './cctalk-line.ts';

const dir = mkdtempSync(join(tmpdir(), 'cctalk-hopper-sim-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The serial number bytes (LSB first) a dispense to the test hopper carries. */
const serial = [hopperSerial & 0xff, (hopperSerial >> 8) & 0xff, hopperSerial >> 16];
const at = 3;

let bus: HopperBus;
afterEach(async () => {
  await bus?.close();
});

const status = async () => decodeHopperStatus(await bus.host.request(at, Header.RequestHopperStatus));
const flags = async () => [...decodeHopperFlags(await bus.host.request(at, Header.TestHopper))].sort();
const enable = () => bus.host.request(at, Header.EnableHopper, bytes(165));
const dispense = (coins: number) => bus.host.request(at, Header.DispenseHopperCoins, bytes(...serial, coins));
/** Waits (real time, the emulator pays in real time) until the payout under way is over. */
async function payoutOver(): Promise<void> {
  while ((await status()).remaining > 0) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('the ccTalk hopper emulator, on the wire', () => {
  it('says who it is: category Payout, its serial number, and answers the coin acceptor beside it apart', async () => {
    bus = await openHopperBus();
    expect(text(await bus.host.request(at, Header.RequestEquipmentCategory))).toBe('Payout');
    expect([...(await bus.host.request(at, Header.RequestSerialNumber))]).toEqual(serial);
    expect(text(await bus.host.request(at, Header.RequestProductCode))).toBe('SIMHOP');
    expect(text(await bus.host.request(2, Header.RequestEquipmentCategory))).toBe('Coin Acceptor');
    // The raw frame of the hopper's reply to 166 at power-up: to the host (1), 4 bytes, from 3.
    const frames: number[][] = [];
    await bus.host.close(); // one owner of the port: the raw reader takes the host's place
    const transport = await SerialTransport.open(bus.pair.hostPath);
    transport.onData((chunk) => frames.push([...chunk]));
    await transport.write(
      encodeFrame({ destination: at, source: 1, header: Header.RequestHopperStatus }, 'simple8'),
    );
    while (frames.flat().length < 9) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(frames.flat()).toEqual([
      ...encodeFrame({ destination: 1, source: at, header: 0, data: bytes(0, 0, 0, 0) }, 'simple8'),
    ]);
    await transport.close();
  });

  it('pays only once enabled (164 with 165), and only for its own serial number', async () => {
    bus = await openHopperBus();
    expect(await flags()).toEqual(['PayoutDisabled', 'PowerUp']);
    expect((await failure(dispense(2))).code).toBe('nak'); // not enabled
    await enable();
    expect(await flags()).toEqual([]);
    const wrongSerial = bus.host.request(
      at,
      Header.DispenseHopperCoins,
      bytes(serial[0]! ^ 1, serial[1]!, serial[2]!, 2),
    );
    expect((await failure(wrongSerial)).code).toBe('nak');
    expect((await failure(bus.host.request(at, Header.DispenseHopperCoins, bytes(...serial, 0)))).code).toBe(
      'nak',
    );
    expect((await failure(bus.host.request(at, Header.DispenseHopperCoins, bytes(2)))).code).toBe('nak');
    expect(bus.hopper.dispensed).toBe(0);
    await bus.host.request(at, Header.EnableHopper, bytes(0));
    expect(await flags()).toEqual(['PayoutDisabled']);
    expect((await failure(dispense(1))).code).toBe('nak');
  });

  it('takes a dispense with its event counter, pays coin by coin, and counts them (166, 168)', async () => {
    bus = await openHopperBus();
    await enable();
    expect([...(await dispense(3))]).toEqual([1]); // the event counter after the command
    expect((await failure(dispense(1))).code).toBe('nak'); // one payout at a time
    const seen: number[] = [];
    bus.hopper.onCoin((n) => seen.push(n));
    await payoutOver();
    expect(seen).toEqual([1, 2, 3]);
    expect(await status()).toEqual({ eventCounter: 1, remaining: 0, paid: 3, unpaid: 0 });
    expect([...(await bus.host.request(at, Header.RequestHopperDispenseCount))]).toEqual([3, 0, 0]);
    expect([...(await dispense(2))]).toEqual([2]);
    await payoutOver();
    expect(await status()).toEqual({ eventCounter: 2, remaining: 0, paid: 2, unpaid: 0 });
    expect(bus.hopper.coins).toBe(45);
  });

  it('stops at an emergency stop (172), saying how many coins it did not pay', async () => {
    bus = await openHopperBus({ hopper: { coinMs: 40 } });
    await enable();
    await dispense(20);
    while ((await status()).paid < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    const [unpaid] = await bus.host.request(at, Header.EmergencyStop);
    const after = await status();
    expect(after.remaining).toBe(0);
    expect(after.unpaid).toBe(unpaid);
    expect(after.paid + after.unpaid).toBe(20);
    expect(bus.hopper.dispensed).toBe(after.paid);
  });

  it('runs dry part-way: a payout timeout, level below its low sensor (217), coins unpaid', async () => {
    bus = await openHopperBus({ hopper: { coins: 20, lowLevel: 5 } });
    expect([...(await bus.host.request(at, Header.RequestPayoutHighLowStatus))]).toEqual([0b1_0000]);
    await enable();
    bus.hopper.failNextPayout('empty', 2);
    await dispense(6);
    await payoutOver();
    expect(await status()).toEqual({ eventCounter: 1, remaining: 0, paid: 2, unpaid: 4 });
    expect(await flags()).toEqual(['PayoutTimeout']);
    expect([...(await bus.host.request(at, Header.RequestPayoutHighLowStatus))]).toEqual([0b1_0001]);
    expect(bus.hopper.coins).toBe(0);
  });

  it('jams: exit opto blocked, motor reversed to its limit; it stays jammed until cleared', async () => {
    bus = await openHopperBus();
    await enable();
    bus.hopper.failNextPayout('jam', 1);
    await dispense(4);
    await payoutOver();
    expect(await status()).toMatchObject({ paid: 1, unpaid: 3 });
    expect(await flags()).toEqual([
      'MotorReverseLimit',
      'MotorReversedToClearJam',
      'OptoBlockedDuringPayout',
    ]);
    await dispense(2);
    await payoutOver();
    expect(await status()).toMatchObject({ eventCounter: 2, paid: 0, unpaid: 2 });
    bus.hopper.clearJam();
    await dispense(2);
    await payoutOver();
    expect(await status()).toMatchObject({ eventCounter: 3, paid: 2, unpaid: 0 });
    expect(await flags()).toEqual([]); // a new payout starts without the last one's flags
  });

  it('pays short on a payout timeout with coins still in it (a stuck coin)', async () => {
    bus = await openHopperBus({ hopper: { coins: 30, lowLevel: 5 } });
    await enable();
    bus.hopper.failNextPayout('short', 3);
    await dispense(5);
    await payoutOver();
    expect(await status()).toMatchObject({ paid: 3, unpaid: 2 });
    expect(await flags()).toEqual(['PayoutTimeout']);
    expect([...(await bus.host.request(at, Header.RequestPayoutHighLowStatus))]).toEqual([0b1_0000]); // not low
  });

  it('a power cut mid-payout stops it: event counter 0, power-down flag, payout disabled, count kept', async () => {
    bus = await openHopperBus({ hopper: { coinMs: 30 } });
    await enable();
    await dispense(10);
    while ((await status()).paid < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    bus.hopper.powerCycle();
    const after = await status();
    expect(after).toMatchObject({ eventCounter: 0, remaining: 0 });
    expect(after.paid + after.unpaid).toBe(10);
    expect(await flags()).toEqual(['PayoutDisabled', 'PowerDownDuringPayout', 'PowerUp']);
    expect(bus.hopper.dispensed).toBe(after.paid);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(bus.hopper.dispensed).toBe(after.paid); // no coin after the power went
  });
});

describe('the hopper emulator keeps its count in its state file', () => {
  it('writes each coin (0600) before it counts it, and a new emulator on the file goes on from there', async () => {
    const stateFile = join(dir, 'hopper-nv');
    const pair = await openPtyPair();
    try {
      const first = new CcTalkHopperSimulator(await SerialTransport.open(pair.devicePath), {
        checksum: 'simple8',
        stateFile,
        coinMs: 5,
      });
      expect(statSync(stateFile).mode & 0o777).toBe(0o600);
      const inFile: number[] = [];
      first.onCoin(() => {
        const nv = DispenseCountFile.open(stateFile);
        inFile.push(nv.count);
        nv.close();
      });
      const host = await CcTalkHost.open(pair.hostPath, { checksum: 'simple8', echo: false, timeoutMs: 60 });
      await host.request(3, Header.EnableHopper, bytes(165));
      // The emulator's default serial number, 0x123456, LSB first.
      await host.request(3, Header.DispenseHopperCoins, bytes(0x56, 0x34, 0x12, 4));
      while (first.remaining > 0) await new Promise((resolve) => setTimeout(resolve, 5));
      // Each coin was in the file by the time it was told.
      expect(inFile).toEqual([1, 2, 3, 4]);
      await host.close();
      await first.close();
      const second = new CcTalkHopperSimulator(await SerialTransport.open(pair.devicePath), {
        checksum: 'simple8',
        stateFile,
      });
      expect(second.dispensed).toBe(4);
      await second.close();
    } finally {
      await pair.close();
    }
  });
});
