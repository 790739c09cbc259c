/**
 * A child process for virtual-camera.test.ts: drives node-gphoto2 (npm gphoto2, a native addon)
 * on the virtual camera, so a crash in libgphoto2 kills this child and not the test run.
 * It reads one JSON request a line on stdin and answers each with one JSON line on stdout:
 *   {id, op: 'list'}                           -> {id, ms, cameras: [{model, port}]}
 *   {id, op: 'config', camera}                 -> {id, error} | {id, status: {cameramodel, ...}}
 *   {id, op: 'preview', camera, dir}           -> {id, error} | {id, file}
 *   {id, op: 'previews', camera, dir, ms, keep} -> {id, error?, frames, ms, files (the first `keep`)}
 *   {id, op: 'capture', camera, file}          -> {id, error} | {id, ms, bytes}
 * `camera` indexes the cameras of the last list. Errors are the numbers node-gphoto2 passes.
 */
import { unlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { createInterface } from 'node:readline';

/** What this child uses of node-gphoto2 0.3.2 (it ships no types). */
interface GpCamera {
  readonly model: string;
  readonly port: string;
  getConfig(simple: boolean, cb: (er: number | undefined, settings: unknown) => void): void;
  takePicture(
    options: { preview?: boolean; download?: boolean; keep?: boolean; targetPath?: string },
    cb: (er: number | undefined, data: Buffer | string | undefined) => void,
  ): void;
}
interface GpHandle {
  list(cb: (cameras: GpCamera[]) => void): void;
}
const require = createRequire(import.meta.url);
const gphoto2 = require('gphoto2') as { GPhoto2: new () => GpHandle };

type Request = {
  id: number;
  op: string;
  camera?: number;
  dir?: string;
  file?: string;
  ms?: number;
  keep?: number;
};
type Settings = { main?: { status?: Record<string, { value?: unknown }> } };

const gp = new gphoto2.GPhoto2();
let cameras: GpCamera[] = [];

const list = () => new Promise<GpCamera[]>((resolve) => gp.list(resolve));
const take = (camera: GpCamera, options: Parameters<GpCamera['takePicture']>[0]) =>
  new Promise<{ error?: number; data?: Buffer | string }>((resolve) =>
    camera.takePicture(options, (error, data) => resolve(error === undefined ? { data } : { error })),
  );
/** A preview comes back only as a file: node-gphoto2 fills targetPath (mkstemp) and gives its name. */
const preview = (camera: GpCamera, dir: string) =>
  take(camera, { preview: true, targetPath: path.join(dir, 'preview.XXXXXX') });

function cameraOf(request: Request): GpCamera {
  const camera = cameras[request.camera ?? 0];
  if (!camera) throw new Error(`no camera ${request.camera ?? 0} in the last list (${cameras.length})`);
  return camera;
}

async function handle(request: Request): Promise<Record<string, unknown>> {
  switch (request.op) {
    case 'list': {
      const started = performance.now();
      cameras = await list();
      return {
        ms: performance.now() - started,
        cameras: cameras.map(({ model, port }) => ({ model, port })),
      };
    }
    case 'config': {
      const camera = cameraOf(request);
      const { error, settings } = await new Promise<{ error?: number; settings?: unknown }>((resolve) =>
        camera.getConfig(true, (er, settings) => resolve(er === undefined ? { settings } : { error: er })),
      );
      if (error !== undefined) return { error };
      const status = (settings as Settings).main?.status ?? {};
      return {
        status: Object.fromEntries(Object.entries(status).map(([key, widget]) => [key, widget.value])),
      };
    }
    case 'preview': {
      const { error, data } = await preview(cameraOf(request), request.dir!);
      return error === undefined ? { file: data } : { error };
    }
    case 'previews': {
      const camera = cameraOf(request);
      const files: string[] = [];
      const started = performance.now();
      let frames = 0;
      let error: number | undefined;
      while (performance.now() - started < request.ms!) {
        const shot = await preview(camera, request.dir!);
        if (shot.error !== undefined) {
          error = shot.error;
          break;
        }
        frames++;
        if (files.length < (request.keep ?? 0)) files.push(shot.data as string);
        else unlinkSync(shot.data as string);
      }
      return { error, frames, ms: performance.now() - started, files };
    }
    case 'capture': {
      const started = performance.now();
      const { error, data } = await take(cameraOf(request), { download: true });
      if (error !== undefined) return { error };
      const ms = performance.now() - started;
      writeFileSync(request.file!, data as Buffer);
      return { ms, bytes: (data as Buffer).length };
    }
    default:
      throw new Error(`unknown op ${request.op}`);
  }
}

// One request at a time, in order, as a camera takes them.
let queue = Promise.resolve();
createInterface({ input: process.stdin }).on('line', (line) => {
  const request = JSON.parse(line) as Request;
  queue = queue.then(async () => {
    const reply = await handle(request).catch((e: unknown) => ({ failed: String(e) }));
    process.stdout.write(`${JSON.stringify({ id: request.id, ...reply })}\n`);
  });
});
