import { describe, expect, it } from 'vitest';
import { crc16Ccitt, simpleChecksum } from '../../../hardware/payment/cctalk/driver/cctalk-checksum.ts';
import { decodeFrame, encodeFrame, hex } from '../../../hardware/payment/cctalk/driver/cctalk-frame.ts';
import { Header } from '../../../hardware/payment/cctalk/driver/cctalk-link.ts';

const bytes = (...values: number[]) => Uint8Array.from(values);

describe('ccTalk frames with the simple 8-bit checksum', () => {
  it('encodes the known simple polls from host 1', () => {
    const poll = (destination: number) =>
      hex(encodeFrame({ destination, source: 1, header: Header.SimplePoll }, 'simple8'));
    expect(poll(2)).toBe('02 00 01 FE FF');
    expect(poll(40)).toBe('28 00 01 FE D9');
  });

  it("encodes the specification's enable-all-coins example: [2] [2] [1] [231] [255] [255] [22]", () => {
    const frame = encodeFrame(
      { destination: 2, source: 1, header: Header.ModifyInhibitStatus, data: bytes(255, 255) },
      'simple8',
    );
    expect([...frame]).toEqual([2, 2, 1, 231, 255, 255, 22]);
    expect(simpleChecksum(frame)).toBe(0); // all bytes, checksum included, sum to 0 mod 256
  });

  it('decodes a reply with data and says who sent it', () => {
    const reply = encodeFrame({ destination: 1, source: 2, header: 0, data: bytes(7, 1, 0) }, 'simple8');
    const result = decodeFrame(reply, 'simple8');
    expect(result).toMatchObject({ ok: true, length: 8, frame: { destination: 1, source: 2, header: 0 } });
    expect(result.ok && [...result.frame.data]).toEqual([7, 1, 0]);
  });

  it('reads only the frame at the start and leaves what follows', () => {
    const two = bytes(...encodeFrame({ destination: 1, source: 2, header: 0 }, 'simple8'), 0x99, 0x98);
    expect(decodeFrame(two, 'simple8')).toMatchObject({ ok: true, length: 5 });
  });

  it('names what is wrong with a broken frame instead of throwing', () => {
    expect(decodeFrame(bytes(2), 'simple8')).toMatchObject({ ok: false, problem: 'incomplete' });
    expect(decodeFrame(bytes(2, 3, 1, 0), 'simple8')).toMatchObject({ ok: false, problem: 'incomplete' });
    expect(decodeFrame(bytes(2, 0, 1, 254, 0xfe), 'simple8')).toMatchObject({
      ok: false,
      problem: 'bad-checksum',
      message: expect.stringContaining('02 00 01 FE FE'),
    });
    expect(decodeFrame(bytes(2, 253, 1, 254), 'simple8')).toMatchObject({ ok: false, problem: 'bad-length' });
  });

  it('refuses to encode what is not a byte, or too much data', () => {
    expect(() => encodeFrame({ destination: 256, source: 1, header: 254 }, 'simple8')).toThrow(
      /destination address is a byte \(0 to 255\), got 256/,
    );
    expect(() =>
      encodeFrame({ destination: 2, source: 1, header: 1, data: new Uint8Array(253) }, 'simple8'),
    ).toThrow(/at most 252 data bytes, got 253/);
  });
});

describe('ccTalk frames with the CRC-16 checksum', () => {
  it('computes CRC-16/XMODEM (poly 0x1021, init 0): the catalogue check value of "123456789" is 0x31C3', () => {
    expect(crc16Ccitt(new TextEncoder().encode('123456789'))).toBe(0x31c3);
  });

  // The ccTalk generic specification's own CRC example, as quoted on
  // http://wow-only.ru/2011-04-14-14-57-54/39-2011-04-14-14-38-29/730-8-битная-checksum-cctalk.html:
  // "TX : [ 40 ] [ 0 ] [ a ] [ 254 ] [ b ] a = 182 b = 33 / RX : [ 1 ] [ 0 ] [ a ] [ 0 ] [ b ] a = 48 b = 55".
  it("encodes the specification's simple poll to address 40 and its ACK", () => {
    const poll = encodeFrame({ destination: 40, source: 1, header: Header.SimplePoll }, 'crc16');
    expect([...poll]).toEqual([40, 0, 182, 254, 33]);
    const ack = encodeFrame({ destination: 1, source: 40, header: 0 }, 'crc16');
    expect([...ack]).toEqual([1, 0, 48, 0, 55]);
  });

  // ccTalk4j's test (PierreBeucher/ccTalk4j, CRCChecksumMessageTest): reset device to 40 is
  // [40, 0, 70, 1, 63], CRC 0x3F46 with its low byte first.
  it('encodes reset device to address 40 as ccTalk4j does', () => {
    const reset = encodeFrame({ destination: 40, source: 1, header: Header.ResetDevice }, 'crc16');
    expect([...reset]).toEqual([40, 0, 70, 1, 63]);
  });

  it('decodes a CRC reply, which carries no source', () => {
    const result = decodeFrame(bytes(1, 0, 48, 0, 55), 'crc16');
    expect(result).toMatchObject({ ok: true, frame: { destination: 1, source: undefined, header: 0 } });
  });

  it('round-trips data and catches a flipped bit anywhere', () => {
    const frame = encodeFrame(
      { destination: 40, source: 1, header: Header.RouteBill, data: bytes(1, 2, 3) },
      'crc16',
    );
    const result = decodeFrame(frame, 'crc16');
    expect(result.ok && [...result.frame.data]).toEqual([1, 2, 3]);
    for (let i = 0; i < frame.length; i++) {
      if (i === 1) continue; // a changed length byte is an incomplete or different frame
      const broken = frame.slice();
      broken[i]! ^= 0x04;
      expect(decodeFrame(broken, 'crc16')).toMatchObject({ ok: false, problem: 'bad-checksum' });
    }
  });

  it('does not take a simple-checksum frame for a CRC frame', () => {
    expect(decodeFrame(bytes(2, 0, 1, 254, 255), 'crc16')).toMatchObject({
      ok: false,
      problem: 'bad-checksum',
    });
  });
});
