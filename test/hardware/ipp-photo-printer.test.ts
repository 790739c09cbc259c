import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DeviceError } from '../../hardware/device-status.ts';
import type { IppClient } from '../../hardware/printer/ipp/ipp-client.ts';
import { IppError } from '../../hardware/printer/ipp/ipp-error.ts';
import type { PlainAttributes } from '../../hardware/printer/ipp/ipp-plain.ts';
import { IppPhotoPrinter, portReason } from '../../hardware/printer/ipp-photo-printer.ts';
import { createLogger } from '../../app/logging/logger.ts';
import { watchPrinterWarnings } from '../../app/booth/printer-warnings.ts';
import type { PrintJobProgress, PrintSheet } from '../../hardware/printer/photo-printer-port.ts';
import { startIppEverywherePrinter } from './ipp/ipp-everywhere-printer.ts';

let jpeg: Buffer;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  jpeg = await sharp({ create: { width: 120, height: 180, channels: 3, background: '#4477aa' } })
    .jpeg()
    .toBuffer();
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(options: { loadedPrints?: number } = {}) {
  const ippeve = await startIppEverywherePrinter({ name: 'Unit Printer' });
  cleanups.push(() => ippeve.stop());
  const printer = new IppPhotoPrinter({
    url: ippeve.url,
    pollMs: 0,
    jobPollMs: 25,
    jobTimeoutMs: 20_000,
    ...options,
  });
  cleanups.push(() => printer.close());
  return { ippeve, printer };
}

const sheet = (overrides: Partial<PrintSheet> = {}): PrintSheet => ({
  jobName: 'passfoto',
  media: '4x6',
  copies: 1,
  data: jpeg,
  ...overrides,
});

