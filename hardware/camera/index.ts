import { z } from 'zod';
import type { Clock } from '../../core/clock.ts';
import { pathText } from '../../core/config-fields.ts';
import type { Camera } from './camera-port.ts';
import { SimulatedCamera } from './simulated-camera.ts';
import { demoPortraits } from './demo-portraits.ts';

export { demoPortraits } from './demo-portraits.ts';

/** `hardware.camera`: which camera the booth shoots with. */
export const cameraConfigSchema = z
  .discriminatedUnion('adapter', [
    z.strictObject({
      adapter: z.literal('simulated'),
      seed: z.number().int().optional(),
      /** Which demo portrait (portrait-N.jpg, from 1) is in front of the simulated camera. */
      portrait: z.number().int().min(1).optional(),
    }),
    z.strictObject({ adapter: z.literal('gphoto2'), port: pathText().optional() }),
  ])
  .default({ adapter: 'simulated' });

export type CameraConfig = z.infer<typeof cameraConfigSchema>;

export interface CameraDeps {
  clock: Clock;
  /** Seeds the simulator's noise when the config names no seed of its own. */
  seed: number;
  /**
   * The demo portrait (from 0) when config names none. The demo booth shows portrait-1: of the
   * demo snapshots it is the one that meets every check of the demo documents, so a person
   * trying the demo can get through review; scripted customers change it per visit.
   */
  portrait?: number;
}

/** The camera a config names, not yet opened. */
export function createCamera(config: CameraConfig, deps: CameraDeps): Camera {
  switch (config.adapter) {
    case 'simulated':
      return createSimulatedCamera(config, deps);
    case 'gphoto2':
      // The DSLR adapter (gphoto2 in a supervised child process) is its own piece of work.
      throw new Error('hardware.camera.adapter "gphoto2": not available in this build; use "simulated"');
  }
}

export function createSimulatedCamera(config: CameraConfig | undefined, deps: CameraDeps): SimulatedCamera {
  const sim = config?.adapter === 'simulated' ? config : undefined;
  return new SimulatedCamera({
    clock: deps.clock,
    seed: sim?.seed ?? deps.seed,
    portraits: demoPortraits(),
    portrait: sim?.portrait !== undefined ? sim.portrait - 1 : deps.portrait,
  });
}
