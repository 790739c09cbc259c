import { dataPaths, ensureDataDir, resolveDataDir } from '../../config/data-dir.ts';
import { ConfigStore } from '../../config/store.ts';
import type { CameraConfig } from '../../hardware/camera/index.ts';
import { probeGphoto2Camera } from '../../hardware/camera/gphoto2/adapter/gphoto2-probe.ts';
import { gphoto2CameraSchema } from '../../hardware/camera/gphoto2/gphoto2-config.ts';
import { cameraCapture, cameraLiveView } from './camera-tryout.ts';
import type { CliIO } from './cli-io.ts';
import { UsageError } from './usage.ts';

export interface CameraCommandOptions {
  args: string[];
  dataDirFlag?: string;
  /** libgphoto2's port (`usb:001,004`); else the config's, else the first camera found. */
  port?: string;
  /** `capture`: where the still goes. */
  out?: string;
  /** `liveview`: how long to watch it. */
  seconds?: number;
}

/**
 * `kiosk camera probe`: which DSLR libgphoto2 finds and what it says of itself (model, serial,
 * battery, lens, shots left, the main capture settings), with the unit's camera config, as
 * one JSON object. Run it with the booth stopped: a camera is one process's at a time (the
 * answer is then `claimed-by-another-process`). Exits 1 when no camera answers.
 */
export async function runCamera(options: CameraCommandOptions, io: CliIO): Promise<number> {
  const [sub, ...extra] = options.args;
  if (sub !== 'probe' && sub !== 'capture' && sub !== 'liveview') {
    throw new UsageError(
      sub === undefined
        ? 'camera needs a subcommand: probe, capture or liveview'
        : `unknown camera subcommand "${sub}"`,
    );
  }
  if (extra.length > 0) throw new UsageError(`camera ${sub} takes no arguments, not "${extra.join(' ')}"`);
  if (options.port !== undefined && !/^[a-z]+:/.test(options.port))
    throw new UsageError(`--port must be a libgphoto2 port such as usb:001,004, not "${options.port}"`);
  if (sub === 'capture' && !options.out) throw new UsageError('camera capture needs --out FILE');
  if (sub === 'liveview' && options.seconds === undefined)
    throw new UsageError('camera liveview needs --seconds N');

  const dataDir = resolveDataDir({ flag: options.dataDirFlag, env: process.env });
  ensureDataDir(dataDir);
  const config = unitCameraConfig(dataDir, io);
  const gphoto2 = config?.adapter === 'gphoto2' ? config : undefined;
  const scratchDir = gphoto2?.scratchDir ?? dataPaths(dataDir).cameraScratch;
  const port = options.port ?? gphoto2?.port;
  if (sub !== 'probe') {
    const camera = gphoto2CameraSchema.parse({ ...(gphoto2 ?? { adapter: 'gphoto2' }), port });
    return sub === 'capture'
      ? cameraCapture(camera, { scratchDir, out: options.out! }, io)
      : cameraLiveView(camera, { scratchDir, seconds: options.seconds! }, io);
  }

  const probe = await probeGphoto2Camera({ port, scratchDir });
  const configured = config ?? { adapter: 'unknown (the config file does not load)' };
  if (!probe.found) {
    io.out(JSON.stringify({ found: false, port: port ?? null, ...omitFound(probe), config: configured }));
    const hint =
      probe.reason === 'claimed-by-another-process'
        ? ' (stop the booth, or gvfs-gphoto2-volume-monitor, first)'
        : '';
    io.err(`kiosk camera probe: no camera: ${probe.message}${hint}`);
    return 1;
  }
  io.out(JSON.stringify({ found: true, ...probe.camera, ms: probe.ms, config: configured }));
  if (config && config.adapter !== 'gphoto2')
    io.err(`kiosk camera probe: note: the unit's camera is "${config.adapter}", not this gphoto2 camera`);
  return 0;
}

function unitCameraConfig(dataDir: string, io: CliIO): CameraConfig | undefined {
  try {
    return new ConfigStore({ file: dataPaths(dataDir).config }).load().hardware.camera;
  } catch (error) {
    io.err(`kiosk camera probe: note: the unit's config does not load (${(error as Error).message})`);
    return undefined;
  }
}

function omitFound<T extends { found: boolean }>(value: T): Omit<T, 'found'> {
  const { found: _found, ...rest } = value;
  return rest;
}
