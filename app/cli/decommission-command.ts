import { resolveDataDir } from '../../config/data-dir.ts';
import type { EndOfServiceView } from '../services/outbox/outbox-api.ts';
import {
  decommissionFile,
  endOfServiceView,
  readDecommissionState,
} from '../services/decommission/decommission-state.ts';
import type { CliIO } from './cli-io.ts';
import { askBooth } from './control-client.ts';
import { readPin } from './read-pin.ts';
import { UsageError } from './usage.ts';

export interface DecommissionCommandOptions {
  dataDirFlag?: string;
  args: string[];
  json?: boolean;
  noticeDays?: string;
  pinStdin?: boolean;
  pin?: string;
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
  env?: NodeJS.ProcessEnv;
}

/**
 * `kiosk decommission begin [--notice-days N] --pin-stdin` and `kiosk decommission status`: the
 * end of service of the booth running on the data directory, through its control channel (the
 * technician PIN, checked on the booth's own pad). Exit 3 when no booth runs there.
 */
export async function runDecommission(options: DecommissionCommandOptions, io: CliIO): Promise<number> {
  const dataDir = resolveDataDir({ flag: options.dataDirFlag, env: options.env ?? process.env });
  const [sub, ...rest] = options.args;
  if (rest.length > 0)
    throw new UsageError(`usage: kiosk decommission begin|status, not "${options.args.join(' ')}"`);
  if (options.pin !== undefined)
    throw new UsageError(
      'give the PIN with --pin-stdin or KIOSK_PIN, not --pin: `ps` shows the command line to everyone',
    );
  let view: EndOfServiceView;
  if (sub === 'status') {
    try {
      view = (await askBooth(dataDir, { command: 'decommission.status', args: {} })) as EndOfServiceView;
    } catch (error) {
      // A decommissioned booth does not start: its state file still says where it got to.
      const state = readDecommissionState(decommissionFile(dataDir));
      if ((error as { code?: string }).code !== 'booth-not-running' || !state) throw error;
      view = endOfServiceView(state, Date.now());
    }
  } else if (sub === 'begin') {
    const noticeDays = options.noticeDays === undefined ? undefined : days(options.noticeDays);
    const pin = options.pinStdin
      ? (await readPin(options.stdin ?? process.stdin, process.stderr)).trim()
      : (options.env ?? process.env).KIOSK_PIN || undefined;
    if (options.pinStdin && !pin) throw new UsageError('--pin-stdin read no PIN');
    // Settling owed prints pays out coins and prints slips: give it longer than a status.
    view = (await askBooth(
      dataDir,
      { command: 'decommission.begin', args: noticeDays === undefined ? {} : { noticeDays }, pin },
      { timeoutMs: 120_000 },
    )) as EndOfServiceView;
  } else {
    throw new UsageError(
      'usage: kiosk decommission begin [--notice-days N] --pin-stdin | kiosk decommission status',
    );
  }
  if (options.json) io.out(JSON.stringify(view));
  else io.out(describe(view));
  return 0;
}

function days(raw: string): number {
  if (!/^\d+$/.test(raw) || Number(raw) > 90)
    throw new UsageError(`--notice-days must be a whole number of days from 0 to 90, not "${raw}"`);
  return Number(raw);
}

function describe(view: EndOfServiceView): string {
  const date = view.closesAt === null ? '' : new Date(view.closesAt).toISOString();
  switch (view.phase) {
    case 'in-service':
      return 'in service: no end of service begun';
    case 'closing':
      return `closing on ${date}: the booth shows the notice and still serves until then`;
    case 'closed':
      return `closed since ${date}: takes no money; ${view.step} done, the rest follows between customers`;
    case 'decommissioned':
      return 'decommissioned: owed work settled, the vault destroyed (kiosk decommission status shows this from now on)';
  }
}
