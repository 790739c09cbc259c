// Converts the shared portrait fixtures into baseline JPEGs for the simulated camera.
// Run once from the repo root: npx tsx scripts/make-demo-portraits.ts [source-dir]
// (Some fixtures are really WebP or PNG whatever their name says; sharp reads them all.)
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';

const source = process.argv[2] ?? '../shared/fixtures/portraits';
const target = 'demo-assets/portraits';
const files = readdirSync(source)
  .filter((f) => /\.(jpe?g|png|webp)$/i.test(f))
  .sort();
for (const [i, file] of files.entries()) {
  const out = join(target, `portrait-${i + 1}.jpg`);
  await sharp(join(source, file))
    .rotate()
    .flatten({ background: '#ffffff' })
    .jpeg({ quality: 90 })
    .toFile(out);
  console.log(`${file} -> ${out}`);
}
