/**
 * IPP/1.1 binary encoding (RFC 8010 §3): an 8-byte header, attribute groups of
 * tag/name/value triples, the end-of-attributes tag, then the document data.
 *
 * Decoding treats every length as hostile: any read past the end, unterminated
 * collection or value of the wrong size is an IppError('bad-response') naming the offset,
 * never a RangeError from Buffer.
 */
import { IppError } from './ipp-error.ts';
import type { IppAttribute, IppCollection, IppGroup, IppMessage, IppValue } from './ipp-message.ts';
import { GroupTag, ValueTag, isDelimiterTag, outOfBandNames } from './ipp-tags.ts';

// ---------------------------------------------------------------------------------------------
// Encoding

export function encodeIppMessage(message: IppMessage): Buffer {
  const out: Buffer[] = [];
  const header = Buffer.alloc(8);
  header.writeUInt8(message.version[0], 0);
  header.writeUInt8(message.version[1], 1);
  header.writeUInt16BE(message.code, 2);
  header.writeInt32BE(message.requestId, 4);
  out.push(header);
  for (const group of message.groups) {
    out.push(Buffer.of(group.tag));
    for (const attribute of group.attributes) encodeAttribute(out, attribute);
  }
  out.push(Buffer.of(GroupTag.end), message.data);
  return Buffer.concat(out);
}

function encodeAttribute(out: Buffer[], attribute: IppAttribute): void {
  if (attribute.values.length === 0) {
    // Out-of-band: the tag is the value, and the value is empty.
    out.push(header(attribute.tag, attribute.name), u16(0));
    return;
  }
  attribute.values.forEach((value, index) => {
    // Additional values of a multi-valued attribute carry an empty name (RFC 8010 §3.1.5).
    encodeValue(out, attribute.tag, index === 0 ? attribute.name : '', value, attribute.name);
  });
}

function encodeValue(out: Buffer[], tag: number, name: string, value: IppValue, forName: string): void {
  if (tag === ValueTag.begCollection) {
    if (!isCollection(value)) throw badValue(forName, tag, value);
    out.push(header(tag, name), u16(0));
    for (const member of value.members) {
      out.push(header(ValueTag.memberAttrName, ''), lengthPrefixed(Buffer.from(member.name, 'utf8')));
      member.values.forEach((memberValue) => encodeValue(out, member.tag, '', memberValue, member.name));
      if (member.values.length === 0) out.push(header(member.tag, ''), u16(0));
    }
    out.push(header(ValueTag.endCollection, ''), u16(0));
    return;
  }
  out.push(header(tag, name), lengthPrefixed(valueBytes(tag, value, forName)));
}

function valueBytes(tag: number, value: IppValue, forName: string): Buffer {
  switch (tag) {
    case ValueTag.integer:
    case ValueTag.enum: {
      if (typeof value !== 'number' || !Number.isInteger(value)) throw badValue(forName, tag, value);
      const b = Buffer.alloc(4);
      b.writeInt32BE(value);
      return b;
    }
    case ValueTag.boolean:
      if (typeof value !== 'boolean') throw badValue(forName, tag, value);
      return Buffer.of(value ? 1 : 0);
    case ValueTag.dateTime:
      if (!(value instanceof Date)) throw badValue(forName, tag, value);
      return encodeDateTime(value);
    case ValueTag.resolution: {
      if (typeof value !== 'object' || !('kind' in value) || value.kind !== 'resolution')
        throw badValue(forName, tag, value);
      const b = Buffer.alloc(9);
      b.writeInt32BE(value.x, 0);
      b.writeInt32BE(value.y, 4);
      b.writeInt8(value.units, 8);
      return b;
    }
    case ValueTag.rangeOfInteger: {
      if (typeof value !== 'object' || !('kind' in value) || value.kind !== 'range')
        throw badValue(forName, tag, value);
      const b = Buffer.alloc(8);
      b.writeInt32BE(value.lower, 0);
      b.writeInt32BE(value.upper, 4);
      return b;
    }
    default:
      if (Buffer.isBuffer(value)) return value;
      if (typeof value === 'string') return Buffer.from(value, 'utf8');
      throw badValue(forName, tag, value);
  }
}

