import type { CameraSummary } from '../driver/camera-summary.ts';
import { ChildLink } from '../driver/child-link.ts';
import { meaningOf } from './gphoto2-failure.ts';

export interface Gphoto2ProbeOptions {
  /** libgphoto2's port of the camera to ask; the first camera found without it. */
  port?: string;
  /** A private folder for the camera child (see `scratchDir` in the camera's config). */
  scratchDir: string;
  env?: Readonly<Record<string, string>>;
  /** Budget for the child's start, the detection and the summary, each. */
  timeoutMs?: number;
}

export type Gphoto2Probe =
  | {
      found: true;
      camera: CameraSummary;
      /** How long each step took, ms: the child's start (loading node-gphoto2), detect, summary. */
      ms: { start: number; detect: number; summary: number };
    }
  | {
      found: false;
      /** The status reason a booth would show: `disconnected`, `claimed-by-another-process`, or `adapter-error`. */
      reason: string;
      message: string;
      gpCode: number | null;
    };

/**
 * Asks once, in a camera child of its own, which camera is there and what it says of itself
 * (`kiosk camera probe`). Nothing is set on the camera; the child is ended afterwards, so the
 * camera is free for the booth again. No retries: a technician runs it again.
 */
export async function probeGphoto2Camera(options: Gphoto2ProbeOptions): Promise<Gphoto2Probe> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const link = new ChildLink({
    scratchRoot: options.scratchDir,
    env: options.env,
    onFrame: () => {},
  });
  try {
    let at = performance.now();
    const lap = () => {
      const now = performance.now();
      const ms = Math.round(now - at);
      at = now;
      return ms;
    };
    const ready = await link.ready(timeoutMs);
    if (!ready.ok) {
      const fatal = link.fatal;
      return {
        found: false,
        reason: fatal ? 'adapter-error' : 'disconnected',
        message: fatal ?? ready.failure.message,
        gpCode: null,
      };
    }
    const start = lap();
    const detected = await link.call('detect', { port: options.port }, timeoutMs);
    if (!detected.ok) {
      const failure = detected.failure;
      const meaning = meaningOf(failure);
      return {
        found: false,
        reason: meaning.lost ? meaning.reason : meaning.code,
        message: failure.message,
        gpCode: failure.kind === 'camera' ? failure.gpCode : null,
      };
    }
    const detect = lap();
    const summary = await link.call('summary', {}, timeoutMs);
    const camera: CameraSummary = summary.ok
      ? summary.value
      : {
          ...detected.value,
          manufacturer: null,
          serial: null,
          battery: null,
          lens: null,
          availableShots: null,
          settings: {},
        };
    return { found: true, camera, ms: { start, detect, summary: lap() } };
  } finally {
    await link.kill();
  }
}
