// `kiosk make-photo` through the real bin (tsx, the face engine in its worker, sharp): a real
// portrait becomes a compliant Schengen visa photo with its sheet and digital file; a still with
// the head cut off is refused with the failing rule and no files; wrong calls exit 2.
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import type { ProductionReport } from '../../app/services/production/id-photo-producer.ts';
import { runKiosk } from '../support/run-kiosk.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const portraits = path.resolve(repoRoot, '../shared/fixtures/portraits');
const portrait = path.join(portraits, 'test3.jpg');
const work = mkdtempSync(path.join(tmpdir(), 'kiosk-make-photo-'));
const dataDir = path.join(work, 'data');
afterAll(() => rmSync(work, { recursive: true, force: true }));
/** The environment without a data-dir override: every run names its own. */
const { KIOSK_DATA_DIR: _dataDirEnv, ...env } = process.env;

const run = (args: string[]) => runKiosk(args, { env });

const makePhoto = (file: string, out: string, ...more: string[]) =>
  run(['make-photo', file, '--spec', 'schengen-visa', '--out', out, '--data-dir', dataDir, ...more]);

/** The whole of stdout is one JSON report. */
const reportOf = (stdout: string): ProductionReport => JSON.parse(stdout) as ProductionReport;

const modeOf = (file: string) => statSync(file).mode & 0o777;

