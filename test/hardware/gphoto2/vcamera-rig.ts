import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import { repoRoot, virtualCameraAvailability } from '../../tooling/vcamera/virtual-camera.ts';

/**
 * What the gphoto2 adapter's tests on the virtual camera need: the virtual camera built
 * (build/vcamera/iolibs/vusb.so) and node-gphoto2 installed and compiled (an optional
 * dependency: it needs libgphoto2-dev and a compiler). Without either they are skipped, saying why.
 */
export function gphoto2Availability(): { available: boolean; reason?: string } {
  const camera = virtualCameraAvailability();
  if (!camera.available) return camera;
  try {
    const manifest = createRequire(import.meta.url).resolve('gphoto2/package.json');
    const addon = join(dirname(manifest), 'build', 'Release', 'gphoto2.node');
    if (!existsSync(addon))
      return { available: false, reason: `npm gphoto2 is installed but not built (${addon})` };
  } catch {
    return { available: false, reason: 'npm gphoto2 is not installed (npm install, with libgphoto2-dev)' };
  }
  return { available: true };
}

/** The demo portraits (or the shared fixtures), all made one size so live view frames are too. */
export async function vcameraPortraits(dir: string, size = { width: 600, height: 800 }): Promise<string[]> {
  const fixtures = join(repoRoot, '../shared/fixtures/portraits');
  const from = existsSync(join(fixtures, 'test0.jpg')) ? fixtures : join(repoRoot, 'demo-assets/portraits');
  mkdirSync(dir, { recursive: true });
  const names = readdirSync(from)
    .filter((name) => name.endsWith('.jpg'))
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const out = join(dir, name);
      await sharp(join(from, name))
        .rotate()
        .resize(size.width, size.height, { fit: 'cover' })
        .jpeg({ quality: 90 })
        .toFile(out);
      return out;
    }),
  );
}
