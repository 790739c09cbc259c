import { afterEach, describe, expect, it } from 'vitest';
import { CcTalkHost } from '../../../hardware/payment/cctalk/driver/cctalk-host.ts';
import { Header } from '../../../hardware/payment/cctalk/driver/cctalk-link.ts';
import type { CcTalkDeviceSimulator } from '../../../hardware/payment/cctalk/emulators/cctalk-device-simulator.ts';
import { bytes, coinLine, failure, text, type Line, type LineOptions } from './cctalk-line.ts';

const open: Line<CcTalkDeviceSimulator>[] = [];
afterEach(async () => {
  for (const line of open.splice(0)) await line.close();
});

async function line(options: LineOptions = {}) {
  const opened = await coinLine(options);
  open.push(opened);
  return opened;
}

const variants = [
  { checksum: 'simple8', echo: false },
  { checksum: 'simple8', echo: true },
  { checksum: 'crc16', echo: false },
  { checksum: 'crc16', echo: true },
] as const;

describe.each(variants)('CcTalkHost over a pty, $checksum checksum, echo $echo', (variant) => {
  it('reads the device identity', async () => {
    const { host } = await line(variant);
    expect(await host.request(2, Header.SimplePoll)).toEqual(new Uint8Array(0));
    expect(text(await host.request(2, Header.RequestManufacturerId))).toBe('Booth Sim');
    expect(text(await host.request(2, Header.RequestEquipmentCategory))).toBe('Coin Acceptor');
    expect(text(await host.request(2, Header.RequestProductCode))).toBe('SIMCOIN');
    expect(await host.request(2, Header.RequestSerialNumber)).toEqual(bytes(0x56, 0x34, 0x12));
    expect(text(await host.request(2, Header.RequestCoinId, bytes(2)))).toBe('EU100A');
    expect(text(await host.request(2, Header.RequestCoinId, bytes(9)))).toBe('......');
    expect(host.counters).toMatchObject({ commands: 7, retries: 0, noise: 0 });
  });

  it('survives a bad checksum and garbage before a reply', async () => {
    const { host, device } = await line(variant);
    device.faultNextReplies('bad-checksum');
    device.faultNextReplies('garbage');
    expect(text(await host.request(2, Header.RequestEquipmentCategory))).toBe('Coin Acceptor');
    expect(host.counters.retries).toBe(1); // the bad checksum; the garbage was read past
    expect(host.counters.noise).toBeGreaterThanOrEqual(2);
  });
});

describe('CcTalkHost', () => {
  it('sets channel inhibits and the master inhibit, and reads them back', async () => {
    const { host, device } = await line();
    expect(device.accepting).toBe(false);
    await host.request(2, Header.ModifyInhibitStatus, bytes(0b101, 0));
    expect(await host.request(2, Header.RequestInhibitStatus)).toEqual(bytes(0b101, 0));
    await host.request(2, Header.ModifyMasterInhibit, bytes(1));
    expect(device.accepting).toBe(true);
    expect(await host.request(2, Header.RequestMasterInhibitStatus)).toEqual(bytes(1));
    await host.request(2, Header.ModifyMasterInhibit, bytes(0));
    expect(device.accepting).toBe(false);
  });

  it('reads buffered credit after a coin goes in, newest event first', async () => {
    const { host, device } = await line();
    expect(await host.request(2, Header.ReadBufferedCredit)).toEqual(new Uint8Array(11));
    await host.request(2, Header.ModifyInhibitStatus, bytes(0xff, 0xff));
    await host.request(2, Header.ModifyMasterInhibit, bytes(1));
    expect(device.insertCoin(1)).toBe('accepted');
    expect(device.insertCoin(3)).toBe('accepted');
    expect(await host.request(2, Header.ReadBufferedCredit)).toEqual(bytes(2, 3, 0, 1, 0, 0, 0, 0, 0, 0, 0));
  });

  it('sends one command at a time, in call order', async () => {
    const { host } = await line({ echo: true });
    const asked = [
      host.request(2, Header.RequestManufacturerId),
      host.request(2, Header.RequestEquipmentCategory),
      host.request(2, Header.RequestProductCode),
      host.request(2, Header.RequestCoinId, bytes(1)),
      host.request(2, Header.RequestCoinId, bytes(3)),
      host.request(2, Header.SimplePoll),
    ];
    expect((await Promise.all(asked)).map(text)).toEqual([
      'Booth Sim',
      'Coin Acceptor',
      'SIMCOIN',
      'EU050A',
      'EU200A',
      '',
    ]);
    expect(host.counters).toMatchObject({ commands: 6, retries: 0 });
  });

  it('keeps the queue going after a failed request', async () => {
    const { host } = await line();
    const failed = host.request(2, 200);
    const next = host.request(2, Header.RequestProductCode);
    expect((await failure(failed)).code).toBe('nak');
    expect(text(await next)).toBe('SIMCOIN');
  });

  it('refuses a command it cannot frame, without touching the line', async () => {
    const { host } = await line();
    await expect(host.request(300, Header.SimplePoll)).rejects.toThrow(/destination address is a byte/);
    expect(host.counters.commands).toBe(0);
  });

  it('resets the device: counter to 0, everything inhibited again', async () => {
    const { host, device } = await line();
    await host.request(2, Header.ModifyInhibitStatus, bytes(0xff, 0xff));
    await host.request(2, Header.ModifyMasterInhibit, bytes(1));
    device.insertCoin(1);
    expect((await host.request(2, Header.ReadBufferedCredit))[0]).toBe(1);
    await host.request(2, Header.ResetDevice);
    expect((await host.request(2, Header.ReadBufferedCredit))[0]).toBe(0);
    expect(await host.request(2, Header.RequestInhibitStatus)).toEqual(bytes(0, 0));
    expect(device.accepting).toBe(false);
  });
});

