import { mkdir } from 'node:fs/promises';
import { readPhotoFile } from './read-photo-file.ts';
import path from 'node:path';
import { ConfigStore } from '../../config/store.ts';
import { dataPaths, resolveDataDir } from '../../config/data-dir.ts';
import { DocumentCatalogue } from '../../config/documents/document-catalogue.ts';
import { writeFileAtomic } from '../../config/durable-file.ts';
import { IdPhotoProducer, type ProductionEngine } from '../services/production/id-photo-producer.ts';
import { printMediaIds, type PrintMedia } from '../services/production/print-sheet.ts';
import { WorkerFaceEngine } from '../services/vision/engine/worker-face-engine.ts';
import type { CliIO } from './cli-io.ts';
import { UsageError } from './usage.ts';

export interface MakePhotoOptions {
  readonly file: string | undefined;
  readonly spec: string | undefined;
  readonly out: string | undefined;
  readonly copies: number;
  readonly media: string | undefined;
  readonly dpi: number | undefined;
  readonly dataDirFlag: string | undefined;
  /** Makes the face engine (default: a `WorkerFaceEngine`); it is closed at the end. */
  readonly engine?: () => ProductionEngine & { close(): Promise<void> };
}

/**
 * `kiosk make-photo FILE --spec DOC_ID --out DIR [--copies N] [--media 4x6] [--dpi 300]`: makes
 * the document's photo from a still and prints the production report as JSON. Writes
 * `photo.jpg`, `sheet.jpg` (and `sheet-2.jpg`... when the copies need more sheets) and
 * `digital.jpg` only when every rule passes; exits 1 with the failing rule otherwise.
 * Documents and defaults come from the unit's config (its own specs included). The file may
 * come from anywhere, so the backdrop is corrected towards the nearest accepted colour, not the
 * booth's physical backdrop.
 */
export async function runMakePhoto(options: MakePhotoOptions, io: CliIO): Promise<number> {
  if (!options.file) throw new UsageError('make-photo needs a FILE');
  if (!options.spec) throw new UsageError('make-photo needs --spec DOC_ID');
  if (!options.out) throw new UsageError('make-photo needs --out DIR');
  const config = new ConfigStore({
    file: dataPaths(resolveDataDir({ flag: options.dataDirFlag, env: process.env })).config,
  }).load();
  const catalogue = DocumentCatalogue.withOperatorSpecs(config.documentSpecs);
  if (!catalogue.has(options.spec))
    throw new UsageError(`unknown document spec "${options.spec}"; known: ${catalogue.ids().join(', ')}`);
  const media = (options.media ?? config.production.media) as PrintMedia;
  if (!printMediaIds.includes(media))
    throw new UsageError(`unknown media "${options.media}"; known: ${printMediaIds.join(', ')}`);

  let still: Buffer;
  try {
    still = await readPhotoFile(options.file);
  } catch (error) {
    io.err(
      `kiosk: cannot read ${options.file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
    return 1;
  }
  const engine = options.engine ? options.engine() : new WorkerFaceEngine();
  try {
    const made = await new IdPhotoProducer(engine).produce(still, catalogue.get(options.spec), {
      copies: options.copies,
      media,
      dpi: options.dpi ?? config.production.dpi,
      cutMarks: config.production.cutMarks,
    });
    if (made.files) {
      await mkdir(options.out, { recursive: true });
      // Photos are personal data: written whole (never half a file) and readable by the owner only.
      const write = (name: string, data: Buffer) => writeFileAtomic(path.join(options.out!, name), data);
      write('photo.jpg', made.files.photo);
      for (const [i, sheet] of made.files.sheets.entries())
        write(i ? `sheet-${i + 1}.jpg` : 'sheet.jpg', sheet);
      write('digital.jpg', made.files.digital);
    }
    io.out(JSON.stringify(made.report, null, 2));
    return made.report.compliant ? 0 : 1;
  } finally {
    await engine.close();
  }
}
