import { afterEach, describe, expect, it } from 'vitest';
import { Header } from '../../../hardware/payment/cctalk/driver/cctalk-link.ts';
import { probeCcTalkDevice } from '../../../hardware/payment/cctalk/adapter/cctalk-identity.ts';
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

describe('CcTalkHost when the line or the device misbehaves', () => {
  it('turns NAK into a CcTalkError at once, without retrying', async () => {
    const { host, device } = await line();
    const error = await failure(host.request(2, 200));
    expect(error.code).toBe('nak');
    expect(error.message).toMatch(/header 200 to address 2: the device answered NAK/);
    expect(device.commandsReceived).toBe(1);
    // A command the device knows, with the wrong data, is refused too.
    expect((await failure(host.request(2, Header.ModifyMasterInhibit))).code).toBe('nak');
  });

  it('retries BUSY and gives up with "busy" when the device stays busy', async () => {
    const { host, device } = await line();
    device.faultNextReplies('busy', 2);
    await host.request(2, Header.SimplePoll);
    expect(host.counters.retries).toBe(2);
    device.faultNextReplies('busy', 3);
    const error = await failure(host.request(2, Header.SimplePoll));
    expect(error.code).toBe('busy');
    expect(error.message).toMatch(
      /SimplePoll \(header 254\) to address 2: the device answered BUSY \(3 attempts\)/,
    );
  });

  it('times out when the device does not answer, after every retry', async () => {
    const { host, device } = await line();
    device.faultNextReplies('ignore', 3);
    const startedAt = Date.now();
    const error = await failure(host.request(2, Header.SimplePoll));
    expect(error.code).toBe('timeout');
    expect(error.message).toMatch(/no reply within 60 ms \(3 attempts\)/);
    expect(device.commandsReceived).toBe(3);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(3 * 60);
    expect(Date.now() - startedAt).toBeLessThan(1000);
  });

  it('gets the reply on a retry after a lost one, and honours per-request retries', async () => {
    const { host, device } = await line();
    device.faultNextReplies('drop');
    expect(text(await host.request(2, Header.RequestProductCode))).toBe('SIMCOIN');
    expect(host.counters.retries).toBe(1);
    device.faultNextReplies('ignore');
    expect((await failure(host.request(2, Header.SimplePoll, undefined, { retries: 0 }))).message).toMatch(
      /\(1 attempt\)/,
    );
    expect(device.commandsReceived).toBe(3);
  });

  it('fails with "bad-checksum" when every reply is broken', async () => {
    const { host, device } = await line({ checksum: 'crc16' });
    device.faultNextReplies('bad-checksum', 3);
    const error = await failure(host.request(2, Header.SimplePoll));
    expect(error.code).toBe('bad-checksum');
    expect(error.message).toMatch(/only a broken one/);
  });

  it('times out when host and device disagree on the checksum', async () => {
    const { host } = await line({ checksum: 'simple8', host: { checksum: 'crc16' } });
    // The device cannot read the host's CRC frames, so it says nothing.
    expect((await failure(host.request(2, Header.SimplePoll))).code).toBe('timeout');
  });

  it('refuses a reply from another address with "wrong-reply", and takes the right one on retry', async () => {
    const { host, device } = await line();
    device.faultNextReplies('misaddressed');
    await host.request(2, Header.SimplePoll);
    expect(host.counters.retries).toBe(1);
    device.faultNextReplies('misaddressed', 3);
    const error = await failure(host.request(2, Header.SimplePoll));
    expect(error.code).toBe('wrong-reply');
    expect(error.message).toMatch(/addressed to 1 from 3, not to the host \(1\) from the device \(2\)/);
  });

  it('spots a misaddressed CRC reply by its destination', async () => {
    const { host, device } = await line({ checksum: 'crc16' });
    device.faultNextReplies('misaddressed', 3);
    expect((await failure(host.request(2, Header.SimplePoll))).code).toBe('wrong-reply');
  });

  it('ignores garbage on the line between requests', async () => {
    const { host, device } = await line({ echo: true });
    await host.request(2, Header.SimplePoll);
    device.sendGarbage();
    await new Promise((resolve) => setTimeout(resolve, 5));
    device.sendGarbage(bytes(0x02, 0x09)); // the start of a "frame" that never completes
    expect(text(await host.request(2, Header.RequestEquipmentCategory))).toBe('Coin Acceptor');
    expect(host.counters).toMatchObject({ retries: 0 });
    expect(host.counters.noise).toBeGreaterThanOrEqual(1);
  });

  it('waits for a slow device up to the timeout', async () => {
    const { host } = await line({ replyDelayMs: 30 });
    expect(text(await host.request(2, Header.RequestProductCode, undefined, { retries: 0 }))).toBe('SIMCOIN');
    const slow = await failure(host.request(2, Header.SimplePoll, undefined, { retries: 0, timeoutMs: 10 }));
    expect(slow.message).toMatch(/no reply within 10 ms \(1 attempt\)/);
  });

  it.each([false, true])(
    'takes a reply whose bytes come 30 ms apart, within the spec’s 50 ms gap (echo %s)',
    async (echo) => {
      // The spec's own timing: 50 ms between bytes, a first byte within 100 ms. The read-buffer
      // reply is 16 bytes, so it takes 450 ms to arrive, longer than one byte's worth of timeout.
      const spec = { interByteTimeoutMs: 50, timeoutMs: 100, retries: 0 };
      const { host } = await line({ echo, host: spec, deviceInterByteTimeoutMs: 50, replyByteGapMs: 30 });
      const startedAt = Date.now();
      const reply = await host.request(2, Header.ReadBufferedCredit);
      expect(reply).toHaveLength(11);
      expect(Date.now() - startedAt).toBeGreaterThanOrEqual(15 * 30);
      expect(host.counters.retries).toBe(0);
    },
  );

  it('text a device sends is kept visible, never raw: control bytes and ESC sequences become \\xNN', async () => {
    const { host } = await line({ manufacturer: '\x1b[2J\x1b]0;pwned\x07Evil\x7f' });
    const identity = await probeCcTalkDevice(host, 2);
    expect(identity.manufacturer).toBe('\\x1b[2J\\x1b]0;pwned\\x07Evil\\x7f');
    expect([...identity.manufacturer].every((c) => c >= ' ' && c <= '~')).toBe(true);
  });

  it('does not call a reply late when the process itself stalled', async () => {
    const { host } = await line({ replyDelayMs: 20 });
    const request = host.request(2, Header.RequestProductCode, undefined, { retries: 0 });
    // The command is out; the reply is due in 20 ms, the timeout in 60. The process now freezes
    // for 150 ms, so both come due at once when it wakes.
    await new Promise((resolve) => setTimeout(resolve, 5));
    const until = Date.now() + 150;
    while (Date.now() < until) {
      // busy: the event loop is blocked, as heavy work in the booth's process would block it
    }
    expect(text(await request)).toBe('SIMCOIN');
  });
});
