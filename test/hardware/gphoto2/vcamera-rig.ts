import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  gphoto2VirtualCameraAvailability,
  repoRoot,
  virtualCameraPortraits,
} from '../../../hardware/camera/gphoto2/virtual-camera.ts';

/**
 * What the gphoto2 adapter's tests on the virtual camera need: the virtual camera built
 * (build/vcamera/iolibs/vusb.so) and node-gphoto2 installed and compiled (an optional
 * dependency: it needs libgphoto2-dev and a compiler). Without either they are skipped, saying why.
 */
export function gphoto2Availability(): { available: boolean; reason?: string } {
  return gphoto2VirtualCameraAvailability();
}

/** The demo portraits (or the shared fixtures), all made one size so live view frames are too. */
export async function vcameraPortraits(dir: string, size = { width: 600, height: 800 }): Promise<string[]> {
  const fixtures = join(repoRoot, '../shared/fixtures/portraits');
  const from = existsSync(join(fixtures, 'test0.jpg')) ? fixtures : join(repoRoot, 'demo-assets/portraits');
  const names = readdirSync(from)
    .filter((name) => name.endsWith('.jpg'))
    .sort();
  return virtualCameraPortraits(
    names.map((name) => join(from, name)),
    dir,
    size,
  );
}
