import type { Clock, TimerHandle } from '../../../../core/clock.ts';
import { DeviceError, StatusCell, type Unsubscribe } from '../../../device-status.ts';
import type { Camera, CameraStatus, LiveView, Still } from '../../camera-port.ts';
import { imageWidth, type CameraSummary } from '../driver/camera-summary.ts';
import { ChildLink, type ChildExit, type ChildFailure } from '../driver/child-link.ts';
import type { ChildNotice, DetectedCamera } from '../driver/child-protocol.ts';
import type { FrameRecord } from '../driver/frame-record.ts';
import { jpegSize } from '../driver/jpeg-size.ts';
import type { Gphoto2CameraConfig } from '../gphoto2-config.ts';
import { meaningOf, type FailureMeaning } from './gphoto2-failure.ts';
import { Gphoto2LiveView } from './gphoto2-live-view.ts';
import { RestartBackoff, restartDelaysMs } from './restart-backoff.ts';
import { repeatEvery } from './repeat-every.ts';

type Settings = Pick<Gphoto2CameraConfig, 'port' | 'keepAliveMinutes'> &
  Partial<Pick<Gphoto2CameraConfig, 'captureSettings'>> &
  Required<Pick<Gphoto2CameraConfig, 'maxFps' | 'captureTimeoutMs' | 'focusRetries'>>;

export interface Gphoto2CameraOptions extends Settings {
  clock: Clock;
  /** The adapter's private folder (the camera children's preview files live and die there). */
  scratchDir: string;
  /** Added to the camera child's environment (libgphoto2's IOLIBS/CAMLIBS; the virtual camera's). */
  env?: Readonly<Record<string, string>>;
  /** The child's script; the real camera child by default (tests run a fake one). */
  childScript?: URL | string;
  /** Waits before each restart after a loss; 0.5, 1, 2, 5 s by default. */
  restartDelaysMs?: readonly number[];
  /** No frame for this long during live view (outside a capture) means the camera is lost. */
  stallMs?: number;
  /** How long a child may take to load the binding (tsx compiles on the first start). */
  startTimeoutMs?: number;
  /** Detect, summary, live-view start/stop, keep-alive. */
  callTimeoutMs?: number;
  /** How often, between customers, the camera's presence on the bus is checked (default 2 s). */
  presenceCheckMs?: number;
  /** libgphoto2's log level for the child's stderr (see `onOutput`); none by default. */
  logLevel?: number;
  /** Each line the child prints (libgphoto2 prints its errors to stderr). */
  onOutput?: (line: string) => void;
}

const busyRetryDelayMs = 300;
/**
 * A camera child takes about this long to start and load node-gphoto2 (~0.45 s under tsx on a
 * 2-core booth). After a loss the new child is started this much before the restart wait is
 * over and touches the camera only when it is, so the wait is the camera's, not Node's.
 */
const childWarmUpMs = 400;

/**
 * A DSLR through libgphoto2, as a `Camera`. The binding runs in a child process the adapter
 * supervises (see driver/camera-child.ts): a native crash there never takes the booth down.
 *
 * open() starts a child and has it detect the camera. Whenever the camera is lost (libgphoto2
 * says the USB link broke: -7, -52, -1; the child exits or crashes; a call hangs; no live-view
 * frame for `stallMs`), the status turns offline with reason `disconnected` (or
 * `claimed-by-another-process` on -53), a running live view fails, the child is killed and a
 * new one detects afresh after 0.5, 1, 2, then every 5 s. The camera comes back by itself when
 * it is replugged: no restart of the booth. A child that cannot load the binding at all is
 * not restarted: open() rejects (an install fault, not a camera fault).
 */
export class Gphoto2Camera implements Camera {
  readonly kind = 'gphoto2';
  readonly #o: Gphoto2CameraOptions;
  readonly #clock: Clock;
  readonly #status = new StatusCell<CameraStatus>({ online: false, ready: false, reasons: ['closed'] });
  readonly #backoff: RestartBackoff;
  #opened = false;
  /** Moves on at every open and close, so work of an earlier one ends quietly. */
  #session = 0;
  #connecting: Promise<void> | undefined;
  #link: ChildLink | undefined;
  #camera: DetectedCamera | undefined;
  #summary: CameraSummary | undefined;
  #lost: { reason: FailureMeaning['reason'] | 'adapter-error'; message: string } | undefined;
  #fatal: string | undefined;
  #view: Gphoto2LiveView | undefined;
  #capturing: Promise<unknown> | undefined;
  #seq = 0;
  #stillWidth: number | undefined;
  #restartTimer: TimerHandle | undefined;
  #stopWatch: () => void = () => {};
  #stopKeepAlive: () => void = () => {};
  /** The last restart: loss, first frame after it (for benchmarks and technicians). */
  #recovery: { lostAt: number; onlineAt?: number; firstFrameAt?: number } | undefined;

