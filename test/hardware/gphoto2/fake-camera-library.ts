import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import type {
  CameraHandle,
  CameraLibrary,
  GpOutcome,
} from '../../../hardware/camera/gphoto2/driver/gphoto2-binding.ts';

/**
 * What the fake camera does, read afresh at every call (from an object in-process, or from a
 * JSON file in a fake camera child, so a test can change it while a child runs). Codes are
 * libgphoto2's; 0 or unset is success.
 */
export interface FakeCameraState {
  /** The cameras on the bus; one "Nikon DSC D750" on usb:001,001 when unset. */
  cameras?: { model: string; port: string }[];
  /** What the first call after detection (the config read) answers: -53 is a claim. */
  open?: number;
  /** What each preview answers, or `hang` (never answers). */
  preview?: number | 'hang';
  previewMs?: number;
  /** Codes of successive capture tries (then success), or `hang`. */
  captures?: number[] | 'hang';
  captureMs?: number;
  /** The process ends like a native crash in the addon (SIGSEGV) at the next such call. */
  crashOn?: 'preview' | 'capture';
  /** JPEG files: live-view frames (in turn) and the still. */
  frames: string[];
  still: string;
  config?: unknown;
  /** A config name the camera refuses to set (answers -6, not supported). */
  refuseSetting?: string;
}

export interface FakeCameraCalls {
  previews: number;
  captures: number;
  /** Previews started while a capture was running (must stay 0: one call at a time). */
  overlapping: number;
  /** Previews done when the last capture ended. */
  previewsAtCaptureEnd: number;
  /** Each setting set, in order, with the number of captures made before it. */
  settings: { key: string; value: string | number; capturesBefore: number }[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const forever = () => new Promise<never>(() => {});

/** A CameraLibrary that behaves as `state()` says. */
export function fakeCameraLibrary(state: () => FakeCameraState): {
  library: CameraLibrary;
  calls: FakeCameraCalls;
} {
  const calls: FakeCameraCalls = {
    previews: 0,
    captures: 0,
    overlapping: 0,
    previewsAtCaptureEnd: 0,
    settings: [],
  };
  let busy = 0;
  let captureTry = 0;
  let frame = 0;
  const fail = (gpCode: number): GpOutcome<never> => ({ ok: false, gpCode, message: `fake ${gpCode}` });
  const crash = () => process.kill(process.pid, 'SIGSEGV');

  const handle = (model: string, port: string): CameraHandle => ({
    model,
    port,
    async preview(template) {
      const s = state();
      calls.previews++;
      if (busy > 0) calls.overlapping++;
      if (s.crashOn === 'preview') crash();
      if (s.preview === 'hang') return forever();
      await sleep(s.previewMs ?? 5);
      if (s.preview) return fail(s.preview);
      // As mkstemp does: the template's XXXXXX made unique, the file created.
      const path = template.replace(/XXXXXX$/, randomBytes(3).toString('hex'));
      writeFileSync(path, readFileSync(s.frames[frame++ % s.frames.length]!));
      return { ok: true, value: path };
    },
    async capture() {
      const s = state();
      calls.captures++;
      busy++;
      try {
        if (s.crashOn === 'capture') crash();
        if (s.captures === 'hang') return await forever();
        await sleep(s.captureMs ?? 20);
        const code = s.captures?.[captureTry++];
        if (code) return fail(code);
        captureTry = 0;
        return { ok: true, value: readFileSync(s.still) };
      } finally {
        busy--;
        calls.previewsAtCaptureEnd = calls.previews;
      }
    },
    async setSetting(key, value) {
      await sleep(1);
      if (state().refuseSetting === key) return fail(-6);
      calls.settings.push({ key, value, capturesBefore: calls.captures });
      return { ok: true, value: undefined };
    },
    async config() {
      const s = state();
      await sleep(1);
      if (s.open) return fail(s.open);
      return {
        ok: true,
        value: s.config ?? {
          main: { status: { serialnumber: { label: 'Serial', type: 'string', value: 'F1' } } },
        },
      };
    },
  });

  return {
    calls,
    library: {
      async list() {
        await sleep(1);
        const cameras = state().cameras ?? [{ model: 'Nikon DSC D750', port: 'usb:001,001' }];
        return cameras.map((c) => handle(c.model, c.port));
      },
    },
  };
}
