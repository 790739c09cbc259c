import type { Clock } from '../../../../core/clock.ts';
import type { LiveView, LiveFrame } from '../../camera-port.ts';
import { LatestFrameSlot } from '../../latest-frame-slot.ts';
import type { FrameRecord } from '../driver/frame-record.ts';

/** The camera's frame count, carried across live views and camera children. */
export interface FrameCounter {
  /** Moves the count on by `by` and returns the new value. */
  advance(by: number): number;
}

/**
 * One live view of the gphoto2 camera: frames from the child's pipe go into a LatestFrameSlot
 * (latest frame wins, as on every camera). Frames the child had to drop because the pipe was
 * full show as gaps in its numbering; they are counted in `dropped` with the slot's own, so
 * `seq` and `dropped` add up as the port promises.
 */
export class Gphoto2LiveView implements LiveView {
  readonly #slot: LatestFrameSlot;
  readonly #clock: Clock;
  readonly startedAt: number;
  /** Clock time a frame was last heard (for the supervisor's no-frame watch). */
  lastHeardAt: number;
  #pipeDropped = 0;
  #lastChildSeq: number | undefined;
  #lastAt = Number.NEGATIVE_INFINITY;

  constructor(clock: Clock, onStop: () => Promise<void>) {
    this.#clock = clock;
    this.startedAt = clock.now();
    this.lastHeardAt = this.startedAt;
    this.#slot = new LatestFrameSlot(onStop);
  }

  get dropped(): number {
    return this.#slot.dropped + this.#pipeDropped;
  }

  next(): Promise<LiveFrame> {
    return this.#slot.next();
  }

  stop(): Promise<void> {
    return this.#slot.stop();
  }

  /** The view ended (camera lost, closed, failing): a waiting consumer is told why. */
  fail(error: Error): void {
    this.#slot.fail(error);
  }

  /** A frame from the current child. */
  take(record: FrameRecord, counter: FrameCounter): void {
    const now = this.#clock.now();
    // The child stamps frames with its own wall clock; the booth's frames are on the booth's
    // clock, so a frame is placed by its age when it arrived, and never before the last one.
    const age = Math.max(0, Date.now() - record.takenAt);
    const at = Math.min(now, Math.max(this.#lastAt, now - age));
    // A frame of the previous view still on its way: not this view's.
    if (at < this.startedAt) return;
    const gap = this.#lastChildSeq === undefined ? 0 : Math.max(0, record.seq - this.#lastChildSeq - 1);
    this.#lastChildSeq = record.seq;
    this.#pipeDropped += gap;
    this.#lastAt = at;
    this.lastHeardAt = now;
    this.#slot.offer({
      seq: counter.advance(gap + 1),
      at,
      width: record.width,
      height: record.height,
      mime: 'image/jpeg',
      data: record.jpeg,
    });
  }
}
