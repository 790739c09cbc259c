/**
 * What a technician and the booth's health want to know of a DSLR, read from libgphoto2's
 * configuration tree (node-gphoto2's `getConfig(true, …)`: sections as nested objects, each
 * setting a leaf `{ label, type, value, … }`). Every camera names a different subset, so each
 * field is null where this one does not say.
 */
export interface CameraSummary {
  readonly model: string;
  readonly port: string;
  readonly manufacturer: string | null;
  readonly serial: string | null;
  /** As the camera words it ("100%", "Full", "75"). */
  readonly battery: string | null;
  readonly lens: string | null;
  /**
   * Shots left on the card, where the camera counts them. Free bytes are not reachable:
   * node-gphoto2 does not expose libgphoto2's storage info.
   */
  readonly availableShots: number | null;
  /** The capture settings that decide how a portrait comes out, those the camera has. */
  readonly settings: Readonly<Record<string, string | number>>;
}

/** Config names (ptp2 and the other drivers), first found wins. */
const fields = {
  manufacturer: ['manufacturer'],
  serial: ['serialnumber', 'eosserialnumber'],
  battery: ['batterylevel'],
  lens: ['lensname', 'lens'],
  availableShots: ['availableshots'],
} as const;

/** Settings a booth's technician checks first (the README's real-camera setup names them). */
export const summarySettings = [
  'capturetarget',
  'imageformat',
  'imagequality',
  'imagesize',
  'iso',
  'f-number',
  'aperture',
  'shutterspeed',
  'exposurecompensation',
  'whitebalance',
  'focusmode',
  'autopoweroff',
] as const;

interface Leaf {
  readonly label: string;
  readonly type?: string;
  readonly value?: unknown;
}

function isLeaf(node: unknown): node is Leaf {
  return typeof node === 'object' && node !== null && typeof (node as Leaf).label === 'string';
}

/** Every leaf of the tree by its config name; the first of a name wins (main before others). */
export function configLeaves(tree: unknown): Map<string, Leaf> {
  const leaves = new Map<string, Leaf>();
  const walk = (node: unknown, depth: number) => {
    if (depth > 8 || typeof node !== 'object' || node === null) return;
    for (const [name, child] of Object.entries(node)) {
      if (isLeaf(child)) {
        if (!leaves.has(name)) leaves.set(name, child);
      } else walk(child, depth + 1);
    }
  };
  walk(tree, 0);
  return leaves;
}

const plain = (value: unknown): string | number | null => {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  return null;
};

export function summarizeConfig(camera: { model: string; port: string }, tree: unknown): CameraSummary {
  const leaves = configLeaves(tree);
  const first = (names: readonly string[]) => {
    for (const name of names) {
      const value = plain(leaves.get(name)?.value);
      if (value !== null) return value;
    }
    return null;
  };
  const text = (names: readonly string[]) => {
    const value = first(names);
    return value === null ? null : String(value);
  };
  const shots = first(fields.availableShots);
  const settings: Record<string, string | number> = {};
  for (const name of summarySettings) {
    const value = plain(leaves.get(name)?.value);
    if (value !== null) settings[name] = value;
  }
  return {
    model: camera.model,
    port: camera.port,
    manufacturer: text(fields.manufacturer),
    serial: text(fields.serial),
    battery: text(fields.battery),
    lens: text(fields.lens),
    availableShots: typeof shots === 'number' ? shots : shots !== null && /^\d+$/.test(shots) ? +shots : null,
    settings,
  };
}

/** The width in an `imagesize` setting: "6016x4016" → 6016. */
export function imageWidth(value: string | number | undefined): number | undefined {
  const match = typeof value === 'string' ? /^(\d+)\s*x\s*\d+$/i.exec(value) : null;
  return match ? Number(match[1]) : undefined;
}
