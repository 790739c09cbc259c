import type { DeviceStatus, Unsubscribe } from '../device-status.ts';

/** One live-view frame as the camera delivers it (a DSLR's live view is a JPEG stream). */
export interface LiveFrame {
  /** Increases by one for every frame the camera produced, including frames dropped unseen. */
  readonly seq: number;
  /** Clock time the frame was taken, in ms. */
  readonly at: number;
  readonly width: number;
  readonly height: number;
  readonly mime: 'image/jpeg';
  readonly data: Buffer;
}

/** A full-resolution still. */
export interface Still {
  readonly at: number;
  readonly width: number;
  readonly height: number;
  readonly mime: 'image/jpeg';
  readonly data: Buffer;
}

/**
 * A running live view. Latest frame wins: `next()` resolves with the newest frame not yet
 * seen; frames that arrive while the consumer is busy replace each other and are counted in
 * `dropped`, so a slow consumer never builds a queue and always sees the present.
 */
export interface LiveView {
  next(): Promise<LiveFrame>;
  readonly dropped: number;
  stop(): Promise<void>;
}

export type CameraStatus = DeviceStatus;

export interface Camera {
  /** Adapter name, e.g. `simulated`, `gphoto2`. */
  readonly kind: string;
  open(): Promise<void>;
  close(): Promise<void>;
  status(): CameraStatus;
  onStatus(listener: (status: CameraStatus) => void): Unsubscribe;
  /** Starts the live view. Rejects with a DeviceError when the camera cannot stream. */
  startLiveView(): Promise<LiveView>;
  /**
   * Width in pixels of the stills this camera takes, once known (after `open`). Live frames are
   * smaller; the pose coach scales what it measures on them to the still.
   */
  readonly stillWidth?: number;
  /** Takes a full-resolution still. Rejects with a DeviceError (e.g. `disconnected`, `timeout`). */
  captureStill(): Promise<Still>;
}