/** RFC 2579 DateAndTime, always written in UTC so the booth's clock zone never leaks in. */
function encodeDateTime(date: Date): Buffer {
  const b = Buffer.alloc(11);
  b.writeUInt16BE(date.getUTCFullYear(), 0);
  b.writeUInt8(date.getUTCMonth() + 1, 2);
  b.writeUInt8(date.getUTCDate(), 3);
  b.writeUInt8(date.getUTCHours(), 4);
  b.writeUInt8(date.getUTCMinutes(), 5);
  b.writeUInt8(date.getUTCSeconds(), 6);
  b.writeUInt8(Math.floor(date.getUTCMilliseconds() / 100), 7);
  b.write('+', 8, 'latin1');
  return b;
}

function header(tag: number, name: string): Buffer {
  return Buffer.concat([Buffer.of(tag), lengthPrefixed(Buffer.from(name, 'utf8'))]);
}

function lengthPrefixed(bytes: Buffer): Buffer {
  if (bytes.length > 0xffff)
    throw new IppError('bad-request', `an IPP value of ${bytes.length} bytes is too long`);
  return Buffer.concat([u16(bytes.length), bytes]);
}

function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
}

function isCollection(value: IppValue): value is IppCollection {
  return typeof value === 'object' && 'kind' in value && value.kind === 'collection';
}

function badValue(name: string, tag: number, value: IppValue): IppError {
  return new IppError(
    'bad-request',
    `cannot encode ${JSON.stringify(value)} as tag 0x${tag.toString(16)} for attribute "${name}"`,
  );
}

// ---------------------------------------------------------------------------------------------
// Decoding

/** Collections nest (media-col > media-size); a hostile peer must not blow the stack. */
const maxCollectionDepth = 16;

export function decodeIppMessage(bytes: Buffer): IppMessage {
  const reader = new Reader(bytes);
  const version = [reader.u8('version'), reader.u8('version')] as const;
  const code = reader.u16('status-code');
  const requestId = reader.i32('request-id');
  const groups: IppGroup[] = [];
  let current: IppAttribute[] | null = null;
  for (;;) {
    const tagOffset = reader.offset;
    const tag = reader.u8('a tag (the message ends before end-of-attributes)');
    if (tag === GroupTag.end) break;
    if (isDelimiterTag(tag)) {
      current = [];
      groups.push({ tag, attributes: current });
      continue;
    }
    if (current === null) throw reader.fail(`value tag 0x${hex(tag)} before any attribute group`, tagOffset);
    const name = reader.string('attribute name');
    const value = readValue(reader, tag, 0);
    if (name === '') {
      const previous = current.at(-1);
      if (!previous) throw reader.fail('an additional value with no attribute before it', tagOffset);
      current[current.length - 1] = withValue(previous, value);
    } else {
      current.push({ name, tag, values: value === undefined ? [] : [value] });
    }
  }
  return { version, code, requestId, groups, data: bytes.subarray(reader.offset) };
}

function withValue(attribute: IppAttribute, value: IppValue | undefined): IppAttribute {
  return value === undefined ? attribute : { ...attribute, values: [...attribute.values, value] };
}

/** Reads the value-length and value after a name; undefined for out-of-band values. */
function readValue(reader: Reader, tag: number, depth: number): IppValue | undefined {
  if (tag === ValueTag.begCollection) {
    reader.bytes(reader.u16('collection value length'), 'collection value');
    return readCollection(reader, depth + 1);
  }
  const start = reader.offset;
  const length = reader.u16('value length');
  const value = reader.bytes(length, 'value');
  const expect = (size: number): void => {
    if (length !== size) throw reader.fail(`tag 0x${hex(tag)} needs ${size} bytes, got ${length}`, start);
  };
  if (outOfBandNames[tag] !== undefined) return undefined;
  switch (tag) {
    case ValueTag.integer:
    case ValueTag.enum:
      expect(4);
      return value.readInt32BE(0);
    case ValueTag.boolean:
      expect(1);
      return value[0] !== 0;
    case ValueTag.dateTime:
      expect(11);
      return decodeDateTime(value);
    case ValueTag.resolution:
      expect(9);
      return {
        kind: 'resolution',
        x: value.readInt32BE(0),
        y: value.readInt32BE(4),
        units: value.readInt8(8),
      };
    case ValueTag.rangeOfInteger:
      expect(8);
      return { kind: 'range', lower: value.readInt32BE(0), upper: value.readInt32BE(4) };
    case ValueTag.textWithLanguage:
    case ValueTag.nameWithLanguage:
      return decodeWithLanguage(reader, value, start);
    case ValueTag.textWithoutLanguage:
    case ValueTag.nameWithoutLanguage:
    case ValueTag.keyword:
    case ValueTag.uri:
    case ValueTag.uriScheme:
    case ValueTag.charset:
    case ValueTag.naturalLanguage:
    case ValueTag.mimeMediaType:
    case ValueTag.memberAttrName:
      return value.toString('utf8');
    default:
      // octetString and tags we do not know: keep the bytes, callers decide.
      return Buffer.from(value);
  }
}

