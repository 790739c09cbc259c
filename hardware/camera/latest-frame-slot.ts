import { DeviceError } from '../device-status.ts';
import type { LiveFrame, LiveView } from './camera-port.ts';

/**
 * The latest-frame-wins hand-over between a camera's producer loop and one consumer.
 * Every camera adapter uses this so backpressure behaves the same on real and simulated cameras.
 */
export class LatestFrameSlot implements LiveView {
  #held: LiveFrame | undefined;
  #waiter: { resolve: (f: LiveFrame) => void; reject: (e: Error) => void } | undefined;
  #dropped = 0;
  #closed: Error | undefined;

  constructor(private readonly onStop: () => Promise<void> | void = () => {}) {}

  get dropped(): number {
    return this.#dropped;
  }

  /** Producer side: hand over a new frame, replacing one that nobody took yet. */
  offer(frame: LiveFrame): void {
    if (this.#closed) return;
    if (this.#waiter) {
      const waiter = this.#waiter;
      this.#waiter = undefined;
      waiter.resolve(frame);
      return;
    }
    if (this.#held) this.#dropped++;
    this.#held = frame;
  }

  /** Producer side: the stream ended (error or stop); a waiting consumer is told why. */
  fail(error: Error): void {
    this.#closed = error;
    this.#held = undefined;
    const waiter = this.#waiter;
    this.#waiter = undefined;
    waiter?.reject(error);
  }

  next(): Promise<LiveFrame> {
    if (this.#held) {
      const frame = this.#held;
      this.#held = undefined;
      return Promise.resolve(frame);
    }
    if (this.#closed) return Promise.reject(this.#closed);
    if (this.#waiter) return Promise.reject(new Error('LiveView.next: only one consumer may wait at a time'));
    return new Promise((resolve, reject) => {
      this.#waiter = { resolve, reject };
    });
  }

  async stop(): Promise<void> {
    if (this.#closed) return;
    this.fail(new DeviceError('camera', 'live-view-stopped', 'live view was stopped'));
    await this.onStop();
  }
}
