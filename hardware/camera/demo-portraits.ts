import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The demo snapshots the simulated camera shows (portrait-1.jpg … in the repo's demo-assets). */
export const demoPortraitDir = fileURLToPath(new URL('../../demo-assets/portraits/', import.meta.url));

export function demoPortraits(): string[] {
  return readdirSync(demoPortraitDir)
    .filter((f) => f.endsWith('.jpg'))
    .sort()
    .map((f) => demoPortraitDir + f);
}
