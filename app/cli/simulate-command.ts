import { ConfigStore } from '../../config/store.ts';
import { dataPaths, ensureDataDir, resolveDataDir } from '../../config/data-dir.ts';
import { needsCcTalk, parseFaults } from '../simulate/fault-plan.ts';
import { runSimulation } from '../simulate/run-simulation.ts';
import type { CliIO } from './cli-io.ts';
import { UsageError } from './usage.ts';
import { IppPhotoPrinter } from '../../hardware/printer/ipp-photo-printer.ts';
import { runCampaign } from '../simulate/campaign.ts';
import { campaignFaults, type CampaignFault } from '../simulate/campaign-faults.ts';

/** `--faults` for the campaign: a comma list of its faults, every one when left out. */
function parseCampaignFaults(list: string | undefined): readonly CampaignFault[] {
  if (list === undefined) return campaignFaults;
  const names = list.split(',').map((name) => name.trim());
  for (const name of names)
    if (!(campaignFaults as readonly string[]).includes(name))
      throw new UsageError(`unknown campaign fault "${name}" (known: ${campaignFaults.join(', ')})`);
  return names as CampaignFault[];
}

/**
 * Every fault × crash point × `seeds` seeds: one JSON line per case (where the fault came, the
 * invariant's terms, what broke), then a summary line. Exits 1 when any case broke the books or
 * a point was never reached.
 */
async function runCampaignCommand(seeds: number, faultList: string | undefined, io: CliIO): Promise<number> {
  const started = Date.now();
  const faults = parseCampaignFaults(faultList);
  const report = await runCampaign({
    seeds,
    faults,
    onCase: (c) =>
      io.out(
        JSON.stringify({
          point: c.point,
          fault: c.fault,
          seed: c.seed,
          crashed: c.crashed,
          ok: c.problems.length === 0,
          ...(c.skipped ? { skipped: c.skipped } : {}),
          problems: c.problems,
          ...(c.books
            ? {
                cashIn: c.books.cashIn,
                hopperPaid: c.books.hopperPaid,
                printed: c.books.totals.delivered,
                refunded: c.books.totals.refunded,
                vouchersOutstanding: c.books.totals.vouchersOutstanding,
                vouchersRedeemed: c.books.totals.vouchersRedeemed,
                carried: c.books.totals.balance,
                owed: c.books.totals.owed,
                sheets: c.books.sheetsPrinted,
              }
            : {}),
          ms: c.ms,
        }),
      ),
  });
  const summary = {
    cases: report.cases.length,
    faults,
    crashed: report.cases.filter((c) => c.crashed).length,
    failed: report.failed,
    skipped: report.skipped,
    unreached: report.unreached,
    seconds: Math.round((Date.now() - started) / 1000),
  };
  io.out(JSON.stringify({ summary }));
  if (report.failed > 0 || report.unreached.length > 0) {
    io.err(
      'kiosk simulate --campaign: the books did not hold after a fault, or a crash point was never reached',
    );
    return 1;
  }
  return 0;
}

export async function runSimulate(
  options: {
    dataDirFlag?: string;
    seed: number;
    sessions: number;
    faults?: string;
    payment?: string;
    printer?: string;
    /** `--campaign`: the fault campaign instead of a run of sessions (`faults` then lists its faults). */
    campaign?: boolean;
    /** `--campaign-seeds N`: seeds per crash point (the full campaign uses 20). */
    campaignSeeds?: number;
  },
  io: CliIO,
): Promise<number> {
  if (options.campaign) return runCampaignCommand(options.campaignSeeds ?? 1, options.faults, io);
  let faults;
  try {
    faults = parseFaults(options.faults);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const payment = options.payment ?? 'simulated';
  if (payment !== 'simulated' && payment !== 'cctalk') {
    throw new UsageError(`--payment must be "simulated" or "cctalk", not "${payment}"`);
  }
  const ccTalkOnly = faults.filter(needsCcTalk);
  if (ccTalkOnly.length > 0 && payment !== 'cctalk') {
    throw new UsageError(`fault "${ccTalkOnly.join('", "')}" needs --payment cctalk`);
  }
  const printerFaults = faults.filter((f) => f.startsWith('printer-'));
  if (options.printer !== undefined && printerFaults.length > 0) {
    throw new UsageError(
      `fault "${printerFaults.join('", "')}" is for the simulated printer; a real printer has its own faults`,
    );
  }
  let photoPrinter: IppPhotoPrinter | undefined;
  if (options.printer !== undefined) {
    if (!/^(ipps?|https?):\/\//.test(options.printer))
      throw new UsageError(
        `--printer must be an ipp://, ipps:// or http(s):// URL, not "${options.printer}"`,
      );
    photoPrinter = new IppPhotoPrinter({ url: options.printer, pollMs: 2_000 });
  }
  const dataDir = resolveDataDir({ flag: options.dataDirFlag, env: process.env });
  ensureDataDir(dataDir);
  const config = new ConfigStore({ file: dataPaths(dataDir).config }).load();
  const report = await runSimulation({
    config,
    dataDir,
    sessions: options.sessions,
    seed: options.seed,
    faults,
    payment,
    photoPrinter,
  });
  io.out(JSON.stringify(report));
  const balanced =
    report.creditIn ===
    report.creditPrinted +
      report.creditCarried +
      report.creditRefunded +
      report.creditKept +
      report.creditVouchers +
      report.creditOwed;
  if (!balanced || report.cashBoxIn !== report.creditIn) {
    io.err('kiosk simulate: the money does not balance; see the report above');
    return 1;
  }
  return 0;
}