describe('CcTalkHost and the line echo', () => {
  it('reads and drops its own command when the line echoes', async () => {
    const { host } = await line({ echo: true });
    expect(text(await host.request(2, Header.RequestEquipmentCategory))).toBe('Coin Acceptor');
    expect(host.counters).toMatchObject({ retries: 0, noise: 0, strayFrames: 0 });
  });

  it('says so clearly when it expects an echo the line does not give', async () => {
    const { host } = await line({ echo: false, hostEcho: true });
    const error = await failure(host.request(2, Header.SimplePoll));
    expect(error.code).toBe('timeout');
    expect(error.message).toMatch(
      /came without the echo of the command; this line does not echo: set echo to false/,
    );
  });

  it('says so clearly when it expects an echo and nothing at all comes back', async () => {
    const { host, device } = await line({ echo: false, hostEcho: true });
    device.faultNextReplies('ignore', 3);
    const error = await failure(host.request(2, Header.SimplePoll));
    expect(error.message).toMatch(
      /the echo of the command \(02 00 01 FE FF\) did not come back within 60 ms/,
    );
  });

  it('says so clearly when the line echoes but it was told it does not', async () => {
    const { host } = await line({ echo: true, hostEcho: false });
    const error = await failure(host.request(2, Header.SimplePoll));
    expect(error.code).toBe('wrong-reply');
    expect(error.message).toMatch(/this line echoes, set echo to true/);
  });
});

describe('Closing the ccTalk host', () => {
  it('fails the request in flight and those queued behind it with "closed"', async () => {
    const { host, device } = await line();
    device.faultNextReplies('ignore', 10);
    const inFlight = host.request(2, Header.SimplePoll);
    const queued = host.request(2, Header.SimplePoll);
    await new Promise((resolve) => setTimeout(resolve, 10));
    await host.close();
    expect((await failure(inFlight)).code).toBe('closed');
    expect((await failure(queued)).message).toMatch(/closed/);
    const after = await failure(host.request(2, Header.SimplePoll));
    expect(after.code).toBe('closed');
    expect(after.message).toMatch(/the ccTalk host was closed/);
  });

  it('fails with "closed" when the line goes away under it', async () => {
    const { host, device, pair } = await line();
    device.faultNextReplies('ignore', 10);
    const inFlight = host.request(2, Header.SimplePoll, undefined, { timeoutMs: 2000 });
    await new Promise((resolve) => setTimeout(resolve, 10));
    await pair.close(); // socat gone: the pty is hung up
    const error = await failure(inFlight);
    expect(error.code).toBe('closed');
    expect(error.message).toMatch(/serial port .* closed/);
  });

  it('will not open a port that is not there', async () => {
    const error = await failure(
      CcTalkHost.open('/dev/no-such-cctalk-port', { checksum: 'simple8', echo: false }),
    );
    expect(error.code).toBe('closed');
    expect(error.message).toMatch(/cannot open the serial port \/dev\/no-such-cctalk-port/);
  });
});
