/**
 * A camera child for the supervision tests: the real child's server and protocol over a fake
 * camera (fake-camera-library.ts) whose behaviour is the JSON in $FAKE_CAMERA_STATE, read at
 * every call. With FAKE_CAMERA_FATAL set it does what the real child does when the binding
 * cannot load: says `fatal` and exits 70.
 */
import { readFileSync } from 'node:fs';
import { Socket } from 'node:net';
import { CameraChildServer } from '../../../hardware/camera/gphoto2/driver/camera-child-server.ts';
import {
  isChildCommand,
  type ChildInput,
  type FromChild,
} from '../../../hardware/camera/gphoto2/driver/child-protocol.ts';
import { FramePipeWriter } from '../../../hardware/camera/gphoto2/driver/frame-record.ts';
import { fakeCameraLibrary, type FakeCameraState } from './fake-camera-library.ts';

const input = JSON.parse(process.argv[2] ?? '{}') as ChildInput;
const send = (message: FromChild) => {
  if (process.connected) process.send?.(message);
};
process.on('disconnect', () => process.exit(0));

if (process.env['FAKE_CAMERA_FATAL']) {
  process.send?.({ type: 'fatal', message: 'Cannot find module gphoto2 (fake)' } satisfies FromChild, () =>
    process.exit(70),
  );
} else {
  const stateFile = process.env['FAKE_CAMERA_STATE']!;
  const { library } = fakeCameraLibrary(() => JSON.parse(readFileSync(stateFile, 'utf8')) as FakeCameraState);
  const pipe = new Socket({ fd: 3, readable: false, writable: true });
  pipe.on('error', () => process.exit(0));
  const server = new CameraChildServer({
    library,
    scratchDir: input.scratchDir,
    frames: new FramePipeWriter(pipe),
    send,
  });
  process.on('message', (message: unknown) => {
    if (isChildCommand(message)) server.handle(message).catch(() => {});
  });
  send({ type: 'ready', pid: process.pid });
}
