/**
 * The camera child: the only process that loads node-gphoto2. A native crash in the addon or in
 * libgphoto2 ends this process (exit 139 on SIGSEGV, no handler runs) and the booth, which
 * supervises it, carries on and starts another (adapter/gphoto2-camera.ts).
 *
 * Started by child-link.ts as `node [--import tsx] camera-child.ts '<json ChildInput>'` with
 * an IPC channel (commands in, replies out; child-protocol.ts) and fd 3 as a pipe for the
 * live-view frames (frame-record.ts). Environment: libgphoto2's own (IOLIBS and CAMLIBS point
 * it at other drivers, as the tests' virtual camera does).
 */
import { Socket } from 'node:net';
import { CameraChildServer } from './camera-child-server.ts';
import { isChildCommand, type ChildInput, type FromChild } from './child-protocol.ts';
import { FramePipeWriter } from './frame-record.ts';
import { loadCameraLibrary, type CameraLibrary } from './gphoto2-binding.ts';

const input = JSON.parse(process.argv[2] ?? '{}') as ChildInput;

const send = (message: FromChild) => {
  // The booth has gone: nobody to answer, and the camera must be let go (see 'disconnect').
  if (!process.connected) return;
  process.send?.(message);
};

// Without the booth this process must not live on holding the camera's USB interface.
process.on('disconnect', () => process.exit(0));

function start(library: CameraLibrary): void {
  const pipe = new Socket({ fd: 3, readable: false, writable: true });
  // The booth closed its end (it is killing this child, or going away itself).
  pipe.on('error', () => process.exit(0));

  const server = new CameraChildServer({
    library,
    scratchDir: input.scratchDir,
    frames: new FramePipeWriter(pipe),
    send,
  });
  process.on('message', (message: unknown) => {
    if (isChildCommand(message)) server.handle(message).catch(() => {}); // it answers every command itself
  });
  send({ type: 'ready', pid: process.pid });
}

let library: CameraLibrary | undefined;
try {
  library = loadCameraLibrary({ logLevel: input.logLevel });
} catch (error) {
  // Said before exiting, so the booth reports why rather than restarting this forever.
  const message = `the gphoto2 binding cannot be loaded: ${(error as Error).message}`;
  process.stderr.write(`${message}\n`);
  if (process.send) process.send({ type: 'fatal', message } satisfies FromChild, () => process.exit(70));
  else process.exit(70);
}
if (library) start(library);
