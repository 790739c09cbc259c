import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CameraChildServer } from '../../../hardware/camera/gphoto2/driver/camera-child-server.ts';
import type {
  ChildCommand,
  ChildNotice,
  ChildReply,
  FromChild,
} from '../../../hardware/camera/gphoto2/driver/child-protocol.ts';
import {
  FramePipeWriter,
  FrameRecordReader,
  type FrameRecord,
} from '../../../hardware/camera/gphoto2/driver/frame-record.ts';
import { fakeCameraLibrary, type FakeCameraState } from './fake-camera-library.ts';

/** A command as a test writes it: the server's id and type are added by `call`. */
type CommandBody = ChildCommand extends infer C
  ? C extends ChildCommand
    ? Omit<C, 'id' | 'type'>
    : never
  : never;

let dir: string;
let frames: string[];
let still: string;

beforeAll(async () => {
  dir = mkdtempSync(join(process.cwd(), 'test-artifacts', 'child-server-'));
  frames = [];
  for (const [i, color] of ['#102030', '#405060', '#708090'].entries()) {
    const path = join(dir, `frame-${i}.jpg`);
    writeFileSync(
      path,
      await sharp({ create: { width: 64, height: 48, channels: 3, background: color } })
        .jpeg()
        .toBuffer(),
    );
    frames.push(path);
  }
  still = join(dir, 'still.jpg');
  writeFileSync(
    still,
    await sharp({ create: { width: 300, height: 200, channels: 3, background: '#fff' } })
      .jpeg()
      .toBuffer(),
  );
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A server on a fake camera, with everything it says and sends kept. */
function serve(overrides: Partial<FakeCameraState> = {}, options: { pipeBackedUp?: () => boolean } = {}) {
  const state: FakeCameraState = { frames, still, ...overrides };
  const { library, calls } = fakeCameraLibrary(() => state);
  const scratchDir = mkdtempSync(join(dir, 'scratch-'));
  const records: FrameRecord[] = [];
  const reader = new FrameRecordReader();
  const pipe = new Writable({
    write(chunk: Buffer, _encoding, done) {
      records.push(...reader.push(chunk));
      done();
    },
  });
  if (options.pipeBackedUp) {
    const backedUp = options.pipeBackedUp;
    Object.defineProperty(pipe, 'writableNeedDrain', { get: backedUp });
  }
  const messages: FromChild[] = [];
  const writer = new FramePipeWriter(pipe);
  const server = new CameraChildServer({
    library,
    scratchDir,
    frames: writer,
    send: (m) => messages.push(m),
  });
  let id = 0;
  const call = async (command: CommandBody): Promise<ChildReply> => {
    const sent = { ...command, type: 'command', id: ++id } as ChildCommand;
    await server.handle(sent);
    return messages.find((m): m is ChildReply => m.type === 'reply' && m.id === sent.id)!;
  };
  const notices = () => messages.filter((m): m is ChildNotice => m.type !== 'reply');
  return { state, calls, server, records, writer, call, notices, scratchDir };
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
async function until(condition: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await wait(5);
  }
}

describe('CameraChildServer', () => {
  it('detects the first camera, or the one on the configured port, and says -52 when there is none', async () => {
    const cameras = [
      { model: 'Canon EOS 2000D', port: 'usb:001,004' },
      { model: 'Nikon DSC D750', port: 'usb:001,007' },
    ];
    const a = serve({ cameras });
    expect(await a.call({ op: 'detect' })).toMatchObject({ ok: true, value: cameras[0] });
    expect(await a.call({ op: 'detect', port: 'usb:001,007' })).toMatchObject({
      ok: true,
      value: cameras[1],
    });
    const missing = await a.call({ op: 'detect', port: 'usb:002,001' });
    expect(missing).toMatchObject({ ok: false, gpCode: -52 });
    expect(missing.ok || missing.message).toMatch(
      /no camera on usb:002,001 \(found Canon EOS 2000D on usb:001,004/,
    );
    expect(await serve({ cameras: [] }).call({ op: 'detect' })).toMatchObject({ ok: false, gpCode: -52 });
  });

  it('fails detection with the code of the first camera call (a claim is -53, not a later surprise)', async () => {
    const s = serve({ open: -53 });
    expect(await s.call({ op: 'detect' })).toMatchObject({ ok: false, gpCode: -53 });
    // Nothing was detected, so nothing can be asked of the camera.
    expect(await s.call({ op: 'summary' })).toMatchObject({
      ok: false,
      gpCode: null,
      message: /detect first/,
    });
  });

  it('sums the camera up from its config tree', async () => {
    const config = {
      main: {
        status: {
          serialnumber: { label: 'Serial Number', type: 'string', value: '6000001' },
          batterylevel: { label: 'Battery Level', type: 'string', value: '50%' },
          lensname: { label: 'Lens Name', type: 'string', value: ' 24-70mm f/2.8 ' },
          manufacturer: { label: 'Camera Manufacturer', type: 'string', value: 'Nikon Corporation' },
          availableshots: { label: 'Available Shots', type: 'string', value: '812' },
        },
        capturesettings: {
          'f-number': { label: 'F-Number', type: 'choice', value: 'f/8', choices: ['f/8'] },
          shutterspeed: { label: 'Shutter Speed', type: 'choice', value: '1/125' },
          focusmode: { label: 'Focus Mode', type: 'choice', value: '' },
        },
        imgsettings: { iso: { label: 'ISO Speed', type: 'choice', value: '100' } },
      },
    };
    const s = serve({ config });
    await s.call({ op: 'detect' });
    expect(await s.call({ op: 'summary' })).toEqual({
      type: 'reply',
      id: 2,
      ok: true,
      value: {
        model: 'Nikon DSC D750',
        port: 'usb:001,001',
        manufacturer: 'Nikon Corporation',
        serial: '6000001',
        battery: '50%',
        lens: '24-70mm f/2.8',
        availableShots: 812,
        settings: { 'f-number': 'f/8', shutterspeed: '1/125', iso: '100' },
      },
    });
  });

  it('streams frames paced to maxFps, skipping the first, tagged with size and rising seq; leaves no preview file', async () => {
    const s = serve({ previewMs: 1 });
    await s.call({ op: 'detect' });
    const t0 = Date.now();
    expect(await s.call({ op: 'live-view-start', maxFps: 20 })).toMatchObject({ ok: true, value: null });
    await until(() => s.records.length >= 6);
    const elapsed = Date.now() - t0;
    await s.call({ op: 'live-view-stop' });
    // 7 previews (one skipped) at 20 fps take about 300 ms; unpaced they would take ~10 ms.
    expect(elapsed).toBeGreaterThanOrEqual(6 * 50 - 30);
    expect(s.records.slice(0, 6).map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(s.records[0]).toMatchObject({ width: 64, height: 48 });
    expect(s.calls.previews).toBeGreaterThanOrEqual(7);
    // The first frame the camera handed over was skipped: the first sent is the second file.
    const [first] = s.records;
    const { data } = await sharp(first!.jpeg).raw().toBuffer({ resolveWithObject: true });
    expect(data[0]).toBeGreaterThan(0x30); // #405060, not #102030
    await wait(100);
    expect(readdirSync(s.scratchDir)).toEqual([]);
  });

  it('drops frames while the pipe is backed up, still counting them in seq', async () => {
    let backedUp = false;
    const s = serve({ previewMs: 1 }, { pipeBackedUp: () => backedUp });
    await s.call({ op: 'detect' });
    await s.call({ op: 'live-view-start', maxFps: 60 });
    await until(() => s.records.length >= 2);
    backedUp = true;
    await until(() => s.writer.dropped >= 3);
    backedUp = false;
    const seen = s.records.length;
    await until(() => s.records.length > seen);
    await s.call({ op: 'live-view-stop' });
    const after = s.records[seen]!;
    expect(after.seq - s.records[seen - 1]!.seq - 1).toBeGreaterThanOrEqual(3);
    expect(s.server.seq).toBe(s.records.length + s.writer.dropped);
  });

  it('captures one call at a time: live view pauses for the still, then resumes (its first frame skipped)', async () => {
    const s = serve({ previewMs: 5, captureMs: 200 });
    await s.call({ op: 'detect' });
    // 10 fps: the test looks (every 5 ms) long before the next preview after a frame is due.
    await s.call({ op: 'live-view-start', maxFps: 10 });
    await until(() => s.records.length >= 2);
    const previewsBefore = s.calls.previews;
    const reply = await s.call({ op: 'capture', busyRetries: 0, retryDelayMs: 10 });
    expect(reply).toMatchObject({ ok: true, value: { attempts: 1 } });
    const value = (reply as { value: { data: Uint8Array; ms: number } }).value;
    expect((await sharp(value.data).metadata()).width).toBe(300);
    expect(value.ms).toBeGreaterThanOrEqual(190);
    // At most the preview in flight when the capture came ran beside it, never one started during it.
    expect(s.calls.overlapping).toBe(0);
    expect(s.calls.previews - previewsBefore).toBeLessThanOrEqual(1);
    const seen = s.records.length;
    await until(() => s.records.length > seen);
    const previewsToNextFrame = s.calls.previews - s.calls.previewsAtCaptureEnd;
    await s.call({ op: 'live-view-stop' });
    // The first preview after the capture (its review image on a real camera) was not sent.
    expect(previewsToNextFrame).toBe(2);
  });

  it('tries a busy capture (-110) again busyRetries times, then gives up with -110', async () => {
    const s = serve({ captures: [-110, -110] });
    await s.call({ op: 'detect' });
    expect(await s.call({ op: 'capture', busyRetries: 2, retryDelayMs: 5 })).toMatchObject({
      ok: true,
      value: { attempts: 3 },
    });
    const t = serve({ captures: [-110, -110, -110] });
    await t.call({ op: 'detect' });
    const failed = await t.call({ op: 'capture', busyRetries: 1, retryDelayMs: 5 });
    expect(failed).toMatchObject({ ok: false, gpCode: -110, message: /after 2 tries/ });
    expect(t.calls.captures).toBe(2);
    // Other failures are not tried again.
    const u = serve({ captures: [-7] });
    await u.call({ op: 'detect' });
    expect(await u.call({ op: 'capture', busyRetries: 5, retryDelayMs: 5 })).toMatchObject({
      ok: false,
      gpCode: -7,
    });
    expect(u.calls.captures).toBe(1);
  });

  it('sets the capture settings before each trigger; one the camera refuses fails the capture, naming it', async () => {
    const s = serve({});
    await s.call({ op: 'detect' });
    const settings = { 'f-number': 'f/8', iso: 200 };
    for (let i = 0; i < 2; i++)
      expect(await s.call({ op: 'capture', busyRetries: 0, retryDelayMs: 5, settings })).toMatchObject({
        ok: true,
      });
    expect(s.calls.settings).toEqual([
      { key: 'f-number', value: 'f/8', capturesBefore: 0 },
      { key: 'iso', value: 200, capturesBefore: 0 },
      { key: 'f-number', value: 'f/8', capturesBefore: 1 },
      { key: 'iso', value: 200, capturesBefore: 1 },
    ]);
    const t = serve({ refuseSetting: 'iso' });
    await t.call({ op: 'detect' });
    expect(await t.call({ op: 'capture', busyRetries: 3, retryDelayMs: 5, settings })).toMatchObject({
      ok: false,
      gpCode: -6,
      message: /^capture setting iso = 200: /,
    });
    // Not triggered at all, and not tried again: it is a config to fix.
    expect(t.calls.captures).toBe(0);
  });

  it('a failing preview ends live view and says so with its code', async () => {
    const s = serve({ previewMs: 1 });
    await s.call({ op: 'detect' });
    await s.call({ op: 'live-view-start', maxFps: 50 });
    await until(() => s.records.length >= 1);
    s.state.preview = -7;
    await until(() => s.notices().length > 0);
    expect(s.notices()).toEqual([{ type: 'live-view-failed', gpCode: -7, message: 'fake -7' }]);
    const previews = s.calls.previews;
    await wait(60);
    expect(s.calls.previews).toBe(previews);
  });
});
