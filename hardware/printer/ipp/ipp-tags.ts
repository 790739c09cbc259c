/** Delimiter tags that open an attribute group or end the attributes (RFC 8010 §3.5.1). */
export const GroupTag = {
  operation: 0x01,
  job: 0x02,
  end: 0x03,
  printer: 0x04,
  unsupported: 0x05,
} as const;
export type GroupTag = (typeof GroupTag)[keyof typeof GroupTag];

/** Value tags (RFC 8010 §3.5.2). Only the ones the booth meets are named. */
export const ValueTag = {
  unsupported: 0x10,
  default: 0x11,
  unknown: 0x12,
  noValue: 0x13,
  integer: 0x21,
  boolean: 0x22,
  enum: 0x23,
  octetString: 0x30,
  dateTime: 0x31,
  resolution: 0x32,
  rangeOfInteger: 0x33,
  begCollection: 0x34,
  textWithLanguage: 0x35,
  nameWithLanguage: 0x36,
  endCollection: 0x37,
  textWithoutLanguage: 0x41,
  nameWithoutLanguage: 0x42,
  keyword: 0x44,
  uri: 0x45,
  uriScheme: 0x46,
  charset: 0x47,
  naturalLanguage: 0x48,
  mimeMediaType: 0x49,
  memberAttrName: 0x4a,
} as const;
export type ValueTag = (typeof ValueTag)[keyof typeof ValueTag];

/** Out-of-band tags carry no value: the tag itself is the meaning. */
export const outOfBandNames: Readonly<Record<number, string>> = {
  0x10: 'unsupported',
  0x11: 'default',
  0x12: 'unknown',
  0x13: 'no-value',
};

/** The operations the booth sends (RFC 8011 §5.4.15). */
export const Operation = {
  printJob: 0x0002,
  cancelJob: 0x0008,
  getJobAttributes: 0x0009,
  getPrinterAttributes: 0x000b,
  resumePrinter: 0x0011,
} as const;

/** Delimiter tags are 0x00-0x0f; anything else starts an attribute value. */
export function isDelimiterTag(tag: number): boolean {
  return tag <= 0x0f;
}
