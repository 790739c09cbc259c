import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { summarizeConfig } from './camera-summary.ts';
import type { ChildCommand, ChildOps, ChildOp, FromChild } from './child-protocol.ts';
import type { FramePipeWriter } from './frame-record.ts';
import type { CameraHandle, CameraLibrary, GpOutcome } from './gphoto2-binding.ts';
import { describeGpResult, GpResult } from './gphoto2-result.ts';
import { jpegSize } from './jpeg-size.ts';

export interface CameraChildServerOptions {
  library: CameraLibrary;
  /** The child's own folder for preview files. */
  scratchDir: string;
  frames: FramePipeWriter;
  send: (message: FromChild) => void;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

interface LiveState {
  maxFps: number;
  readonly generation: number;
  /** Do not send the next frame (the first after a start or a capture). */
  skipNext: boolean;
}

type Result<O extends ChildOp> = GpOutcome<ChildOps[O]['result']>;

/**
 * The camera child's work, apart from its process so tests can drive it with a fake library.
 *
 * One camera call at a time: every call to the camera goes through `#exclusive`, a queue, so
 * a capture waits for the live-view frame being fetched and the preview loop waits for the
 * capture (that is live view "pausing" for a still). libgphoto2 is not safe to call twice at
 * once on one camera, and node-gphoto2's own mutex does not cover `list()`.
 */
export class CameraChildServer {
  readonly #o: Required<CameraChildServerOptions>;
  #camera: CameraHandle | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  #live: LiveState | undefined;
  #generation = 0;
  #seq = 0;

  constructor(options: CameraChildServerOptions) {
    this.#o = {
      now: () => Date.now(),
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      ...options,
    };
  }

  /** Frames produced so far (sent or dropped). */
  get seq(): number {
    return this.#seq;
  }

