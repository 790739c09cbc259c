import { describe, expect, it } from 'vitest';
import { CoinError } from '../../../hardware/payment/cctalk/driver/cctalk-codes.ts';
import {
  counterBefore,
  counterChange,
} from '../../../hardware/payment/cctalk/adapter/cctalk-event-counter.ts';
import {
  billEventMeaning,
  coinEventMeaning,
} from '../../../hardware/payment/cctalk/adapter/cctalk-event-map.ts';

describe('counterChange', () => {
  it.each([
    [0, 0, { kind: 'none' }],
    [7, 7, { kind: 'none' }],
    [0, 3, { kind: 'events', count: 3 }],
    [10, 12, { kind: 'events', count: 2 }],
    [10, 20, { kind: 'events', count: 10 }], // more than five: some were lost
    [254, 1, { kind: 'events', count: 2 }], // 255, then the wrap to 1
    [255, 1, { kind: 'events', count: 1 }],
    [252, 2, { kind: 'events', count: 5 }],
    [12, 0, { kind: 'reset', count: 0 }],
    [12, 3, { kind: 'reset', count: 3 }], // lower, and too far to be a wrap
    [251, 2, { kind: 'reset', count: 2 }],
  ] as const)('from %i to %i', (last, current, change) => {
    expect(counterChange(last, current)).toEqual(change);
  });

  it('counts back across the wrap', () => {
    expect([0, 1, 2, 3].map((back) => counterBefore(2, back))).toEqual([2, 1, 255, 254]);
  });
});

describe('ccTalk event meanings', () => {
  it('maps coin results', () => {
    expect(coinEventMeaning(3, 0)).toEqual({ kind: 'credit', channel: 3 });
    expect(coinEventMeaning(0, 0)).toEqual({ kind: 'none' });
    expect(coinEventMeaning(0, CoinError.InhibitedCoin)).toMatchObject({
      kind: 'rejected',
      reason: 'inhibited',
    });
    expect(coinEventMeaning(0, 130)).toMatchObject({ kind: 'rejected', reason: 'inhibited' });
    expect(coinEventMeaning(0, CoinError.CoinOnString)).toMatchObject({
      kind: 'fault',
      code: 'string-fraud',
    });
    expect(coinEventMeaning(0, 14)).toEqual({
      kind: 'fault',
      code: 'coin-error-14',
      message: 'credit sensor blocked',
    });
  });

  it('maps bill results', () => {
    expect(billEventMeaning(2, 0)).toEqual({ kind: 'credit', channel: 2 });
    expect(billEventMeaning(2, 1)).toEqual({ kind: 'escrow', channel: 2 });
    expect(billEventMeaning(0, 1)).toEqual({ kind: 'returned' });
    expect(billEventMeaning(0, 16)).toMatchObject({ kind: 'fault', code: 'note-jam' });
    expect(billEventMeaning(0, 14)).toMatchObject({ kind: 'fault', code: 'stacker-full' });
    expect(billEventMeaning(0, 10)).toMatchObject({ kind: 'stacker-ok' });
    expect(billEventMeaning(0, 99)).toMatchObject({ kind: 'fault', code: 'bill-event-99' });
  });
});
