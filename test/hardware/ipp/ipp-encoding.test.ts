import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeIppMessage, encodeIppMessage } from '../../../hardware/printer/ipp/ipp-encoding.ts';
import { IppError } from '../../../hardware/printer/ipp/ipp-error.ts';
import type { IppMessage } from '../../../hardware/printer/ipp/ipp-message.ts';
import { plainList, toPlainAttributes } from '../../../hardware/printer/ipp/ipp-plain.ts';
import { GroupTag, ValueTag } from '../../../hardware/printer/ipp/ipp-tags.ts';

const mediaCol = {
  kind: 'collection',
  members: [
    {
      name: 'media-size',
      tag: ValueTag.begCollection,
      values: [
        {
          kind: 'collection',
          members: [
            { name: 'x-dimension', tag: ValueTag.integer, values: [10160] },
            { name: 'y-dimension', tag: ValueTag.integer, values: [15240] },
          ],
        },
      ],
    },
    { name: 'media-source', tag: ValueTag.keyword, values: ['photo'] },
  ],
} as const;

const every: IppMessage = {
  version: [1, 1],
  code: 0x0002,
  requestId: 7,
  groups: [
    {
      tag: GroupTag.operation,
      attributes: [
        { name: 'attributes-charset', tag: ValueTag.charset, values: ['utf-8'] },
        { name: 'attributes-natural-language', tag: ValueTag.naturalLanguage, values: ['en'] },
        { name: 'printer-uri', tag: ValueTag.uri, values: ['ipp://printer.local:631/ipp/print'] },
        { name: 'job-name', tag: ValueTag.nameWithoutLanguage, values: ['Passfoto – Müller'] },
        { name: 'document-format', tag: ValueTag.mimeMediaType, values: ['image/jpeg'] },
        { name: 'requested-attributes', tag: ValueTag.keyword, values: ['printer-state', 'media-ready'] },
      ],
    },
    {
      tag: GroupTag.job,
      attributes: [
        { name: 'copies', tag: ValueTag.integer, values: [2] },
        { name: 'print-quality', tag: ValueTag.enum, values: [5] },
        { name: 'fit', tag: ValueTag.boolean, values: [true] },
        { name: 'blob', tag: ValueTag.octetString, values: [Buffer.of(0, 1, 255)] },
        { name: 'when', tag: ValueTag.dateTime, values: [new Date('2026-11-25T17:58:38.300Z')] },
        {
          name: 'printer-resolution',
          tag: ValueTag.resolution,
          values: [{ kind: 'resolution', x: 300, y: 600, units: 3 }],
        },
        {
          name: 'page-ranges',
          tag: ValueTag.rangeOfInteger,
          values: [{ kind: 'range', lower: 1, upper: -1 }],
        },
        { name: 'media-col', tag: ValueTag.begCollection, values: [mediaCol, mediaCol] },
        { name: 'job-state-message', tag: ValueTag.textWithoutLanguage, values: ['ok'] },
        { name: 'job-hold-until', tag: ValueTag.noValue, values: [] },
      ],
    },
    { tag: GroupTag.printer, attributes: [] },
    { tag: GroupTag.unsupported, attributes: [{ name: 'x', tag: ValueTag.unsupported, values: [] }] },
  ],
  data: Buffer.from([0xff, 0xd8, 0xff, 0xd9]),
};

