// `kiosk check-photo`: JSON lines or a table per file, an error line for a file that is not an
// image, and the exit codes (0 all pass, 1 any fail or error, 2 usage). Runs the real engine.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../app/cli/main.ts';
import type { CliIO } from '../../../app/cli/cli-io.ts';
import { CHECK_IDS } from '../../../app/services/vision/checks/check-result.ts';
import { WorkerFaceEngine } from '../../../app/services/vision/engine/worker-face-engine.ts';
import { closeMouth, portraitsDir } from './perturb.ts';

function capture(): CliIO & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: (l) => lines.push(l), err: (l) => errors.push(l) };
}

const fixture = (name: string) => path.join(portraitsDir, `${name}.jpg`);

/** test0 smiles with the teeth showing; with its lips painted closed it meets every limit. */
let compliant: string;
beforeAll(async () => {
  const engine = await WorkerFaceEngine.start();
  try {
    const data = readFileSync(fixture('test0'));
    const face = (await engine.analyze({ data }, { mode: 'still' })).faces[0]!;
    compliant = path.join(mkdtempSync(path.join(tmpdir(), 'check-photo-')), 'test0-mouth-closed.jpg');
    writeFileSync(compliant, await closeMouth(data, face));
  } finally {
    await engine.close();
  }
}, 120_000);

describe('kiosk check-photo', () => {
  it('prints one JSON line per file, an error line for a corrupt one, and exits 1 when any fails', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'check-photo-'));
    const corrupt = path.join(dir, 'corrupt.jpg');
    writeFileSync(corrupt, Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]));
    const io = capture();
    const code = await main(
      ['check-photo', '--json', compliant, corrupt, fixture('test4'), fixture('test0')],
      io,
    );
    expect(code).toBe(1);
    expect(io.lines).toHaveLength(4);
    const [good, bad, smiling, teeth] = io.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(Object.keys(good!)).toEqual(['file', 'verdict', 'face', 'checks']);
    expect(good).toMatchObject({ file: compliant, verdict: 'pass' });
    const face = good!.face as { roll: number; yaw: number; pitch: number; box: number[] };
    expect(Object.keys(face)).toEqual(['roll', 'yaw', 'pitch', 'box']);
    expect(face.box).toHaveLength(4);
    const checks = good!.checks as Array<Record<string, unknown>>;
    expect(checks.map((c) => c.id)).toEqual([...CHECK_IDS]);
    for (const c of checks) {
      expect(Object.keys(c)).toEqual(['id', 'pass', 'value', 'limit', 'message']);
      expect(typeof c.value).toBe('number');
    }
    expect(bad).toEqual({ file: corrupt, error: expect.stringMatching(/not a readable image/) });
    expect(smiling).toMatchObject({ verdict: 'fail' });
    expect(
      (smiling!.checks as Array<{ id: string; pass: boolean; hint?: string }>).find(
        (c) => c.id === 'expression.neutral',
      ),
    ).toMatchObject({
      pass: false,
      hint: 'hint.neutralExpression',
    });
    const failed = (teeth!.checks as Array<{ id: string; pass: boolean; hint?: string }>).filter(
      (c) => !c.pass,
    );
    expect(teeth).toMatchObject({ verdict: 'fail' });
    expect(failed).toEqual([expect.objectContaining({ id: 'mouth.closed', hint: 'hint.closeMouth' })]);
  }, 120_000);

  it('exits 0 when every photo passes, and prints a readable table without --json', async () => {
    const io = capture();
    expect(await main(['check-photo', compliant, '--spec', 'uk-passport'], io)).toBe(0);
    expect(io.lines[0]).toBe(`${compliant}: PASS (uk-passport)`);
    expect(io.lines.some((l) => /^ {2}pass {2}head\.roll +-?\d/.test(l))).toBe(true);
    expect(io.lines.filter((l) => /^ {2}(pass|FAIL) /.test(l))).toHaveLength(CHECK_IDS.length);
  }, 120_000);

  it('exits 1 for a file that does not exist, and says so', async () => {
    const io = capture();
    expect(await main(['check-photo', '--json', '/nonexistent/photo.jpg'], io)).toBe(1);
    expect(JSON.parse(io.lines[0]!)).toEqual({
      file: '/nonexistent/photo.jpg',
      error: expect.stringMatching(/ENOENT/),
    });
  }, 120_000);

  it('exits 2 for an unknown document spec or no file, before starting the engine', async () => {
    const io = capture();
    expect(await main(['check-photo', '--spec', 'xx-passport', fixture('test0')], io)).toBe(2);
    expect(io.errors.join('\n')).toMatch(/unknown document spec "xx-passport"/);
    expect(await main(['check-photo'], io)).toBe(2);
    expect(io.lines).toEqual([]);
  });
});
