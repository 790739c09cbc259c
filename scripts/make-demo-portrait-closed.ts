// Makes the demo's default portrait: portrait-1 (the fixture test0, smiling with teeth showing,
// which `mouth.closed` refuses) with its lips painted closed over the teeth, the same edit the
// still-check tests make (test/vision/checks/perturb.ts closeMouth), so the demo can pass review.
// Then checks every demo portrait against every default document and prints the failures.
// Run once from the repo root: npx tsx scripts/make-demo-portrait-closed.ts [--check]
import { readFile, writeFile } from 'node:fs/promises';
import sharp from 'sharp';
import { WorkerFaceEngine } from '../app/services/vision/engine/worker-face-engine.ts';
import { checkStill } from '../app/services/vision/checks/check-still.ts';
import { closeMouth } from '../test/vision/checks/perturb.ts';

const dir = 'demo-assets/portraits';
const documents = ['eu-passport', 'schengen-visa', 'uk-passport', 'us-passport', 'us-visa', 'de-passport'];
const engine = await WorkerFaceEngine.start();
try {
  if (!process.argv.includes('--check')) {
    const source = await readFile('../shared/fixtures/portraits/test0.jpg');
    const upright = await sharp(source)
      .rotate()
      .flatten({ background: '#ffffff' })
      .jpeg({ quality: 95 })
      .toBuffer();
    const analysis = await engine.analyze({ data: upright }, { mode: 'still' });
    const closed = await closeMouth(upright, analysis.faces[0]!);
    await writeFile(`${dir}/portrait-1.jpg`, await sharp(closed).jpeg({ quality: 90 }).toBuffer());
  }
  for (let i = 1; i <= 5; i++) {
    const data = await readFile(`${dir}/portrait-${i}.jpg`);
    const analysis = await engine.analyze({ data }, { mode: 'still' });
    for (const doc of documents) {
      const report = await checkStill({ data }, analysis, doc);
      const failed = report.checks.filter((c) => !c.pass).map((c) => c.id);
      console.log(`portrait-${i} ${doc}: ${report.verdict}${failed.length ? ` (${failed.join(', ')})` : ''}`);
    }
  }
} finally {
  await engine.close();
}
