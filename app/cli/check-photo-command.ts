import { checkStill, type StillReport } from '../services/vision/checks/check-still.ts';
import { readPhotoFile } from './read-photo-file.ts';
import { DEFAULT_SPEC_ID, isKnownSpec } from '../services/vision/checks/crop-needs.ts';
import { builtInDocumentIds } from '../../config/documents/document-catalogue.ts';
import type { FaceEngine } from '../services/vision/engine/face-engine.ts';
import { WorkerFaceEngine } from '../services/vision/engine/worker-face-engine.ts';
import type { CliIO } from './cli-io.ts';
import { UsageError } from './usage.ts';

export interface CheckPhotoOptions {
  readonly files: readonly string[];
  readonly spec?: string;
  readonly json?: boolean;
  /** Makes the face engine (default: a `WorkerFaceEngine`); it is closed at the end. */
  readonly engine?: () => FaceEngine;
}

type FileOutcome = { file: string; report: StillReport } | { file: string; error: string };

/**
 * `kiosk check-photo <file...> [--spec DOC_ID] [--json]`: the full compliance check of each
 * photo. Exit code 0 when every photo passes, 1 when any fails or cannot be read, 2 for a usage
 * error (no file, unknown spec).
 */
export async function runCheckPhoto(options: CheckPhotoOptions, io: CliIO): Promise<number> {
  const specId = options.spec ?? DEFAULT_SPEC_ID;
  if (!isKnownSpec(specId)) {
    throw new UsageError(`unknown document spec "${specId}"; known: ${builtInDocumentIds().join(', ')}`);
  }
  if (options.files.length === 0) throw new UsageError('check-photo needs at least one FILE');
  const engine = options.engine ? options.engine() : new WorkerFaceEngine();
  let allPass = true;
  try {
    for (const file of options.files) {
      const outcome = await checkFile(engine, file, specId);
      if ('error' in outcome || outcome.report.verdict !== 'pass') allPass = false;
      if (options.json) io.out(jsonLine(outcome));
      else for (const line of table(outcome, specId)) io.out(line);
    }
  } finally {
    await engine.close();
  }
  return allPass ? 0 : 1;
}

async function checkFile(engine: FaceEngine, file: string, specId: string): Promise<FileOutcome> {
  let data: Buffer;
  try {
    data = await readPhotoFile(file);
  } catch (error) {
    return {
      file,
      error: `cannot read the file: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    };
  }
  try {
    const analysis = await engine.analyze({ data }, { mode: 'still' });
    return { file, report: await checkStill({ data }, analysis, specId) };
  } catch (error) {
    return { file, error: (error as Error).message.split('\n')[0]! };
  }
}

function jsonLine(outcome: FileOutcome): string {
  if ('error' in outcome) return JSON.stringify({ file: outcome.file, error: outcome.error });
  const { verdict, face, checks } = outcome.report;
  return JSON.stringify({ file: outcome.file, verdict, face, checks });
}

function table(outcome: FileOutcome, specId: string): string[] {
  if ('error' in outcome) return [`${outcome.file}: ERROR ${outcome.error}`, ''];
  const { verdict, face, checks } = outcome.report;
  const lines = [`${outcome.file}: ${verdict.toUpperCase()} (${specId})`];
  if (face) {
    lines.push(
      `  head roll ${face.roll.toFixed(1)}°, yaw ${face.yaw.toFixed(1)}°, pitch ${face.pitch.toFixed(1)}°; face box ${face.box.join(',')}`,
    );
  }
  for (const c of checks) {
    const value = c.value === null ? '-' : String(c.value);
    lines.push(
      `  ${c.pass ? 'pass' : 'FAIL'}  ${c.id.padEnd(19)} ${value.padStart(8)}  limit ${String(c.limit).padEnd(6)} ${c.message}`,
    );
  }
  lines.push('');
  return lines;
}