describe('kiosk make-photo', () => {
  it('makes a compliant Schengen visa photo, sheet and digital file from a real portrait', async () => {
    const out = path.join(work, 'schengen');
    const { code, stdout, stderr } = await makePhoto(portrait, out, '--copies', '6');
    expect(code, stderr).toBe(0);
    const report = reportOf(stdout);
    expect(report).toMatchObject({
      spec: 'schengen-visa',
      document: 'Schengen visa',
      compliant: true,
      failed: null,
    });
    // The figures the report promises.
    expect(report.headHeightMm).toBeGreaterThanOrEqual(32);
    expect(report.headHeightMm).toBeLessThanOrEqual(36);
    expect(typeof report.eyeLineFromBottomMm).toBe('number');
    expect(report.eyeLineFromBottomMm!).toBeGreaterThan(report.headHeightMm! / 3);
    expect(report.eyeLineFromBottomMm!).toBeLessThan(45);
    expect(typeof report.rotationDeg).toBe('number');
    expect(Math.abs(report.rotationDeg!)).toBeLessThan(10);
    expect(report.scale!).toBeGreaterThan(0);
    expect(report.background).toMatchObject({ mode: 'replaced', colour: '#ffffff' });
    expect(report.photo).toEqual({ widthPx: 413, heightPx: 531, dpi: 300 });
    expect(report.sheets).toEqual([{ media: '4x6', copies: 6, widthPx: 1200, heightPx: 1800 }]);
    // Every rule passes, with what it measured.
    const ids = report.rules.map((r) => r.id);
    for (const id of [
      'head.height',
      'top.margin',
      'face.centred',
      'background.colour',
      'background.uniform',
      'crop.inside',
      'resolution',
      'photo.size',
      'digital.size',
      'digital.bytes',
    ])
      expect(ids).toContain(id);
    for (const rule of report.rules) {
      expect(rule.pass, rule.message).toBe(true);
      expect(typeof rule.measured, rule.id).toBe('number');
      expect(rule.message.length).toBeGreaterThan(0);
    }
    const headRule = report.rules.find((r) => r.id === 'head.height')!;
    expect(headRule).toMatchObject({ min: 32, max: 36, unit: 'mm' });
    expect(headRule.measured).toBeCloseTo(report.headHeightMm!, 1);

    // The files, readable by the owner only.
    expect(readdirSync(out).sort()).toEqual(['digital.jpg', 'photo.jpg', 'sheet.jpg']);
    for (const name of ['photo.jpg', 'sheet.jpg', 'digital.jpg'])
      expect(modeOf(path.join(out, name)), name).toBe(0o600);
    const photo = await sharp(path.join(out, 'photo.jpg')).metadata();
    expect([photo.format, photo.width, photo.height, photo.density]).toEqual(['jpeg', 413, 531, 300]);
    const sheet = await sharp(path.join(out, 'sheet.jpg')).metadata();
    expect([sheet.width, sheet.height]).toEqual([1200, 1800]);
    const digital = await sharp(path.join(out, 'digital.jpg')).metadata();
    expect(digital.format).toBe('jpeg');
    expect([digital.width, digital.height]).toEqual([report.digital!.widthPx, report.digital!.heightPx]);
    expect(digital.height).toBeGreaterThanOrEqual(600);
    expect(digital.height).toBeLessThanOrEqual(1200);
    expect(statSync(path.join(out, 'digital.jpg')).size).toBe(report.digital!.bytes);
    expect(report.digital!.bytes).toBeGreaterThanOrEqual(50_000);
    // The backdrop was replaced with white: the photo's top corners are white.
    const { data, info } = await sharp(path.join(out, 'photo.jpg'))
      .raw()
      .toBuffer({ resolveWithObject: true });
    for (const x of [2, info.width - 3]) {
      const i = (2 * info.width + x) * info.channels;
      expect(Math.min(data[i]!, data[i + 1]!, data[i + 2]!)).toBeGreaterThanOrEqual(250);
    }
  }, 120_000);

  it('lays the copies out on 5x7 media with --media 5x7', async () => {
    const out = path.join(work, 'five-by-seven');
    const { code, stdout, stderr } = await makePhoto(portrait, out, '--copies', '6', '--media', '5x7');
    expect(code, stderr).toBe(0);
    const report = reportOf(stdout);
    expect(report.compliant).toBe(true);
    const sheets = report.sheets.map((s) => [s.widthPx, s.heightPx].sort((a, b) => a - b));
    expect(sheets).toEqual([[1500, 2100]]);
    expect(report.sheets[0]!.media).toBe('5x7');
    const sheet = await sharp(path.join(out, 'sheet.jpg')).metadata();
    expect([sheet.width, sheet.height].sort((a, b) => a! - b!)).toEqual([1500, 2100]);
  }, 120_000);

  it('refuses a still with the head cut off at the top: exit 1, crop.inside, no files', async () => {
    const cut = path.join(work, 'cut-off.jpg');
    const { width, height } = await sharp(portrait).metadata();
    // The top 150 px of a 715 px portrait hold the top of the head.
    await sharp(portrait)
      .extract({ left: 0, top: 150, width: width!, height: height! - 150 })
      .jpeg({ quality: 95 })
      .toFile(cut);
    const out = path.join(work, 'cut-off');
    const { code, stdout, stderr } = await makePhoto(cut, out);
    expect(code, stderr).toBe(1);
    const report = reportOf(stdout);
    expect(report.compliant).toBe(false);
    expect(report.failed?.id).toBe('crop.inside');
    expect(report.failed?.message).toContain('top');
    expect(report.failed?.measured).toBeGreaterThan(0.05);
    expect(existsSync(out)).toBe(false);
  }, 120_000);

  it('exits 2 with a message when called wrongly', async () => {
    const out = path.join(work, 'wrong');
    const noSpec = await run(['make-photo', portrait, '--out', out, '--data-dir', dataDir]);
    expect(noSpec.code).toBe(2);
    expect(noSpec.stderr).toContain('make-photo needs --spec DOC_ID');

    const unknownSpec = await run([
      'make-photo',
      portrait,
      '--spec',
      'xx-passport',
      '--out',
      out,
      '--data-dir',
      dataDir,
    ]);
    expect(unknownSpec.code).toBe(2);
    expect(unknownSpec.stderr).toContain('unknown document spec "xx-passport"');
    expect(unknownSpec.stderr).toContain('schengen-visa');

    const unknownMedia = await makePhoto(portrait, out, '--media', '9x13');
    expect(unknownMedia.code).toBe(2);
    expect(unknownMedia.stderr).toContain('unknown media "9x13"');
    expect(unknownMedia.stderr).toContain('5x7');

    const noOut = await run(['make-photo', portrait, '--spec', 'schengen-visa', '--data-dir', dataDir]);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toContain('make-photo needs --out DIR');

    const badCopies = await makePhoto(portrait, out, '--copies', '0');
    expect(badCopies.code).toBe(2);
    expect(badCopies.stderr).toContain('--copies must be a whole number of at least 1');

    for (const r of [noSpec, unknownSpec, unknownMedia, noOut, badCopies]) expect(r.stdout).toBe('');
    expect(existsSync(out)).toBe(false);
  }, 60_000);

  it('exits 1 for a file it cannot read', async () => {
    const out = path.join(work, 'unreadable');
    const missing = await makePhoto(path.join(work, 'no-such-photo.jpg'), out);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('cannot read');
    expect(missing.stderr).toContain('ENOENT');
    expect(missing.stdout).toBe('');

    // A device would be read without end (/dev/zero grew past 3 GB); a directory is no photo.
    for (const [what, why] of [
      ['/dev/zero', /not a regular file \(a device\)/],
      [work, /not a regular file \(a directory\)/],
    ] as const) {
      const refused = await makePhoto(what, out);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(why);
    }

    const notAnImage = path.join(work, 'not-an-image.jpg');
    writeFileSync(notAnImage, 'this is not a JPEG, only text with a .jpg name\n'.repeat(20));
    const corrupt = await makePhoto(notAnImage, out);
    expect(corrupt.code).toBe(1);
    expect(corrupt.stderr).toMatch(/kiosk: .*cannot be read/);
    expect(existsSync(out)).toBe(false);
  }, 120_000);
});