async function rejection(work: Promise<unknown>): Promise<DeviceError> {
  const error = await work.then(
    () => {
      throw new Error('expected the print to fail');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DeviceError);
  return error as DeviceError;
}

describe('IppPhotoPrinter against ippeveprinter', () => {
  it('prints a JPEG: the job completes, the exact bytes are in the spool, media is counted down', async () => {
    const { ippeve, printer } = await setup({ loadedPrints: 30 });
    await ippeve.setJobScript(`echo "$IPP_MEDIA $IPP_COPIES" > '${ippeve.spoolDir}/../seen'\n`);
    await printer.open();
    expect(printer.status()).toMatchObject({ online: true, ready: true, state: 'idle', mediaRemaining: 30 });
    const progress: PrintJobProgress[] = [];
    const result = await printer.print(sheet({ copies: 2 }), (p) => progress.push(p));
    expect(result.state).toBe('completed');
    expect(progress.map((p) => p.state)).toContain('completed');
    const file = `${result.jobId}-passfoto.jpg`;
    expect(await ippeve.spooledFiles()).toContain(file);
    expect((await readFile(join(ippeve.spoolDir, file))).equals(jpeg)).toBe(true);
    expect((await readFile(join(ippeve.spoolDir, '../seen'), 'utf8')).trim()).toBe('na_index-4x6_4x6in 2');
    expect(printer.status()).toMatchObject({ ready: true, state: 'idle', mediaRemaining: 28 });
  });

  it('maps the booth media ids to PWG media names', async () => {
    const { ippeve, printer } = await setup();
    await ippeve.setJobScript(`echo "$IPP_MEDIA" > '${ippeve.spoolDir}/../seen'\n`);
    await printer.open();
    await printer.print(sheet({ media: '5x7' }));
    expect((await readFile(join(ippeve.spoolDir, '../seen'), 'utf8')).trim()).toBe('na_5x7_5x7in');
    await expect(printer.print(sheet({ media: 'poster' }))).rejects.toMatchObject({
      code: 'media-unsupported',
    });
  });

  it('out of paper before a job (tray level 0): not ready with media-empty, and refuses the job', async () => {
    const { ippeve, printer } = await setup();
    await printer.open();
    expect(printer.status().ready).toBe(true);
    await ippeve.setMedia(2, { size: 'na_index-4x6_4x6in', type: 'photographic-glossy', level: 0 });
    const status = await printer.refresh();
    expect(status).toMatchObject({ online: true, ready: false, state: 'stopped' });
    expect(status.reasons).toContain('media-empty');
    expect((await rejection(printer.print(sheet()))).code).toBe('media-empty');
    expect(await ippeve.spooledFiles()).toEqual([]);
  });

  for (const reason of ['media-empty', 'media-jam']) {
    it(`a job the printer aborts with ${reason} rejects with that code`, async () => {
      const { ippeve, printer } = await setup({ loadedPrints: 10 });
      await ippeve.setJobScript(`echo "STATE: +${reason}" >&2\nexit 1\n`);
      await printer.open();
      const progress: PrintJobProgress[] = [];
      const error = await rejection(printer.print(sheet(), (p) => progress.push(p)));
      expect(error.code).toBe(reason);
      expect(progress.at(-1)).toMatchObject({ state: 'aborted', reasons: expect.arrayContaining([reason]) });
      expect(printer.status().ready).toBe(false);
      expect(printer.status().reasons).toContain(reason);
      // A failed job is not counted as printed (media-empty sets the count to 0: the media is out).
      expect(printer.status().mediaRemaining).toBe(reason === 'media-empty' ? 0 : 10);
    });
  }

  it('supply low: a warning reason, still ready', async () => {
    const { ippeve, printer } = await setup();
    await ippeve.setJobScript('echo "STATE: +marker-supply-low" >&2\necho "ATTR: marker-levels=8" >&2\n');
    await printer.open();
    await printer.print(sheet());
    expect(printer.status()).toMatchObject({ online: true, ready: true, state: 'idle' });
    expect(printer.status().reasons).toContain('marker-supply-low');
  });

  it('supply low reaches the operators as one warning in the log, and its end as one line', async () => {
    const { ippeve, printer } = await setup();
    const lines: { level: number; msg: string; warnings?: string[] }[] = [];
    const logger = createLogger({
      destination: { write: (line: string) => void lines.push(JSON.parse(line)) },
    });
    await printer.open();
    const stop = watchPrinterWarnings(printer, logger);
    await ippeve.setJobScript('echo "STATE: +marker-supply-low" >&2\n');
    await printer.print(sheet());
    await printer.refresh();
    await ippeve.setJobScript('echo "STATE: -marker-supply-low" >&2\n');
    await printer.print(sheet());
    stop();
    expect(lines.map((l) => [l.msg, l.warnings])).toEqual([
      ['photo printer: supplies low', ['marker-supply-low']],
      ['photo printer: supplies fine again', undefined],
    ]);
    expect(lines[0]!.level).toBe(40);
  });

  it('an unreachable printer is offline, and a job is refused as offline', async () => {
    const { ippeve } = await setup();
    const url = ippeve.url;
    await ippeve.stop();
    const printer = new IppPhotoPrinter({ url, pollMs: 0, requestTimeoutMs: 2000 });
    await printer.open();
    expect(printer.status()).toMatchObject({ online: false, ready: false, reasons: ['offline'] });
    expect((await rejection(printer.print(sheet()))).code).toBe('offline');
    await printer.close();
  });
});

describe('IppPhotoPrinter resuming a paused queue', () => {
  /** A stand-in client whose printer attributes the test sets. */
  function fakeClient(resumeOk: boolean) {
    const state = { attributes: {} as PlainAttributes, resumed: 0 };
    const client = {
      printerUri: 'ipp://fake/ipp/print',
      getPrinterAttributes: async () => state.attributes,
      resumePrinter: async () => {
        state.resumed++;
        if (resumeOk) state.attributes = { 'printer-state': 'idle', 'printer-state-reasons': 'none' };
        return {
          ok: resumeOk,
          status: resumeOk ? 0 : 0x0501,
          statusName: resumeOk ? 'successful-ok' : 'server-error-operation-not-supported',
          message: null,
        };
      },
    } as unknown as IppClient;
    return { client, state };
  }

  it('resumes once the reason it stopped for has cleared', async () => {
    const { client, state } = fakeClient(true);
    const printer = new IppPhotoPrinter({ url: 'ipp://fake/ipp/print', client, pollMs: 0 });
    state.attributes = { 'printer-state': 'stopped', 'printer-state-reasons': ['media-jam-error', 'paused'] };
    await printer.open();
    expect(printer.status().reasons).toEqual(['media-jam', 'paused']);
    expect(state.resumed).toBe(0);
    state.attributes = { 'printer-state': 'stopped', 'printer-state-reasons': 'paused' };
    const status = await printer.refresh();
    expect(state.resumed).toBe(1);
    expect(status).toMatchObject({ ready: true, state: 'idle', reasons: [] });
    expect(printer.lastResume).toMatchObject({ ok: true });
  });

  it('does not resume a queue paused by hand, and reports a refused resume', async () => {
    const { client, state } = fakeClient(false);
    const printer = new IppPhotoPrinter({ url: 'ipp://fake/ipp/print', client, pollMs: 0 });
    state.attributes = { 'printer-state': 'stopped', 'printer-state-reasons': 'paused' };
    await printer.open();
    expect(state.resumed).toBe(0);
    expect(printer.status()).toMatchObject({ ready: false, reasons: ['paused'] });

    state.attributes = { 'printer-state': 'stopped', 'printer-state-reasons': 'media-empty-error' };
    await printer.refresh();
    expect(printer.status().reasons).toEqual(['media-empty']);
    state.attributes = { 'printer-state': 'stopped', 'printer-state-reasons': 'none' };
    await printer.refresh();
    await printer.refresh();
    expect(state.resumed).toBe(1);
    expect(printer.status()).toMatchObject({ ready: false, reasons: ['paused', 'resume-refused'] });
    expect(printer.lastResume).toMatchObject({
      ok: false,
      statusName: 'server-error-operation-not-supported',
    });
  });

  it('polls while open: offline while the printer does not answer, online again when it does', async () => {
    const { client, state } = fakeClient(true);
    let down = true;
    const answer = client.getPrinterAttributes.bind(client);
    client.getPrinterAttributes = async () => {
      if (down) throw new IppError('unreachable', 'connect ECONNREFUSED');
      return answer();
    };
    const printer = new IppPhotoPrinter({ url: 'ipp://fake/ipp/print', client, pollMs: 10 });
    state.attributes = { 'printer-state': 'idle', 'printer-state-reasons': 'none' };
    await printer.open();
    expect(printer.status()).toMatchObject({ online: false, reasons: ['offline'] });
    down = false;
    const deadline = Date.now() + 2000;
    while (!printer.status().online && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(printer.status()).toMatchObject({ online: true, ready: true, state: 'idle' });
    await printer.close();
    expect(printer.status()).toMatchObject({ online: false, ready: false });
  });

  it('strips severity suffixes and maps IPP keywords', () => {
    expect(portReason('media-empty-report')).toBe('media-empty');
    expect(portReason('marker-supply-low-warning')).toBe('marker-supply-low');
    expect(portReason('media-needed-error')).toBe('media-empty');
    expect(portReason('toner-low-report')).toBe('marker-supply-low');
  });
});