function readCollection(reader: Reader, depth: number): IppCollection {
  if (depth > maxCollectionDepth) throw reader.fail(`collections nested deeper than ${maxCollectionDepth}`);
  const members: IppAttribute[] = [];
  for (;;) {
    const tagOffset = reader.offset;
    const tag = reader.u8('a tag inside a collection (no endCollection)');
    if (isDelimiterTag(tag)) throw reader.fail('collection not closed before the next group', tagOffset);
    const name = reader.string('collection member name');
    if (name !== '') throw reader.fail(`named attribute "${name}" inside a collection`, tagOffset);
    if (tag === ValueTag.endCollection) {
      reader.bytes(reader.u16('endCollection value length'), 'endCollection value');
      return { kind: 'collection', members };
    }
    if (tag === ValueTag.memberAttrName) {
      const memberName = reader.string('member name');
      if (memberName === '') throw reader.fail('empty collection member name', tagOffset);
      members.push({ name: memberName, tag: 0, values: [] });
      continue;
    }
    const member = members.at(-1);
    if (!member) throw reader.fail('a collection value before any memberAttrName', tagOffset);
    const value = readValue(reader, tag, depth);
    const tagged = member.values.length === 0 ? { ...member, tag } : member;
    members[members.length - 1] = withValue(tagged, value);
  }
}

function decodeWithLanguage(reader: Reader, value: Buffer, start: number): string {
  // Two length-prefixed strings: the language, then the text (RFC 8010 §3.9).
  if (value.length < 4) throw reader.fail('text-with-language value too short', start);
  const languageLength = value.readUInt16BE(0);
  const textAt = 2 + languageLength;
  if (textAt + 2 > value.length) throw reader.fail('text-with-language language overruns the value', start);
  const textLength = value.readUInt16BE(textAt);
  if (textAt + 2 + textLength !== value.length)
    throw reader.fail('text-with-language text length is wrong', start);
  return value.subarray(textAt + 2).toString('utf8');
}

function decodeDateTime(b: Buffer): Date {
  const utc = Date.UTC(
    b.readUInt16BE(0),
    b.readUInt8(2) - 1,
    b.readUInt8(3),
    b[4]!,
    b[5]!,
    b[6]!,
    b[7]! * 100,
  );
  const sign = String.fromCharCode(b[8]!) === '-' ? -1 : 1;
  // The wire gives local time plus its offset from UTC; subtract the offset to get UTC.
  return new Date(utc - sign * (b[9]! * 60 + b[10]!) * 60_000);
}

function hex(n: number): string {
  return n.toString(16).padStart(2, '0');
}

/** A cursor over the response that fails with bad-response instead of reading past the end. */
class Reader {
  offset = 0;
  constructor(private readonly buffer: Buffer) {}

  u8(what: string): number {
    return this.take(1, what).readUInt8(0);
  }
  u16(what: string): number {
    return this.take(2, what).readUInt16BE(0);
  }
  i32(what: string): number {
    return this.take(4, what).readInt32BE(0);
  }
  bytes(length: number, what: string): Buffer {
    return this.take(length, what);
  }
  string(what: string): string {
    return this.take(this.u16(`${what} length`), what).toString('utf8');
  }
  fail(why: string, at = this.offset): IppError {
    return new IppError('bad-response', `malformed IPP response at byte ${at}: ${why}`);
  }

  private take(length: number, what: string): Buffer {
    if (this.offset + length > this.buffer.length) {
      throw this.fail(`${what} needs ${length} bytes but only ${this.buffer.length - this.offset} are left`);
    }
    const slice = this.buffer.subarray(this.offset, this.offset + length);
    this.offset += length;
    return slice;
  }
}
