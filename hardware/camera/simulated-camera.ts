import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import type { Clock, TimerHandle } from '../../core/clock.ts';
import { DeviceError, StatusCell, type Unsubscribe } from '../device-status.ts';
import { SeededRandom } from '../sim/seeded-random.ts';
import { FaultSet, type FaultInjectable, type SimFault } from '../sim/faults.ts';
import type { Camera, CameraStatus, LiveFrame, LiveView, Still } from './camera-port.ts';
import { LatestFrameSlot } from './latest-frame-slot.ts';

export interface SimulatedCameraOptions {
  clock: Clock;
  /** Portrait images (JPEG, PNG, WebP) the camera "sees". */
  portraits: readonly string[];
  seed?: number;
  /** Index of the portrait in view at start; without it, one chosen by the seed. */
  portrait?: number;
  fps?: number;
  /** Width of live-view frames; height follows the portrait's aspect. */
  frameWidth?: number;
  captureMs?: number;
  /** Frames in the pre-rendered motion loop. */
  loopFrames?: number;
}

interface Rendered {
  frames: Buffer[];
  width: number;
  height: number;
  still: Still;
}

/**
 * A DSLR stand-in that streams a real portrait with gentle sway, so a session looks alive.
 * Frames are rendered once when the camera opens (or the portrait changes), so streaming costs
 * nothing per frame, like a camera that only hands over JPEGs.
 */
export class SimulatedCamera implements Camera, FaultInjectable {
  readonly kind = 'simulated';
  readonly supportedFaults: readonly SimFault[] = ['disconnect', 'timeout', 'garbage'];
  readonly #o: Required<Omit<SimulatedCameraOptions, 'seed' | 'portrait'>>;
  readonly #random: SeededRandom;
  readonly #faults: FaultSet;
  readonly #status = new StatusCell<CameraStatus>({ online: false, ready: false, reasons: ['closed'] });
  #portrait: number;
  #rendered: Rendered | undefined;
  #view: { slot: LatestFrameSlot; timer: TimerHandle | undefined } | undefined;
  #seq = 0;
  #open = false;

  constructor(options: SimulatedCameraOptions) {
    if (options.portraits.length === 0) throw new Error('SimulatedCamera needs at least one portrait image');
    const { portrait, ...rest } = options;
    this.#o = { fps: 10, frameWidth: 480, captureMs: 600, loopFrames: 16, ...rest };
    this.#random = new SeededRandom(options.seed ?? 1).fork('camera');
    const chosen = this.#random.int(0, options.portraits.length - 1);
    this.#portrait = portrait === undefined ? chosen : portrait % options.portraits.length;
    this.#faults = new FaultSet('camera', this.supportedFaults, () => this.#refresh());
  }

  get activeFaults(): ReadonlySet<SimFault> {
    return this.#faults.active;
  }
  injectFault(fault: SimFault): void {
    this.#faults.inject(fault);
  }
  clearFault(fault?: SimFault): void {
    this.#faults.clear(fault);
  }

  get stillWidth(): number | undefined {
    return this.#rendered?.still.width;
  }

  async open(): Promise<void> {
    this.#rendered ??= await this.#render(this.#portrait);
    this.#open = true;
    this.#refresh();
  }

  async close(): Promise<void> {
    await this.#view?.slot.stop();
    this.#open = false;
    this.#refresh();
  }

  /** Index of the portrait in view. */
  get portrait(): number {
    return this.#portrait;
  }

