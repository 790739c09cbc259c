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
import type { FromChild } from './child-protocol.ts';
import { loadCameraLibrary, type CameraLibrary } from './gphoto2-binding.ts';
import { childInput, serveCameraChild } from './serve-camera-child.ts';

const input = childInput();

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
if (library) serveCameraChild(library, input);
