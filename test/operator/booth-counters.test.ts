// The operator's counters: per day and since reset, one counter reset at a time, kept on disk.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BoothCounters } from '../../app/operator/booth-counters.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const day = 24 * 60 * 60_000;
// Days in UTC so the test does not depend on the machine's zone.
const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const monday = Date.UTC(2026, 11, 7, 10);

function open(): { counters: BoothCounters; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'counters-'));
  dirs.push(dir);
  const file = join(dir, 'operator', 'counters.sqlite');
  return { counters: BoothCounters.open(file, utcDay), file };
}

const byName = (rows: { name: string }[]) => Object.fromEntries(rows.map((r) => [r.name, r]));

describe('BoothCounters', () => {
  it('counts sessions by outcome, prints, refusals by rule and failures by state, per day', () => {
    const { counters } = open();
    counters.record(
      { outcome: 'completed', fault: null, sheetsPrinted: 2, refusedRules: ['eyes.open'] },
      monday - day,
    );
    counters.record({ outcome: 'completed', fault: null, sheetsPrinted: 1, refusedRules: [] }, monday);
    counters.record(
      { outcome: 'walked-away', fault: null, sheetsPrinted: 0, refusedRules: ['eyes.open', 'mouth.closed'] },
      monday,
    );
    counters.record(
      { outcome: 'failed', fault: { state: 'printing' }, sheetsPrinted: 0, refusedRules: [] },
      monday,
    );
    const rows = byName(counters.rows(monday));
    expect(rows['sessions']).toMatchObject({ today: 3, yesterday: 1, sinceReset: 4, resetAt: null });
    expect(rows['completed']).toMatchObject({ today: 1, yesterday: 1, sinceReset: 2 });
    expect(rows['abandoned']).toMatchObject({ today: 1, sinceReset: 1 });
    expect(rows['prints']).toMatchObject({ today: 1, yesterday: 2, sinceReset: 3 });
    expect(rows['refused:eyes.open']).toMatchObject({ today: 1, yesterday: 1, sinceReset: 2 });
    expect(rows['refused:mouth.closed']).toMatchObject({ today: 1, sinceReset: 1 });
    expect(rows['failure:printing']).toMatchObject({ today: 1, sinceReset: 1 });
    expect(rows['declined']).toMatchObject({ today: 0, sinceReset: 0 });
  });

  it('a reset zeroes one counter since reset, keeps its days and the others, and survives a reopen', () => {
    const { counters, file } = open();
    counters.record({ outcome: 'completed', fault: null, sheetsPrinted: 2, refusedRules: [] }, monday);
    expect(counters.reset('prints', monday + 1000)).toBe(2);
    counters.record({ outcome: 'completed', fault: null, sheetsPrinted: 1, refusedRules: [] }, monday + 2000);
    counters.close();
    const again = BoothCounters.open(file, utcDay);
    const rows = byName(again.rows(monday + 3000));
    expect(rows['prints']).toMatchObject({ today: 3, sinceReset: 1, resetAt: monday + 1000 });
    expect(rows['sessions']).toMatchObject({ today: 2, sinceReset: 2, resetAt: null });
    expect(() => again.reset('everything', monday)).toThrow(/no counter is called "everything"/);
    again.close();
  });
});
