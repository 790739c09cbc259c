import { describe, expect, it } from 'vitest';
import { parseClientMessage, parseUiEvent } from '../../app/shell/bridge/ui-event-schema.ts';
import type { UiEvent } from '../../app/shell/bridge/kiosk-api.ts';

const valid: UiEvent[] = [
  { type: 'TOUCH' },
  { type: 'SELECT_LANGUAGE', language: 'en' },
  { type: 'SELECT_LANGUAGE', language: 'zh-Hant' },
  { type: 'ACCEPT_CONSENT' },
  { type: 'DECLINE_CONSENT' },
  { type: 'CHOOSE', documentId: 'eu-passport', productId: 'photos-4' },
  { type: 'CANCEL' },
  { type: 'CAPTURE_NOW' },
  { type: 'ACCEPT_PHOTO' },
  { type: 'RETAKE' },
  { type: 'STILL_HERE' },
  { type: 'FINISH' },
  { type: 'STAFF_INSERT', kind: 'coin', value: 200 },
  { type: 'STAFF_INSERT', kind: 'bill', value: 1000 },
  { type: 'STAFF_FAULT', device: 'photoPrinter', fault: 'jam' },
  { type: 'STAFF_CLEAR_FAULTS' },
  { type: 'STAFF_REFILL_PRINTER' },
  { type: 'STAFF_NEXT_PERSON' },
];

describe('parseUiEvent', () => {
  it.each(valid.map((e) => [e.type, e]))('accepts %s', (_, event) => {
    expect(parseUiEvent(event)).toEqual(event);
  });

  const invalid: [string, unknown][] = [
    ['null', null],
    ['a string', 'TOUCH'],
    ['an array', [{ type: 'TOUCH' }]],
    ['an unknown type', { type: 'OPEN_CASH_BOX' }],
    ['a booth event', { type: 'CREDIT', amount: 100, balance: 100 }],
    ['an extra field', { type: 'TOUCH', sessionId: 'x' }],
    ['an extra field on CHOOSE', { type: 'CHOOSE', documentId: 'a', productId: 'b', price: 0 }],
    ['a missing field', { type: 'CHOOSE', documentId: 'eu-passport' }],
    ['a wrong type', { type: 'SELECT_LANGUAGE', language: 7 }],
    ['a language that is not a code', { type: 'SELECT_LANGUAGE', language: '../../etc/passwd' }],
    ['a long language', { type: 'SELECT_LANGUAGE', language: 'english-language' }],
    ['an id with spaces', { type: 'CHOOSE', documentId: 'eu passport', productId: 'photos-4' }],
    ['a path as id', { type: 'CHOOSE', documentId: '../x', productId: 'photos-4' }],
    ['a huge id', { type: 'CHOOSE', documentId: 'a'.repeat(100_000), productId: 'photos-4' }],
    ['a negative amount', { type: 'STAFF_INSERT', kind: 'coin', value: -200 }],
    ['a zero amount', { type: 'STAFF_INSERT', kind: 'coin', value: 0 }],
    ['a fractional amount', { type: 'STAFF_INSERT', kind: 'coin', value: 1.5 }],
    ['an amount as string', { type: 'STAFF_INSERT', kind: 'coin', value: '200' }],
    ['an unknown money kind', { type: 'STAFF_INSERT', kind: 'card', value: 200 }],
    ['an unknown device', { type: 'STAFF_FAULT', device: 'door', fault: 'jam' }],
    ['an unknown fault', { type: 'STAFF_FAULT', device: 'camera', fault: 'fire' }],
    ['__proto__ key', JSON.parse('{"type":"TOUCH","__proto__":{"polluted":true}}')],
    ['constructor key', JSON.parse('{"type":"TOUCH","constructor":{"prototype":{"polluted":true}}}')],
    ['__proto__ as the event', JSON.parse('{"__proto__":{"type":"TOUCH"}}')],
  ];
  it.each(invalid)('rejects %s', (_, raw) => {
    expect(parseUiEvent(raw)).toBeNull();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('parseClientMessage', () => {
  it('accepts { kind: "event", event } only', () => {
    expect(parseClientMessage({ kind: 'event', event: { type: 'TOUCH' } })).toEqual({
      kind: 'event',
      event: { type: 'TOUCH' },
    });
    expect(parseClientMessage({ kind: 'snapshot', event: { type: 'TOUCH' } })).toBeNull();
    expect(parseClientMessage({ kind: 'event', event: { type: 'TOUCH' }, extra: 1 })).toBeNull();
    expect(parseClientMessage({ kind: 'event', event: { type: 'NOPE' } })).toBeNull();
  });
});
