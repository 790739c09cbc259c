import type { CameraSummary } from './camera-summary.ts';

/**
 * The camera child's IPC protocol (Node's channel with `serialization: 'advanced'`, so a still
 * crosses as bytes, not as JSON). The booth sends commands with ids; the child runs them one at
 * a time against the camera and answers each with a reply carrying the same id. A failure
 * carries libgphoto2's own code (`gpCode`, see gphoto2-result.ts) or null when libgphoto2 was
 * not the one that failed. Live-view frames do not come this way: see frame-record.ts.
 */

/** What the child is started with (its one argument, as JSON). */
export interface ChildInput {
  /** A folder of this child's own, made and removed by the parent (see scratchDir in the config). */
  readonly scratchDir: string;
  /** Log libgphoto2 at this level (0 errors … 3 debug) to stderr; unset: no library log. */
  readonly logLevel?: number;
}

export interface DetectedCamera {
  readonly model: string;
  readonly port: string;
}

export interface CaptureResult {
  readonly data: Uint8Array;
  /** Tries it took (1 unless the camera was busy). */
  readonly attempts: number;
  /** Trigger to last byte downloaded, in the child, ms. */
  readonly ms: number;
}

/** Each command's arguments and what its reply carries. */
export interface ChildOps {
  /** A fresh `list()`; uses the camera on `port`, else the first. Fails -52 when none is there. */
  detect: { args: { port?: string }; result: DetectedCamera };
  summary: { args: Record<never, never>; result: CameraSummary };
  /** Starts (or retunes) the preview loop; the first frame after each start is not sent. */
  'live-view-start': { args: { maxFps: number }; result: null };
  'live-view-stop': { args: Record<never, never>; result: null };
  /**
   * Pauses live view, triggers and downloads to memory (deleted from the card), resumes.
   * A busy camera (-110) is tried again `busyRetries` times, `retryDelayMs` apart.
   */
  capture: {
    /** `settings`: config values set before each trigger (live view may have changed them). */
    args: { busyRetries: number; retryDelayMs: number; settings?: Readonly<Record<string, string | number>> };
    result: CaptureResult;
  };
  /** A cheap camera call so the camera does not fall asleep between customers. */
  'keep-alive': { args: Record<never, never>; result: null };
  /**
   * Whether the open camera is still on the bus: a fresh `list()` (USB enumeration, no PTP
   * traffic to the camera, so it neither wakes nor disturbs it). Between customers an unplug is
   * seen only this way: nothing else talks to the camera then.
   */
  present: { args: Record<never, never>; result: boolean };
}

export type ChildOp = keyof ChildOps;

export type ChildCommand = {
  [O in ChildOp]: { type: 'command'; id: number; op: O } & ChildOps[O]['args'];
}[ChildOp];

export type ChildReply =
  | { type: 'reply'; id: number; ok: true; value: unknown }
  | { type: 'reply'; id: number; ok: false; gpCode: number | null; message: string };

/** Told by the child on its own. */
export type ChildNotice =
  /** The binding loaded; commands may come. */
  | { type: 'ready'; pid: number }
  /** The child cannot work at all (the binding is not installed); it exits after saying so. */
  | { type: 'fatal'; message: string }
  /** A preview call failed: the live view has ended in the child. */
  | { type: 'live-view-failed'; gpCode: number | null; message: string };

export type FromChild = ChildReply | ChildNotice;

export function isFromChild(message: unknown): message is FromChild {
  if (typeof message !== 'object' || message === null) return false;
  const type = (message as { type?: unknown }).type;
  return type === 'reply' || type === 'ready' || type === 'fatal' || type === 'live-view-failed';
}

export function isChildCommand(message: unknown): message is ChildCommand {
  return (
    typeof message === 'object' &&
    message !== null &&
    (message as { type?: unknown }).type === 'command' &&
    typeof (message as { id?: unknown }).id === 'number' &&
    typeof (message as { op?: unknown }).op === 'string'
  );
}
