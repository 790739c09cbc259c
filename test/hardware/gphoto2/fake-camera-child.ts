/**
 * A camera child for the supervision tests: the real child's server and protocol over a fake
 * camera (fake-camera-library.ts) whose behaviour is the JSON in $FAKE_CAMERA_STATE, read at
 * every call. With FAKE_CAMERA_FATAL set it does what the real child does when the binding
 * cannot load: says `fatal` and exits 70.
 */
import { readFileSync } from 'node:fs';
import type { FromChild } from '../../../hardware/camera/gphoto2/driver/child-protocol.ts';
import { childInput, serveCameraChild } from '../../../hardware/camera/gphoto2/driver/serve-camera-child.ts';
import { fakeCameraLibrary, type FakeCameraState } from './fake-camera-library.ts';

if (process.env['FAKE_CAMERA_FATAL']) {
  process.send?.({ type: 'fatal', message: 'Cannot find module gphoto2 (fake)' } satisfies FromChild, () =>
    process.exit(70),
  );
} else {
  const stateFile = process.env['FAKE_CAMERA_STATE']!;
  const { library } = fakeCameraLibrary(() => JSON.parse(readFileSync(stateFile, 'utf8')) as FakeCameraState);
  serveCameraChild(library, childInput());
}