  constructor(options: Gphoto2CameraOptions) {
    this.#o = { stallMs: 3000, startTimeoutMs: 30_000, callTimeoutMs: 10_000, ...options };
    this.#clock = options.clock;
    this.#backoff = new RestartBackoff(options.restartDelaysMs ?? restartDelaysMs);
  }

  get stillWidth(): number | undefined {
    return this.#stillWidth;
  }

  /** The camera in use (model and libgphoto2 port) while online. */
  get detected(): DetectedCamera | undefined {
    return this.#camera;
  }

  /** What the camera last said of itself (read at each detect, and by `summary()`). */
  get lastSummary(): CameraSummary | undefined {
    return this.#summary;
  }

  /** Why the camera was last lost, in words (for logs and `kiosk camera probe`). */
  get lastFailure(): string | undefined {
    return this.#fatal ?? this.#lost?.message;
  }

  /** The last loss and how long getting back took, in clock ms. */
  get lastRecovery(): { lostAt: number; onlineAt?: number; firstFrameAt?: number } | undefined {
    return this.#recovery;
  }

  /** The camera child's pid (tests kill it to check the supervision). */
  get childPid(): number | undefined {
    return this.#link?.pid;
  }

  status(): CameraStatus {
    return this.#status.get();
  }

  onStatus(listener: (status: CameraStatus) => void): Unsubscribe {
    return this.#status.subscribe(listener);
  }