describe('IPP encoding', () => {
  it('round-trips every value tag, multi-valued attributes, nested collections and the document', () => {
    const bytes = encodeIppMessage(every);
    expect(decodeIppMessage(bytes)).toEqual(every);
    expect(encodeIppMessage(decodeIppMessage(bytes))).toEqual(bytes);
  });

  it('writes the RFC 8010 layout: header, named first value, unnamed additional values, end tag, data', () => {
    const bytes = encodeIppMessage({
      version: [1, 1],
      code: 0x000b,
      requestId: 1,
      groups: [{ tag: 1, attributes: [{ name: 'ab', tag: 0x44, values: ['x', 'yz'] }] }],
      data: Buffer.of(9),
    });
    expect([...bytes]).toEqual([
      1, 1, 0, 0x0b, 0, 0, 0, 1, 0x01, 0x44, 0, 2, 0x61, 0x62, 0, 1, 0x78, 0x44, 0, 0, 0, 2, 0x79, 0x7a, 0x03,
      9,
    ]);
  });

  it('reads a dateTime with a UTC offset as the right instant', () => {
    const bytes = encodeIppMessage({ ...every, groups: [], data: Buffer.alloc(0) });
    // 2026-11-25 19:00:00.0 +02:00 == 17:00 UTC
    const date = Buffer.from([0x07, 0xea, 11, 25, 19, 0, 0, 0, 0x2b, 2, 0]);
    const withDate = Buffer.concat([
      bytes.subarray(0, 8),
      Buffer.from([0x04, 0x31, 0, 1, 0x64, 0, 11]),
      date,
      Buffer.of(0x03),
    ]);
    const message = decodeIppMessage(withDate);
    expect(message.groups[0]!.attributes[0]!.values[0]).toEqual(new Date('2026-11-25T17:00:00Z'));
  });

  it('decodes a Get-Printer-Attributes response captured from ippeveprinter 2.4.2', () => {
    const message = decodeIppMessage(
      readFileSync(new URL('./fixtures/ippeveprinter-get-printer-attributes.bin', import.meta.url)),
    );
    expect(message.code).toBe(0);
    expect(message.requestId).toBe(42);
    const printer = toPlainAttributes(message.groups.find((g) => g.tag === GroupTag.printer)!.attributes);
    expect(printer['printer-state']).toBe('idle');
    expect(printer['printer-state-reasons']).toBe('none');
    expect(printer['printer-name']).toBe('Capture');
    expect(printer['color-supported']).toBe(true);
    expect(printer['printer-state-change-date-time']).toBeInstanceOf(Date);
    expect(printer['copies-supported']).toEqual({ lower: 1, upper: 999 });
    expect(plainList(printer, 'media-ready')).toContain('na_index-4x6_4x6in');
    expect(plainList(printer, 'document-format-supported')).toContain('image/jpeg');
    expect(String(plainList(printer, 'printer-supply')[0])).toMatch(/^index=1;class=/);
    const photoTray = plainList(printer, 'media-col-ready').find(
      (col) => (col as Record<string, unknown>)['media-source'] === 'photo',
    );
    expect(photoTray).toMatchObject({
      'media-size-name': 'na_index-4x6_4x6in',
      'media-size': { 'x-dimension': 10160, 'y-dimension': 15240 },
    });
  });

  describe('rejects garbage with IppError("bad-response")', () => {
    const valid = encodeIppMessage(every);
    const cases: [string, Buffer][] = [
      ['empty', Buffer.alloc(0)],
      ['header only', valid.subarray(0, 8)],
      ['cut in the middle', valid.subarray(0, 60)],
      ['cut inside a collection', valid.subarray(0, valid.indexOf('media-source') + 5)],
      ['value before a group', Buffer.from([1, 1, 0, 0, 0, 0, 0, 1, 0x21, 0, 1, 0x61, 0, 4, 0, 0, 0, 1, 3])],
      ['integer of 3 bytes', Buffer.from([1, 1, 0, 0, 0, 0, 0, 1, 4, 0x21, 0, 1, 0x61, 0, 3, 0, 0, 1, 3])],
      ['additional value first', Buffer.from([1, 1, 0, 0, 0, 0, 0, 1, 4, 0x21, 0, 0, 0, 4, 0, 0, 0, 1, 3])],
      ['length past the end', Buffer.from([1, 1, 0, 0, 0, 0, 0, 1, 4, 0x44, 0xff, 0xff, 0x61])],
      ['HTML', Buffer.from('<html><body>404 Not Found</body></html>')],
      [
        'collection never closed before a group',
        Buffer.from([1, 1, 0, 0, 0, 0, 0, 1, 4, 0x34, 0, 1, 0x63, 0, 0, 0x4a, 0, 0, 0, 1, 0x6d, 4, 3]),
      ],
      ['collections nested too deep', deepCollections(40)],
    ];
    it.each(cases)('%s', (_label, bytes) => {
      let thrown: unknown;
      try {
        decodeIppMessage(bytes);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(IppError);
      expect(thrown).toMatchObject({
        code: 'bad-response',
        message: expect.stringMatching(/malformed IPP response/),
      });
    });

    it('never throws anything but IppError on random bytes and random truncations', () => {
      let seed = 1;
      const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
      for (let i = 0; i < 2000; i += 1) {
        const bytes = Buffer.from(valid);
        for (let flips = 0; flips < 3; flips += 1)
          bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
        const cut = bytes.subarray(0, Math.floor(random() * bytes.length));
        for (const candidate of [bytes, cut]) {
          try {
            decodeIppMessage(candidate);
          } catch (error) {
            expect(error).toBeInstanceOf(IppError);
          }
        }
      }
    });
  });
});

function deepCollections(depth: number): Buffer {
  const open = Buffer.from([0x34, 0, 0, 0, 0, 0x4a, 0, 0, 0, 1, 0x6d]);
  const first = Buffer.from([0x34, 0, 1, 0x63, 0, 0, 0x4a, 0, 0, 0, 1, 0x6d]);
  return Buffer.concat([
    Buffer.from([1, 1, 0, 0, 0, 0, 0, 1, 4]),
    first,
    ...Array(depth).fill(open),
    Buffer.of(3),
  ]);
}
