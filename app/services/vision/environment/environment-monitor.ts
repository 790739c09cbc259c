import type { Camera } from '../../../../hardware/camera/camera-port.ts';
import type { Clock, TimerHandle } from '../../../../core/clock.ts';
import { StatusCell, type DeviceStatus, type Unsubscribe } from '../../../../hardware/device-status.ts';
import type { Logger } from '../../../logging/logger.ts';
import type { FaceEngine } from '../engine/face-engine.ts';
import { decodeStill } from '../checks/still-pixels.ts';
import { measureBackdrop, type BackdropMeasure } from './backdrop-measure.ts';
import { judgeBackdrop, type BackdropLimits } from './backdrop-verdict.ts';

export interface EnvironmentStatus extends DeviceStatus {
  /** The last measure of the empty booth, for technicians; null before the first. */
  readonly measure: BackdropMeasure | null;
  readonly checkedAt: number | null;
}

export type EnvironmentCheck =
  | { readonly checked: true; readonly status: EnvironmentStatus }
  | { readonly checked: false; readonly why: 'someone-in-view' | 'camera-unavailable' | 'busy' };

/**
 * The booth watching its own backdrop and lamps: while nobody uses it, it looks at the empty
 * booth through the camera and measures brightness, colour and evenness. Problems show as a
 * device-health status like any device's; past the out-of-service limits the booth stops
 * selling, since no photo could pass.
 */
export class EnvironmentMonitor {
  readonly #cell = new StatusCell<EnvironmentStatus>({
    online: true,
    ready: true,
    reasons: [],
    measure: null,
    checkedAt: null,
  });
  #timer: TimerHandle | undefined;
  #busy = false;

  constructor(
    private readonly o: {
      camera: Camera;
      engine: FaceEngine;
      clock: Clock;
      logger: Logger;
      limits: BackdropLimits;
      /** Whether the booth is idle now (nobody using it): only then is the camera borrowed. */
      isIdle: () => boolean;
      everyMs: number;
    },
  ) {}

  status(): EnvironmentStatus {
    return this.#cell.get();
  }

  onStatus(listener: (status: EnvironmentStatus) => void): Unsubscribe {
    return this.#cell.subscribe(listener);
  }

  start(): void {
    const tick = () => {
      this.#timer = this.o.clock.setTimeout(tick, this.o.everyMs);
      if (this.o.isIdle())
        this.checkNow().catch((error: unknown) =>
          this.o.logger.warn({ err: error }, 'environment check failed'),
        );
    };
    this.#timer = this.o.clock.setTimeout(tick, this.o.everyMs);
  }

  stop(): void {
    if (this.#timer) this.o.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** Looks at the booth once. A person in view means no measure: the previous status stands. */
  async checkNow(): Promise<EnvironmentCheck> {
    if (this.#busy) return { checked: false, why: 'busy' };
    this.#busy = true;
    try {
      let frame;
      try {
        const view = await this.o.camera.startLiveView();
        try {
          frame = await view.next();
        } finally {
          await view.stop();
        }
      } catch {
        return { checked: false, why: 'camera-unavailable' };
      }
      const [analysis, pixels] = await Promise.all([
        this.o.engine.analyze({ data: frame.data }, { mode: 'still' }),
        decodeStill({ data: frame.data }, 640),
      ]);
      if (analysis.faces.length > 0) return { checked: false, why: 'someone-in-view' };
      const measure = measureBackdrop(pixels);
      const verdict = judgeBackdrop(measure, this.o.limits);
      const status: EnvironmentStatus = {
        online: true,
        ready: verdict.ready,
        reasons: verdict.reasons,
        measure,
        checkedAt: this.o.clock.now(),
      };
      if (verdict.reasons.length > 0) this.o.logger.warn({ reasons: verdict.reasons }, 'booth environment');
      this.#cell.set(status);
      return { checked: true, status };
    } finally {
      this.#busy = false;
    }
  }
}
