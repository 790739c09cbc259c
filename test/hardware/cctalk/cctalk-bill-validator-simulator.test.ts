import { afterEach, describe, expect, it } from 'vitest';
import type { CcTalkBillValidatorSimulator } from '../../../hardware/payment/cctalk/emulators/cctalk-bill-validator-simulator.ts';
import {
  BillEvent,
  RouteBill,
  RouteBillError,
} from '../../../hardware/payment/cctalk/driver/cctalk-codes.ts';
import { Header } from '../../../hardware/payment/cctalk/driver/cctalk-link.ts';
import { billLine, bytes, text, type Line } from './cctalk-line.ts';

const open: Line<CcTalkBillValidatorSimulator>[] = [];
afterEach(async () => {
  for (const line of open.splice(0)) await line.close();
});

/** A bill validator at address 40 on a pty (CRC-16, as many are), notes 1 and 2 enabled, accepting. */
async function accepting() {
  const line = await billLine({ checksum: 'crc16' });
  open.push(line);
  const { host } = line;
  await host.request(40, Header.ModifyInhibitStatus, bytes(0b011, 0));
  await host.request(40, Header.ModifyMasterInhibit, bytes(1));
  const events = async () => [...(await host.request(40, Header.ReadBufferedBillEvents))];
  const route = (action: number) => host.request(40, Header.RouteBill, bytes(action));
  return { ...line, events, route };
}

describe('CcTalkBillValidatorSimulator', () => {
  it('says what it is and which notes it knows', async () => {
    const { host } = await accepting();
    expect(text(await host.request(40, Header.RequestEquipmentCategory))).toBe('Bill Validator');
    expect(text(await host.request(40, Header.RequestBillId, bytes(2)))).toBe('EU0010A');
    expect(text(await host.request(40, Header.RequestBillId, bytes(7)))).toBe('.......');
  });

  it('holds a note in escrow and stacks it when told', async () => {
    const { device, events, route } = await accepting();
    expect(device.insertBill(2)).toBe('escrow');
    expect(await events()).toEqual([1, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0]); // type 2, "held in escrow"
    expect(device.insertBill(1)).toBe('rejected'); // the slot is blocked while a note waits
    expect(await route(RouteBill.Stack)).toEqual(new Uint8Array(0));
    expect((await events()).slice(0, 5)).toEqual([2, 2, 0, 2, 1]); // type 2, "validated and stacked"
    expect(device.stacker).toEqual([2]);
    expect(device.escrow).toBeUndefined();
  });

  it('returns a note from escrow, and says when there is none to route', async () => {
    const { device, events, route } = await accepting();
    device.insertBill(1);
    await route(RouteBill.Return);
    expect((await events()).slice(0, 3)).toEqual([2, 0, BillEvent.ReturnedFromEscrow]);
    expect(await route(RouteBill.Stack)).toEqual(bytes(RouteBillError.EscrowEmpty));
    expect(device.stacker).toEqual([]);
  });

  it('reports refused notes: master inhibit, inhibited type, unknown note', async () => {
    const { host, device, events } = await accepting();
    expect(device.insertBill(3)).toBe('inhibited');
    expect(device.insertBill(9)).toBe('rejected');
    await host.request(40, Header.ModifyMasterInhibit, bytes(0));
    expect(device.insertBill(1)).toBe('inhibited');
    expect((await events()).slice(0, 7)).toEqual([
      3,
      0,
      BillEvent.MasterInhibitActive,
      0,
      BillEvent.InvalidBillValidation,
      0,
      BillEvent.InhibitedBillSerial,
    ]);
  });

  it('jams a note: the held note is lost in the jam and the slot refuses notes until cleared', async () => {
    const { device, events, route } = await accepting();
    device.insertBill(2);
    device.jamNote();
    expect((await events()).slice(0, 3)).toEqual([2, 0, BillEvent.JammedInTransportUnsafe]);
    expect(await route(RouteBill.Stack)).toEqual(bytes(RouteBillError.EscrowEmpty));
    expect(device.insertBill(1)).toBe('rejected');
    device.clearJam();
    expect(device.insertBill(1)).toBe('escrow');
  });

  it('with a full stacker refuses notes and cannot stack the one held', async () => {
    const { device, events, route } = await accepting();
    device.insertBill(1);
    device.fillStacker();
    expect(await route(RouteBill.Stack)).toEqual(bytes(RouteBillError.FailedToRoute));
    expect(device.escrow).toBe(1);
    await route(RouteBill.Return);
    expect(device.insertBill(2)).toBe('rejected');
    expect((await events()).slice(0, 7)).toEqual([
      4,
      0,
      BillEvent.StackerFull,
      0,
      BillEvent.ReturnedFromEscrow,
      0,
      BillEvent.StackerFull,
    ]);
  });

  it('reports fraud: a note pulled back, a note on a string', async () => {
    const { device, events } = await accepting();
    device.pullBillBackwards();
    device.stringFraud();
    expect((await events()).slice(0, 5)).toEqual([2, 0, BillEvent.StringFraud, 0, BillEvent.PulledBackwards]);
  });

  it('forgets the held note and its events on reset', async () => {
    const { host, device, events } = await accepting();
    device.insertBill(1);
    await host.request(40, Header.ResetDevice);
    expect(device.escrow).toBeUndefined();
    expect(await events()).toEqual(new Array(11).fill(0));
    expect(device.accepting).toBe(false);
  });

  it('NAKs a route bill it does not understand', async () => {
    const { route } = await accepting();
    await expect(route(7)).rejects.toMatchObject({ code: 'nak' });
  });
});