  async handle(command: ChildCommand): Promise<void> {
    let result: GpOutcome<unknown>;
    try {
      result = await this.#run(command);
    } catch (error) {
      // Not libgphoto2's failure (a scratch file that could not be read): no gpCode.
      const message = error instanceof Error ? error.message : String(error);
      this.#o.send({ type: 'reply', id: command.id, ok: false, gpCode: null, message });
      return;
    }
    if (result.ok) this.#o.send({ type: 'reply', id: command.id, ok: true, value: result.value });
    else
      this.#o.send({
        type: 'reply',
        id: command.id,
        ok: false,
        gpCode: result.gpCode,
        message: result.message,
      });
  }

  #run(command: ChildCommand): Promise<GpOutcome<unknown>> {
    switch (command.op) {
      case 'detect':
        return this.#exclusive(() => this.#detect(command.port));
      case 'summary':
        return this.#exclusive(() => this.#summary());
      case 'live-view-start':
        return Promise.resolve(this.#startLiveView(command.maxFps));
      case 'live-view-stop':
        this.#live = undefined;
        return Promise.resolve({ ok: true, value: null });
      case 'capture':
        return this.#exclusive(() =>
          this.#capture(command.busyRetries, command.retryDelayMs, command.settings),
        );
      case 'present':
        return this.#exclusive(async (): Promise<Result<'present'>> => {
          const port = this.#needCamera().port;
          const cameras = await this.#o.library.list();
          return { ok: true, value: cameras.some((c) => c.port === port) };
        });
      case 'keep-alive':
        return this.#exclusive(async (): Promise<Result<'keep-alive'>> => {
          const config = await this.#needCamera().config();
          return config.ok ? { ok: true, value: null } : config;
        });
    }
  }

  #exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(work, work);
    this.#queue = run.catch(() => {});
    return run;
  }

  #needCamera(): CameraHandle {
    if (!this.#camera) throw new Error('no camera detected yet: detect first');
    return this.#camera;
  }

  async #detect(port: string | undefined): Promise<Result<'detect'>> {
    const cameras = await this.#o.library.list();
    const camera = port === undefined ? cameras[0] : cameras.find((c) => c.port === port);
    if (!camera) {
      const seen = cameras.map((c) => `${c.model} on ${c.port}`).join(', ');
      const where = port === undefined ? 'no camera found' : `no camera on ${port}`;
      return { ok: false, gpCode: GpResult.ioUsbFind, message: seen ? `${where} (found ${seen})` : where };
    }
    // libgphoto2 opens the camera at its first call: make that call now, so a camera another
    // process holds (-53) or one that is going away fails detection, not the first frame.
    const config = await camera.config();
    if (!config.ok) {
      return {
        ...config,
        message: `opening ${camera.model} on ${camera.port}: ${describeGpResult(config.gpCode)}`,
      };
    }
    this.#camera = camera;
    return { ok: true, value: { model: camera.model, port: camera.port } };
  }

  async #summary(): Promise<Result<'summary'>> {
    const camera = this.#needCamera();
    const config = await camera.config();
    if (!config.ok) return config;
    return { ok: true, value: summarizeConfig(camera, config.value) };
  }

  #startLiveView(maxFps: number): Result<'live-view-start'> {
    this.#needCamera();
    if (this.#live) {
      this.#live.maxFps = maxFps;
      this.#live.skipNext = true;
      return { ok: true, value: null };
    }
    const live = { maxFps, generation: ++this.#generation, skipNext: true };
    this.#live = live;
    // The loop reports its own end (live-view-failed); it never rejects.
    this.#liveLoop(live).catch(() => {});
    return { ok: true, value: null };
  }

  /**
   * Fetches frames back to back, paced to maxFps (the camera's own rate when it is slower).
   * The first frame after a start or a capture is not sent: DSLRs hand over the frame they had
   * before live view came on (or the still's review image) first.
   */
  async #liveLoop(live: LiveState): Promise<void> {
    const { now, sleep } = this.#o;
    while (this.#live === live) {
      const started = now();
      let frame: { data: Buffer; at: number } | 'stopped';
      try {
        frame = await this.#exclusive(() => this.#previewFrame(live));
      } catch (error) {
        if (this.#live === live) this.#live = undefined;
        const message = error instanceof Error ? error.message : String(error);
        this.#o.send({ type: 'live-view-failed', gpCode: null, message });
        return;
      }
      // Stopped while the frame was being fetched: it was for nobody.
      if (frame === 'stopped' || this.#live !== live) return;
      if (live.skipNext) live.skipNext = false;
      else {
        const size = jpegSize(frame.data);
        this.#o.frames.send({
          seq: ++this.#seq,
          takenAt: frame.at,
          width: size?.width ?? 0,
          height: size?.height ?? 0,
          jpeg: frame.data,
        });
      }
      const wait = 1000 / live.maxFps - (now() - started);
      if (wait > 1) await sleep(wait);
    }
  }

  /** One preview (inside the queue), or 'stopped' when the view ended while it waited its turn. */
  async #previewFrame(live: LiveState): Promise<{ data: Buffer; at: number } | 'stopped'> {
    if (this.#live !== live) return 'stopped';
    const shot = await this.#needCamera().preview(join(this.#o.scratchDir, 'preview-XXXXXX'));
    const at = this.#o.now();
    if (!shot.ok) {
      if (this.#live === live) this.#live = undefined;
      this.#o.send({ type: 'live-view-failed', gpCode: shot.gpCode, message: shot.message });
      return 'stopped';
    }
    try {
      return { data: await readFile(shot.value), at };
    } finally {
      await rm(shot.value, { force: true });
    }
  }

  async #capture(
    busyRetries: number,
    retryDelayMs: number,
    settings: Readonly<Record<string, string | number>> = {},
  ): Promise<Result<'capture'>> {
    const camera = this.#needCamera();
    const started = this.#o.now();
    let attempts = 0;
    try {
      // The operator's capture settings, each time: a Nikon's live view changes some of them.
      // One the camera refuses fails the capture and names it (a config to fix, not a retry).
      for (const [key, value] of Object.entries(settings)) {
        const set = await camera.setSetting(key, value);
        if (!set.ok) return { ...set, message: `capture setting ${key} = ${value}: ${set.message}` };
      }
      for (;;) {
        attempts++;
        const shot = await camera.capture();
        if (shot.ok) {
          return { ok: true, value: { data: shot.value, attempts, ms: this.#o.now() - started } };
        }
        if (shot.gpCode !== GpResult.cameraBusy || attempts > busyRetries) {
          const tries = attempts > 1 ? ` after ${attempts} tries` : '';
          return { ...shot, message: `${shot.message}${tries}` };
        }
        await this.#o.sleep(retryDelayMs);
      }
    } finally {
      if (this.#live) this.#live.skipNext = true;
    }
  }
}
