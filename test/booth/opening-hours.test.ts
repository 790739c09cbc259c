// The operator's opening hours: closed outside them (the booth takes no money), open again at
// the opening time by itself; ranges past midnight belong to the day they opened.
import { describe, expect, it } from 'vitest';
import { SimClock } from '../../core/sim-clock.ts';
import { OpeningHours } from '../../app/booth/opening-hours.ts';
import { boothConfigSchema } from '../../config/schema.ts';

// Local times (the booth's own zone), so the test holds in any time zone. 7 Dec 2026 is a Monday.
const at = (day: number, hh: number, mm = 0) => new Date(2026, 11, day, hh, mm).getTime();

describe('OpeningHours', () => {
  it("is open within a day's ranges and closed outside them and on days left out", () => {
    const hours = new OpeningHours(
      { mon: ['08:00-12:00', '13:00-20:00'], sat: ['10:00-16:00'] },
      new SimClock(),
    );
    expect(hours.isOpen(at(7, 7, 59))).toBe(false);
    expect(hours.isOpen(at(7, 8, 0))).toBe(true);
    expect(hours.isOpen(at(7, 12, 30))).toBe(false);
    expect(hours.isOpen(at(7, 19, 59))).toBe(true);
    expect(hours.isOpen(at(7, 20, 0))).toBe(false);
    expect(hours.isOpen(at(8, 10, 0))).toBe(false); // Tuesday: not listed
    expect(hours.isOpen(at(12, 15, 0))).toBe(true); // Saturday
  });

  it('a range past midnight runs into the next morning', () => {
    const hours = new OpeningHours({ fri: ['18:00-02:00'] }, new SimClock());
    expect(hours.isOpen(at(11, 23, 0))).toBe(true); // Friday night
    expect(hours.isOpen(at(12, 1, 59))).toBe(true); // Saturday small hours
    expect(hours.isOpen(at(12, 2, 0))).toBe(false);
    expect(hours.isOpen(at(11, 1, 0))).toBe(false); // Friday small hours: Thursday is closed
  });

  it('says closed as a health source and opens by itself at the opening time', async () => {
    const clock = new SimClock(at(7, 7, 58));
    const hours = new OpeningHours({ mon: ['08:00-20:00'] }, clock);
    const seen: boolean[] = [];
    hours.onStatus((s) => seen.push(s.ready));
    hours.start();
    expect(hours.status()).toMatchObject({ ready: false, reasons: ['closed'] });
    await clock.advance(3 * 60_000);
    expect(hours.status().ready).toBe(true);
    expect(seen).toContain(true);
    hours.stop();
  });

  it('the config refuses a range that is not HH:MM-HH:MM or opens and closes at once', () => {
    const parse = (mon: string[]) => boothConfigSchema.safeParse({ operator: { openingHours: { mon } } });
    expect(parse(['08:00-20:00']).success).toBe(true);
    expect(parse(['8:00-20:00']).success).toBe(false);
    expect(parse(['08:00-24:00']).success).toBe(false);
    expect(parse(['09:00-09:00']).success).toBe(false);
    expect(boothConfigSchema.safeParse({ operator: { openingHours: { monday: [] } } }).success).toBe(false);
  });
});
