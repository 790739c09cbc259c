import { Socket } from 'node:net';
import { CameraChildServer } from './camera-child-server.ts';
import { isChildCommand, type ChildInput, type FromChild } from './child-protocol.ts';
import { FramePipeWriter } from './frame-record.ts';
import type { CameraLibrary } from './gphoto2-binding.ts';

/** What this process was started with (child-link.ts passes it as argv[2]). */
export function childInput(): ChildInput {
  return JSON.parse(process.argv[2] ?? '{}') as ChildInput;
}

/** Tells the booth; nothing once it has gone (there is nobody to answer). */
export function sendToBooth(message: FromChild): void {
  if (process.connected) process.send?.(message);
}

/**
 * Runs a camera child over `library`: commands in over IPC, frames out on fd 3. The real child
 * (camera-child.ts, node-gphoto2) and the supervision tests' fake child share it, so the tests
 * drive the very loop the booth does.
 */
export function serveCameraChild(library: CameraLibrary, input: ChildInput): void {
  // Without the booth this process must not live on holding the camera's USB interface.
  process.on('disconnect', () => process.exit(0));
  const pipe = new Socket({ fd: 3, readable: false, writable: true });
  // The booth closed its end (it is killing this child, or going away itself).
  pipe.on('error', () => process.exit(0));
  const server = new CameraChildServer({
    library,
    scratchDir: input.scratchDir,
    frames: new FramePipeWriter(pipe),
    send: sendToBooth,
  });
  process.on('message', (message: unknown) => {
    if (isChildCommand(message)) server.handle(message).catch(() => {}); // it answers every command itself
  });
  sendToBooth({ type: 'ready', pid: process.pid });
}