  async open(): Promise<void> {
    if (this.#opened) return this.#connecting;
    this.#opened = true;
    this.#fatal = undefined;
    this.#lost = undefined;
    const session = ++this.#session;
    this.#connecting = this.#connect(session);
    await this.#connecting;
    // A camera that is not there yet is no reason to refuse the booth: it is out of service
    // (status) until one is found. A binding that cannot load is: nothing will ever work.
    if (this.#fatal && session === this.#session)
      throw new DeviceError('camera', 'adapter-error', `the gphoto2 camera cannot start: ${this.#fatal}`);
  }

  async close(): Promise<void> {
    if (!this.#opened) return;
    this.#opened = false;
    this.#session++;
    this.#clearTimers();
    const view = this.#view;
    this.#view = undefined;
    view?.fail(new DeviceError('camera', 'closed', 'the camera was closed'));
    const link = this.#link;
    this.#link = undefined;
    this.#camera = undefined;
    this.#lost = undefined;
    this.#backoff.reset();
    this.#refresh();
    await link?.kill();
  }

  /** Model, serial, battery, lens, shots left and the main capture settings, as the camera says. */
  async summary(): Promise<CameraSummary> {
    const link = this.#usableLink();
    const result = await link.call('summary', {}, this.#o.callTimeoutMs!);
    if (!result.ok) throw this.#failed(link, result.failure);
    this.#summary = result.value;
    return result.value;
  }

  async startLiveView(): Promise<LiveView> {
    this.#usableLink();
    await this.#view?.stop();
    const link = this.#usableLink();
    const view: Gphoto2LiveView = new Gphoto2LiveView(this.#clock, async () => {
      if (this.#view !== view) return;
      this.#view = undefined;
      this.#stopWatch();
      if (link === this.#link) await link.call('live-view-stop', {}, this.#o.callTimeoutMs!);
    });
    this.#view = view;
    const started = await link.call('live-view-start', { maxFps: this.#o.maxFps }, this.#o.callTimeoutMs!);
    if (!started.ok) {
      const error = this.#failed(link, started.failure);
      if (this.#view === view) this.#view = undefined;
      view.fail(error);
      throw error;
    }
    if (this.#view !== view) {
      // Closed or lost while starting: the view was failed with the reason.
      throw new DeviceError(
        'camera',
        this.#opened ? 'disconnected' : 'closed',
        'live view ended as it started',
      );
    }
    this.#watch(link);
    return view;
  }

  async captureStill(): Promise<Still> {
    // One still at a time: a second capture waits for the first (the child would queue it too,
    // but its timeout must not start before its turn).
    while (this.#capturing) await this.#capturing.catch(() => {});
    const link = this.#usableLink();
    const capture = link.call(
      'capture',
      {
        busyRetries: this.#o.focusRetries,
        retryDelayMs: busyRetryDelayMs,
        settings: this.#o.captureSettings ?? {},
      },
      this.#o.captureTimeoutMs,
    );
    this.#capturing = capture;
    let result: Awaited<typeof capture>;
    try {
      result = await capture;
    } finally {
      this.#capturing = undefined;
      if (this.#view) this.#view.lastHeardAt = this.#clock.now(); // live view resumes from now
    }
    if (!this.#opened) throw new DeviceError('camera', 'closed', 'the camera was closed during the capture');
    if (!result.ok) {
      if (result.failure.kind === 'timeout')
        result.failure.message = `no still within ${this.#o.captureTimeoutMs} ms (captureTimeoutMs)`;
      throw this.#failed(link, result.failure);
    }
    const { data: bytes } = result.value;
    const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const size = jpegSize(data);
    if (!size) {
      throw new DeviceError(
        'camera',
        'adapter-error',
        'the camera handed over a still that is not a JPEG (set its image format to JPEG, not RAW)',
      );
    }
    this.#stillWidth = size.width;
    return { at: this.#clock.now(), width: size.width, height: size.height, mime: 'image/jpeg', data };
  }

  /** One try at getting a camera: a new child, then (not before `detectAt`) a fresh detect. */
  async #connect(session: number, detectAt = 0): Promise<void> {
    let link: ChildLink;
    try {
      link = new ChildLink({
        script: this.#o.childScript,
        scratchRoot: this.#o.scratchDir,
        env: this.#o.env,
        logLevel: this.#o.logLevel,
        onFrame: (frame) => this.#onFrame(link, frame),
        onNotice: (notice) => this.#onNotice(link, notice),
        onExit: (exit) => this.#onExit(link, exit),
        onOutput: this.#o.onOutput,
      });
    } catch (error) {
      // The scratch folder cannot be made: as fatal as a missing binding.
      this.#fatal = `its scratch folder ${this.#o.scratchDir}: ${(error as Error).message}`;
      this.#refresh();
      return;
    }
    this.#link = link;
    const ready = await link.ready(this.#o.startTimeoutMs!);
    if (!ready.ok) return this.#lose(link, link.fatal ? { fatal: link.fatal } : ready.failure);
    const early = detectAt - this.#clock.now();
    if (early > 0) await this.#clock.sleep(early);
    if (session !== this.#session || link !== this.#link) {
      await link.kill(); // closed meanwhile, or this child was lost while it waited
      return;
    }
    const found = await link.call('detect', { port: this.#o.port }, this.#o.callTimeoutMs!);
    if (session !== this.#session || link !== this.#link) {
      await link.kill(); // closed (or reopened) meanwhile: this child is nobody's
      return;
    }
    if (!found.ok) return this.#lose(link, found.failure);
    this.#camera = found.value;
    this.#lost = undefined;
    this.#backoff.healthy(this.#clock.now());
    if (this.#recovery && this.#recovery.onlineAt === undefined) this.#recovery.onlineAt = this.#clock.now();
    this.#refresh();
    this.#keepAlive(link);
    // What the camera says of itself (serial, battery, image size) is nice to have, not needed.
    const summary = await link.call('summary', {}, this.#o.callTimeoutMs!);
    if (summary.ok && link === this.#link) {
      this.#summary = summary.value;
      this.#stillWidth ??= imageWidth(summary.value.settings['imagesize']);
    }
  }

  /** The link to call, or the DeviceError that says why there is none. */
  #usableLink(): ChildLink {
    if (!this.#opened) throw new DeviceError('camera', 'closed', 'the camera is not open');
    if (this.#fatal)
      throw new DeviceError('camera', 'adapter-error', `the gphoto2 camera cannot start: ${this.#fatal}`);
    const link = this.#link;
    if (!link || !this.#camera) {
      const reason = this.#lost?.reason === 'claimed-by-another-process' ? this.#lost.reason : 'disconnected';
      throw new DeviceError(
        'camera',
        reason,
        `the camera is not connected: ${this.#lost?.message ?? 'starting'}`,
      );
    }
    return link;
  }

  /** The DeviceError a failed call rejects with; a lost camera is handed to the supervisor first. */
  #failed(link: ChildLink, failure: ChildFailure): DeviceError<'camera'> {
    const meaning = meaningOf(failure);
    if (meaning.lost) this.#lose(link, failure);
    return new DeviceError('camera', meaning.code, failure.message);
  }

  /** The camera behind `link` is gone: report it, end the child, try again later. */
  #lose(link: ChildLink, failure: ChildFailure | { fatal: string }): void {
    if (link !== this.#link) return; // an earlier child, already handled
    this.#link = undefined;
    this.#camera = undefined;
    this.#clearTimers();
    const now = this.#clock.now();
    if ('fatal' in failure) this.#fatal = failure.fatal;
    else {
      const meaning = meaningOf(failure);
      this.#lost = { reason: meaning.reason, message: failure.message };
      if (this.#recovery?.onlineAt !== undefined || !this.#recovery) this.#recovery = { lostAt: now };
    }
    const view = this.#view;
    this.#view = undefined;
    const code = this.#lost?.reason === 'claimed-by-another-process' ? this.#lost.reason : 'disconnected';
    view?.fail(new DeviceError('camera', code, `the camera was lost during live view: ${this.lastFailure}`));
    this.#refresh();
    link.kill().catch(() => {}); // kill() does not fail; the exit is awaited by nobody
    if (!this.#opened || this.#fatal) return;
    const session = this.#session;
    const delay = this.#backoff.lost(now);
    this.#restartTimer = this.#clock.setTimeout(
      () => {
        this.#restartTimer = undefined;
        if (session !== this.#session || !this.#opened) return;
        this.#connecting = this.#connect(session, now + delay);
      },
      Math.max(0, delay - childWarmUpMs),
    );
  }

  #onExit(link: ChildLink, exit: ChildExit): void {
    if (exit.fatal) this.#lose(link, { fatal: exit.message });
    else this.#lose(link, { kind: 'gone', message: `the camera child ${exit.message}` });
  }

  #onNotice(link: ChildLink, notice: ChildNotice): void {
    if (notice.type !== 'live-view-failed' || link !== this.#link) return;
    const failure: ChildFailure = { kind: 'camera', gpCode: notice.gpCode, message: notice.message };
    const meaning = meaningOf(failure);
    if (meaning.lost) return this.#lose(link, failure);
    const view = this.#view;
    this.#view = undefined;
    this.#stopWatch();
    view?.fail(new DeviceError('camera', meaning.code, `live view failed: ${notice.message}`));
  }

  #onFrame(link: ChildLink, frame: FrameRecord): void {
    if (link !== this.#link || !this.#view) return;
    if (this.#recovery && this.#recovery.firstFrameAt === undefined)
      this.#recovery.firstFrameAt = this.#clock.now();
    this.#view.take(frame, { advance: (by) => (this.#seq += by) });
  }

  /** The no-frame watch while a live view runs (a capture pauses it, so it pauses the watch). */
  #watch(link: ChildLink): void {
    this.#stopWatch();
    const stallMs = this.#o.stallMs!;
    this.#stopWatch = repeatEvery(this.#clock, Math.min(500, stallMs / 2), () => {
      const view = this.#view;
      if (!view || link !== this.#link) return false;
      const silent = this.#clock.now() - view.lastHeardAt;
      if (this.#capturing || silent < stallMs) return true;
      this.#lose(link, { kind: 'gone', message: `no live-view frame for ${silent} ms` });
      return false;
    });
  }

  /**
   * Between customers, a USB listing every presenceCheckMs (the camera is not asked anything)
   * finds an unplugged camera, so the booth is out of service before a customer pays; and a
   * cheap camera call every keepAliveMinutes keeps the camera awake.
   */
  #keepAlive(link: ChildLink): void {
    const stopPresence = repeatEvery(this.#clock, this.#o.presenceCheckMs ?? 2_000, async () => {
      if (link !== this.#link) return false;
      if (this.#view || this.#capturing) return true; // in use: its own calls find an unplug
      const result = await link.call('present', {}, this.#o.callTimeoutMs!);
      if (link !== this.#link) return false;
      if (result.ok && !result.value) {
        this.#lose(link, { kind: 'gone', message: 'the camera is no longer on the bus' });
        return false;
      }
      if (!result.ok && meaningOf(result.failure).lost) {
        this.#lose(link, result.failure);
        return false;
      }
      return true;
    });
    const minutes = this.#o.keepAliveMinutes ?? 0;
    if (minutes <= 0) {
      this.#stopKeepAlive = stopPresence;
      return;
    }
    const stopAwake = repeatEvery(this.#clock, minutes * 60_000, async () => {
      if (link !== this.#link) return false; // this child is gone; the next one has its own
      if (this.#view || this.#capturing) return true; // in use: awake anyway
      const result = await link.call('keep-alive', {}, this.#o.callTimeoutMs!);
      if (!result.ok && meaningOf(result.failure).lost) this.#lose(link, result.failure);
      return true;
    });
    this.#stopKeepAlive = () => {
      stopPresence();
      stopAwake();
    };
  }

  #clearTimers(): void {
    this.#stopWatch();
    this.#stopKeepAlive();
    if (this.#restartTimer !== undefined) this.#clock.clearTimeout(this.#restartTimer);
    this.#restartTimer = undefined;
  }

  #refresh(): void {
    if (!this.#opened) return this.#status.set({ online: false, ready: false, reasons: ['closed'] });
    if (this.#fatal) return this.#status.set({ online: false, ready: false, reasons: ['adapter-error'] });
    if (this.#camera) return this.#status.set({ online: true, ready: true, reasons: [] });
    this.#status.set({ online: false, ready: false, reasons: [this.#lost?.reason ?? 'disconnected'] });
  }
}
