/**
 * Turns decoded attributes into a plain object (name → value, or array when the printer sent
 * several values), which is what adapters want to read. Lossy on purpose: languages of
 * text-with-language are dropped, octetStrings become UTF-8 text (IPP Everywhere printers put
 * text such as printer-supply in them), and out-of-band values become null.
 */
import type { IppAttribute, IppValue } from './ipp-message.ts';
import { ValueTag } from './ipp-tags.ts';

export type PlainValue =
  | number
  | boolean
  | string
  | Date
  | null
  | { readonly x: number; readonly y: number; readonly units: number }
  | { readonly lower: number; readonly upper: number }
  | PlainAttributes;

export interface PlainAttributes {
  readonly [name: string]: PlainValue | readonly PlainValue[];
}

/** RFC 8011 job-state values and their keywords. */
export const jobStateKeywords = {
  3: 'pending',
  4: 'pending-held',
  5: 'processing',
  6: 'processing-stopped',
  7: 'canceled',
  8: 'aborted',
  9: 'completed',
} as const;

/** Enums the booth reads, shown as their keywords so nobody has to remember that 5 means stopped. */
const enumKeywords: Readonly<Record<string, Readonly<Record<number, string>>>> = {
  'printer-state': { 3: 'idle', 4: 'processing', 5: 'stopped' },
  'job-state': jobStateKeywords,
};

export function toPlainAttributes(attributes: readonly IppAttribute[]): PlainAttributes {
  const plain: Record<string, PlainValue | readonly PlainValue[]> = {};
  for (const attribute of attributes) {
    const values = attribute.values.map((value) => toPlainValue(attribute, value));
    plain[attribute.name] = values.length === 0 ? null : values.length === 1 ? values[0]! : values;
  }
  return plain;
}

/** Reads an attribute as a list whether the printer sent one value or several. */
export function plainList(attributes: PlainAttributes, name: string): readonly PlainValue[] {
  const value = attributes[name];
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value as PlainValue];
}

function toPlainValue(attribute: IppAttribute, value: IppValue): PlainValue {
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  if (value instanceof Date || typeof value !== 'object') {
    if (attribute.tag === ValueTag.enum && typeof value === 'number') {
      return enumKeywords[attribute.name]?.[value] ?? value;
    }
    return value;
  }
  switch (value.kind) {
    case 'collection':
      return toPlainAttributes(value.members);
    case 'resolution':
      return { x: value.x, y: value.y, units: value.units };
    case 'range':
      return { lower: value.lower, upper: value.upper };
  }
}
