import { ConfigStore } from '../../config/store.ts';
import { dataPaths, ensureDataDir, resolveDataDir } from '../../config/data-dir.ts';
import { needsCcTalk, parseFaults } from '../simulate/fault-plan.ts';
import { runSimulation } from '../simulate/run-simulation.ts';
import type { CliIO } from './cli-io.ts';
import { UsageError } from './usage.ts';
import { IppPhotoPrinter } from '../../hardware/printer/ipp-photo-printer.ts';

export async function runSimulate(
  options: {
    dataDirFlag?: string;
    seed: number;
    sessions: number;
    faults?: string;
    payment?: string;
    printer?: string;
  },
  io: CliIO,
): Promise<number> {
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
      report.creditOwed;
  if (!balanced || report.cashBoxIn !== report.creditIn) {
    io.err('kiosk simulate: the money does not balance; see the report above');
    return 1;
  }
  return 0;
}
