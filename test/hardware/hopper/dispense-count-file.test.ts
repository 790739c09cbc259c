import {
  closeSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DispenseCountFile } from '../../../hardware/hopper/dispense-count-file.ts';

const dir = mkdtempSync(join(tmpdir(), 'dispense-count-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const fresh = () => join(dir, `nv-${++n}`);

function reopened(path: string): number {
  const nv = DispenseCountFile.open(path);
  try {
    return nv.count;
  } finally {
    nv.close();
  }
}

/** Overwrites `bytes` at `at` in the file, as a write torn by a power cut leaves it. */
function scribble(path: string, at: number, bytes: number[]): void {
  const fd = openSync(path, 'r+');
  try {
    writeSync(fd, Buffer.from(bytes), 0, bytes.length, at);
  } finally {
    closeSync(fd);
  }
}

describe('DispenseCountFile', () => {
  it('starts a new file at 0, owner-only, and reads back what was written last', () => {
    const path = fresh();
    const nv = DispenseCountFile.open(path);
    expect(nv.count).toBe(0);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    for (const count of [1, 2, 3, 1_000_000]) nv.write(count);
    expect(nv.count).toBe(1_000_000);
    nv.close();
    expect(reopened(path)).toBe(1_000_000);
    expect(statSync(path).size).toBe(32); // two 16-byte slots, whatever the number of writes
  });

  it('keeps the count before a write that was torn part-way (the newer slot fails its check)', () => {
    const path = fresh();
    const nv = DispenseCountFile.open(path);
    nv.write(41); // slot 1
    nv.write(42); // slot 0
    nv.close();
    // The next write (43) goes to slot 1: half of it lands, the rest is the old bytes.
    scribble(path, 16 + 4, [0x03, 0, 0, 0, 43, 0]);
    expect(reopened(path)).toBe(42);
    // And a slot torn the other way (its count written, its check not) is refused just as well.
    scribble(path, 0 + 8, [0x99]);
    expect(() => reopened(path)).toThrow(/is not a dispense count file/);
  });

  it('refuses a file that holds something else, rather than taking it as 0', () => {
    const path = fresh();
    writeFileSync(path, '{"count": 12}\n');
    expect(() => DispenseCountFile.open(path)).toThrow(
      /is not a dispense count file \(14 bytes, no slot passes its check\)/,
    );
    expect(readFileSync(path, 'utf8')).toBe('{"count": 12}\n'); // left as it was
  });

  it('refuses a symlink in its place and a count that is no count', () => {
    const target = fresh();
    const link = fresh();
    symlinkSync(target, link);
    expect(() => DispenseCountFile.open(link)).toThrow(/ELOOP|symbolic link/);
    const nv = DispenseCountFile.open(fresh());
    expect(() => nv.write(-1)).toThrow(/whole number/);
    expect(() => nv.write(1.5)).toThrow(/whole number/);
    nv.close();
    expect(() => nv.write(1)).toThrow(/is closed/);
  });
});
