import { afterEach, describe, expect, it } from 'vitest';
import { CcTalkCoinAcceptorSimulator } from '../../../hardware/payment/cctalk/emulators/cctalk-coin-acceptor-simulator.ts';
import { CoinError } from '../../../hardware/payment/cctalk/driver/cctalk-codes.ts';
import { Header } from '../../../hardware/payment/cctalk/driver/cctalk-link.ts';
import { bytes, coinLine, type Line } from './cctalk-line.ts';

const open: Line<CcTalkCoinAcceptorSimulator>[] = [];
afterEach(async () => {
  for (const line of open.splice(0)) await line.close();
});

/** A coin acceptor on a pty with channels 1 and 2 enabled and the master inhibit off. */
async function accepting() {
  const line = await coinLine();
  open.push(line);
  await line.host.request(2, Header.ModifyInhibitStatus, bytes(0b011, 0));
  await line.host.request(2, Header.ModifyMasterInhibit, bytes(1));
  const credit = async () => [...(await line.host.request(2, Header.ReadBufferedCredit))];
  return { ...line, credit };
}

describe('CcTalkCoinAcceptorSimulator', () => {
  it('takes coins only on enabled channels while the master inhibit is off', async () => {
    const { host, device, credit } = await accepting();
    expect(device.insertCoin(2)).toBe('accepted');
    expect(device.insertCoin(3)).toBe('inhibited'); // known coin, channel not enabled
    expect(device.insertCoin(9)).toBe('rejected'); // no such coin
    await host.request(2, Header.ModifyMasterInhibit, bytes(0));
    expect(device.insertCoin(1)).toBe('inhibited');
    expect(await credit()).toEqual([
      4,
      0,
      CoinError.InhibitedCoin,
      0,
      CoinError.RejectCoin,
      0,
      128 + 3 - 1, // "inhibited coin (type 3)"
      2,
      0,
      0,
      0,
    ]);
    expect(device.cashbox).toEqual([2]);
  });

  it('reports coin going backwards, string fraud, rejects and an open flight deck', async () => {
    const { device, credit } = await accepting();
    device.coinGoingBackwards();
    device.stringFraud();
    device.rejectCoin();
    device.flightDeckOpen();
    device.reportError(CoinError.RejectSlug);
    expect(await credit()).toEqual([5, 0, 25, 0, 254, 0, 1, 0, 20, 0, 17]);
  });

  it('wraps the event counter from 255 to 1 as the host reads it', async () => {
    const { device, credit } = await accepting();
    device.loseEvents(254);
    expect((await credit())[0]).toBe(254);
    device.insertCoin(1);
    expect((await credit())[0]).toBe(255);
    device.insertCoin(2);
    expect((await credit()).slice(0, 5)).toEqual([1, 2, 0, 1, 0]);
  });

  it('lets events be lost: the counter jumps by more than five between polls', async () => {
    const { device, credit } = await accepting();
    device.insertCoin(1);
    const before = (await credit())[0]!;
    device.loseEvents(7);
    const after = await credit();
    expect(after[0]! - before).toBe(7);
    expect(after.slice(1)).toEqual([0, 1, 0, 1, 0, 1, 0, 1, 0, 1]); // refusals only: no money in them
  });

  it('can be reset in the middle of a session: counter 0, events gone, inhibited', async () => {
    const { host, device, credit } = await accepting();
    device.insertCoin(1);
    device.powerCycle();
    expect(await credit()).toEqual(new Array(11).fill(0));
    expect(device.accepting).toBe(false);
    expect(await host.request(2, Header.RequestInhibitStatus)).toEqual(bytes(0, 0));
    expect(device.insertCoin(1)).toBe('inhibited');
    expect((await credit())[0]).toBe(1);
  });

  it('answers a self-check with no fault and NAKs bill commands', async () => {
    const { host } = await accepting();
    expect(await host.request(2, Header.PerformSelfCheck)).toEqual(bytes(0));
    await expect(host.request(2, Header.ReadBufferedBillEvents)).rejects.toMatchObject({ code: 'nak' });
  });

  it('refuses a coin table with bad channels or ids', () => {
    const transport = { write: async () => {}, onData: () => () => {}, close: async () => {} };
    expect(
      () => new CcTalkCoinAcceptorSimulator(transport, { checksum: 'simple8', coins: { 17: 'EU050A' } }),
    ).toThrow(/coin channel 17 is outside 1 to 16/);
    expect(
      () => new CcTalkCoinAcceptorSimulator(transport, { checksum: 'simple8', coins: { 1: 'EU50' } }),
    ).toThrow(/coin id "EU50" on channel 1 should have 6 characters/);
  });
});
