/**
 * The documents a booth can make photos for: the built-in specs (JSON files in `specs/`) and the
 * operator's own from config, which add documents or replace a built-in one by id.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../config-error.ts';
import { documentSpecSchema, type DocumentSpec } from './document-spec.ts';

export const BUILT_IN_SPEC_DIR = fileURLToPath(new URL('./specs/', import.meta.url));

/** The spec used when none is named (the CLI's `check-photo`, tests). */
export const DEFAULT_SPEC_ID = 'eu-passport';

let builtIn: ReadonlyMap<string, DocumentSpec> | undefined;

/** Reads and validates every built-in spec once; a broken file names itself and its field. */
function builtInSpecs(): ReadonlyMap<string, DocumentSpec> {
  if (builtIn) return builtIn;
  const specs = new Map<string, DocumentSpec>();
  for (const name of readdirSync(BUILT_IN_SPEC_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const file = path.join(BUILT_IN_SPEC_DIR, name);
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new ConfigError(file, [{ path: '', message: `not JSON: ${(error as Error).message}` }]);
    }
    const parsed = documentSpecSchema.safeParse(json);
    if (!parsed.success) throw ConfigError.fromZod(file, parsed.error);
    if (`${parsed.data.id}.json` !== name)
      throw new ConfigError(file, [{ path: 'id', message: `must match the file name (${name})` }]);
    specs.set(parsed.data.id, parsed.data);
  }
  builtIn = specs;
  return specs;
}

export class DocumentCatalogue {
  readonly #specs: ReadonlyMap<string, DocumentSpec>;

  private constructor(specs: ReadonlyMap<string, DocumentSpec>) {
    this.#specs = specs;
  }

  /** The built-in specs only. */
  static builtIn(): DocumentCatalogue {
    return new DocumentCatalogue(builtInSpecs());
  }

  /** The built-in specs with the operator's added or replaced ones (already validated by the config schema). */
  static withOperatorSpecs(operatorSpecs: readonly DocumentSpec[]): DocumentCatalogue {
    if (operatorSpecs.length === 0) return DocumentCatalogue.builtIn();
    const specs = new Map(builtInSpecs());
    for (const spec of operatorSpecs) specs.set(spec.id, spec);
    return new DocumentCatalogue(specs);
  }

  ids(): string[] {
    return [...this.#specs.keys()];
  }

  has(id: string): boolean {
    return this.#specs.has(id);
  }

  /** The spec with this id; a RangeError naming the known ids when there is none. */
  get(id: string): DocumentSpec {
    const spec = this.#specs.get(id);
    if (!spec) throw new RangeError(`unknown document spec "${id}" (known: ${this.ids().join(', ')})`);
    return spec;
  }
}

/** Ids of the built-in specs. */
export const builtInDocumentIds = (): string[] => DocumentCatalogue.builtIn().ids();
