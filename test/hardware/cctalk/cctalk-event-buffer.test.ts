import { describe, expect, it } from 'vitest';
import { CcTalkEventBuffer } from '../../../hardware/payment/cctalk/driver/cctalk-event-buffer.ts';

describe('CcTalkEventBuffer', () => {
  it('starts at counter 0 with five empty slots', () => {
    expect([...new CcTalkEventBuffer().toBytes()]).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('keeps the five newest events, newest first', () => {
    const buffer = new CcTalkEventBuffer();
    for (let coin = 1; coin <= 7; coin++) buffer.push(coin, 0);
    expect([...buffer.toBytes()]).toEqual([7, 7, 0, 6, 0, 5, 0, 4, 0, 3, 0]);
  });

  it('wraps the counter from 255 to 1: 0 only ever means a reset', () => {
    const buffer = new CcTalkEventBuffer();
    const seen: number[] = [];
    for (let i = 0; i < 600; i++) {
      buffer.push(1, 0);
      seen.push(buffer.counter);
    }
    expect(seen.slice(253, 257)).toEqual([254, 255, 1, 2]);
    expect(seen).not.toContain(0);
    buffer.clear();
    expect([...buffer.toBytes()]).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  });
});
