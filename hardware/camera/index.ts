import { z } from 'zod';
import type { Clock } from '../../core/clock.ts';
import type { Camera } from './camera-port.ts';
import { SimulatedCamera } from './simulated-camera.ts';
import { demoPortraits } from './demo-portraits.ts';
import { gphoto2CameraSchema, type Gphoto2CameraConfig } from './gphoto2/gphoto2-config.ts';
import { Gphoto2Camera } from './gphoto2/adapter/gphoto2-camera.ts';

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
    // A DSLR through libgphoto2, in a supervised child process.
    gphoto2CameraSchema,
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
  /**
   * The gphoto2 adapter's private folder when config names none (`camera-scratch` in the data
   * directory, see config/data-dir.ts): libgphoto2 hands live-view frames over as files.
   */
  scratchDir?: string;
  /** Added to the gphoto2 camera child's environment (the tests' virtual camera sets IOLIBS). */
  childEnv?: Readonly<Record<string, string>>;
}

/** The camera a config names, not yet opened. */
export function createCamera(config: CameraConfig, deps: CameraDeps): Camera {
  switch (config.adapter) {
    case 'simulated':
      return createSimulatedCamera(config, deps);
    case 'gphoto2':
      return createGphoto2Camera(config, deps);
  }
}

export function createGphoto2Camera(config: Gphoto2CameraConfig, deps: CameraDeps): Gphoto2Camera {
  const scratchDir = config.scratchDir ?? deps.scratchDir;
  if (!scratchDir)
    throw new Error('hardware.camera "gphoto2" needs a scratch folder: set hardware.camera.scratchDir');
  const { adapter: _adapter, scratchDir: _scratch, ...settings } = config;
  return new Gphoto2Camera({ ...settings, clock: deps.clock, scratchDir, env: deps.childEnv });
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