  /** Another person steps in front of the camera. */
  async usePortrait(index: number): Promise<void> {
    const i = ((index % this.#o.portraits.length) + this.#o.portraits.length) % this.#o.portraits.length;
    if (i === this.#portrait && this.#rendered) return;
    this.#rendered = await this.#render(i);
    this.#portrait = i;
  }

  status(): CameraStatus {
    return this.#status.get();
  }

  onStatus(listener: (status: CameraStatus) => void): Unsubscribe {
    return this.#status.subscribe(listener);
  }

  async startLiveView(): Promise<LiveView> {
    this.#assertUsable();
    await this.#view?.slot.stop();
    const view = {
      slot: new LatestFrameSlot(() => {
        if (view.timer) this.#o.clock.clearTimeout(view.timer);
        if (this.#view === view) this.#view = undefined;
      }),
      timer: undefined as TimerHandle | undefined,
    };
    this.#view = view;
    const tick = () => {
      view.timer = this.#o.clock.setTimeout(tick, 1000 / this.#o.fps);
      this.#produceFrame(view.slot);
    };
    view.timer = this.#o.clock.setTimeout(tick, 1000 / this.#o.fps);
    return view.slot;
  }

  async captureStill(): Promise<Still> {
    this.#assertUsable();
    const { clock, captureMs } = this.#o;
    if (this.#faults.has('timeout')) {
      await clock.sleep(captureMs * 10);
      throw new DeviceError('camera', 'timeout', 'the camera did not answer the capture request');
    }
    await clock.sleep(captureMs);
    this.#assertUsable();
    const still = this.#rendered!.still;
    if (this.#faults.has('garbage')) return { ...still, at: clock.now(), data: this.#garbage(4096) };
    return { ...still, at: clock.now() };
  }

  #produceFrame(slot: LatestFrameSlot): void {
    if (this.#faults.has('disconnect')) {
      this.#failView();
      return;
    }
    const seq = ++this.#seq;
    if (this.#faults.has('timeout')) return; // the camera stops sending; the consumer waits
    const r = this.#rendered!;
    const data = this.#faults.has('garbage') ? this.#garbage(2048) : r.frames[seq % r.frames.length]!;
    const frame: LiveFrame = {
      seq,
      at: this.#o.clock.now(),
      width: r.width,
      height: r.height,
      mime: 'image/jpeg',
      data,
    };
    slot.offer(frame);
  }

  #assertUsable(): void {
    if (!this.#open) throw new DeviceError('camera', 'closed', 'the camera is not open');
    if (this.#faults.has('disconnect'))
      throw new DeviceError('camera', 'disconnected', 'the camera is disconnected');
  }

  #garbage(bytes: number): Buffer {
    const b = Buffer.alloc(bytes);
    for (let i = 0; i < bytes; i++) b[i] = this.#random.int(0, 255);
    return b;
  }

  #refresh(): void {
    const reasons: string[] = [];
    if (!this.#open) reasons.push('closed');
    if (this.#faults.has('disconnect')) reasons.push('disconnected');
    if (this.#faults.has('timeout')) reasons.push('timeout');
    const online = this.#open && !this.#faults.has('disconnect');
    this.#status.set({ online, ready: online && !this.#faults.has('timeout'), reasons });
    if (this.#faults.has('disconnect')) this.#failView();
  }

  /** The cable is out: the live view ends, and so does its frame timer (a failed slot never calls onStop). */
  #failView(): void {
    const view = this.#view;
    if (!view) return;
    this.#view = undefined;
    if (view.timer) this.#o.clock.clearTimeout(view.timer);
    view.slot.fail(new DeviceError('camera', 'disconnected', 'the camera was disconnected during live view'));
  }

  /** A loop of frames with a slow sway and breathing zoom, plus the full-resolution still. */
  async #render(index: number): Promise<Rendered> {
    const file = this.#o.portraits[index]!;
    const source = await readFile(file);
    const meta = await sharp(source).metadata();
    const stillData =
      meta.format === 'jpeg'
        ? source
        : await sharp(source).flatten({ background: '#ffffff' }).jpeg({ quality: 92 }).toBuffer();
    const width = this.#o.frameWidth;
    const height = Math.round((width * (meta.height ?? 4)) / (meta.width ?? 3));
    const margin = Math.round(width * 0.04);
    const phase0 = this.#random.next() * Math.PI * 2;
    const n = this.#o.loopFrames;
    const frames = await Promise.all(
      Array.from({ length: n }, async (_, i) => {
        const phase = phase0 + (2 * Math.PI * i) / n;
        const zoom = 1 + 0.01 * Math.sin(phase * 2);
        const w = Math.round((width + 2 * margin) * zoom);
        const h = Math.round((height + 2 * margin) * zoom);
        const left = Math.round((w - width) / 2 + margin * 0.5 * Math.sin(phase));
        const top = Math.round((h - height) / 2 + margin * 0.25 * Math.cos(phase));
        return sharp(source)
          .flatten({ background: '#ffffff' })
          .resize(w, h, { fit: 'fill' })
          .extract({ left, top, width, height })
          .jpeg({ quality: 75 })
          .toBuffer();
      }),
    );
    return {
      frames,
      width,
      height,
      still: { at: 0, width: meta.width ?? 0, height: meta.height ?? 0, mime: 'image/jpeg', data: stillData },
    };
  }
}
