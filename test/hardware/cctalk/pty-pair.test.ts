import { existsSync, realpathSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openPtyPair } from '../../../hardware/payment/cctalk/emulators/pty-pair.ts';
import { SerialTransport } from '../../../hardware/payment/cctalk/driver/serial-transport.ts';

describe('openPtyPair', () => {
  it('makes two linked ptys that carry bytes both ways, and removes them on close', async () => {
    const pair = await openPtyPair();
    expect(realpathSync(pair.hostPath)).toMatch(/^\/dev\/pts\/\d+$/);
    expect(realpathSync(pair.devicePath)).toMatch(/^\/dev\/pts\/\d+$/);
    const host = await SerialTransport.open(pair.hostPath);
    const device = await SerialTransport.open(pair.devicePath);
    const atDevice = new Promise<Uint8Array>((resolve) => device.onData(resolve));
    const atHost = new Promise<Uint8Array>((resolve) => host.onData(resolve));
    await host.write(Uint8Array.of(2, 0, 1, 254, 255));
    expect([...(await atDevice)]).toEqual([2, 0, 1, 254, 255]);
    await device.write(Uint8Array.of(1, 0, 2, 0, 253));
    expect([...(await atHost)]).toEqual([1, 0, 2, 0, 253]);
    await host.close();
    await device.close();
    await pair.close();
    expect(existsSync(dirname(pair.hostPath))).toBe(false);
  });

  it('says why when socat cannot be started', async () => {
    await expect(openPtyPair({ socat: '/nonexistent/socat' })).rejects.toThrow(
      /could not start a pty pair with \/nonexistent\/socat \(spawn \/nonexistent\/socat ENOENT\)/,
    );
  });
});
