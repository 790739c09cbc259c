import { resolveDataDir } from '../../config/data-dir.ts';
import type { ControlArgs, ControlCommand } from '../host/control/control-protocol.ts';
import type { BoothStatus } from '../host/control/booth-status.ts';
import type { CashReport } from '../operator/cash-book.ts';
import type { OwedRow } from '../operator/owed-desk.ts';
import type { PaperReport, ZReport } from '../../flows/operator/services.ts';
import type { CliIO } from './cli-io.ts';
import { askBooth } from './control-client.ts';
import { UsageError } from './usage.ts';
import { formatDuration, money, when } from './operator-format.ts';
import { readPin } from './read-pin.ts';

export interface OperatorCommandOptions {
  dataDirFlag?: string;
  /** The command (`status`, `cash`, `media`, `price`, `owed`) and its words. */
  command: string;
  args: string[];
  json?: boolean;
  counted?: string;
  prints?: string;
  as?: string;
  pinStdin?: boolean;
  /** `--pin` on the command line: refused here (see pinFor). */
  pin?: string;
  /** Where --pin-stdin reads (default process.stdin) and KIOSK_PIN is looked up. */
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
  env?: NodeJS.ProcessEnv;
}

/**
 * `kiosk status|cash|media|price|owed`: each acts on the booth running on the data directory,
 * through its control channel (app/host/control), never on a booth of its own. Exit 3 when no
 * booth runs there.
 */
export async function runOperatorCommand(options: OperatorCommandOptions, io: CliIO): Promise<number> {
  const dataDir = resolveDataDir({ flag: options.dataDirFlag, env: options.env ?? process.env });
  const [sub, ...rest] = options.args;
  const ask = async <C extends ControlCommand>(command: C, args: ControlArgs<C>, timeoutMs?: number) =>
    askBooth(dataDir, { command, args, pin: await pinFor(command, options) }, { timeoutMs });
  const out = (value: unknown, human: () => void) => (options.json ? io.out(JSON.stringify(value)) : human());

  switch (`${options.command} ${sub ?? ''}`.trim()) {
    case 'status': {
      words(options.args, 0, 'status');
      const status = (await ask('status', {})) as BoothStatus;
      out(status, () => printStatus(status, io));
      return 0;
    }
    case 'cash report': {
      words(rest, 0, 'cash report');
      const report = (await ask('cash.report', {})) as CashReport & { vouchersOutstanding: number };
      out(report, () => printCash(report, io));
      return 0;
    }
    case 'cash empty': {
      words(rest, 0, 'cash empty');
      const counted = whole('--counted', options.counted, 0);
      const z = (await ask('cash.empty', { counted })) as ZReport & { currency: string };
      out(z, () => {
        const m = (n: number) => money(n, z.currency);
        io.out(`cash box emptied: period ${z.period} closed`);
        io.out(`expected ${m(z.expectedInBox)}, counted ${m(z.counted)}, difference ${m(z.difference)}`);
        io.out(
          z.printed
            ? 'Z-report printed on the receipt printer'
            : 'Z-report kept in the journal (not printed)',
        );
      });
      return 0;
    }
    case 'media loaded': {
      words(rest, 0, 'media loaded');
      const prints = whole('--prints', options.prints, 1);
      const paper = (await ask('media.loaded', { prints })) as PaperReport;
      out(paper, () =>
        io.out(`media loaded: ${paper.remaining ?? 'unknown'} prints left (${paper.media}, ${paper.status})`),
      );
      return 0;
    }
    case 'price set': {
      words(rest, 2, 'price set PRODUCT AMOUNT');
      const [product, amount] = rest as [string, string];
      const change = (await ask('price.set', { product, amount: whole('AMOUNT', amount, 0) })) as {
        before: number;
        after: number;
        currency: string;
        applies: string;
      };
      out(change, () =>
        io.out(
          `${product}: ${money(change.before, change.currency)} -> ${money(change.after, change.currency)} (applies ${change.applies})`,
        ),
      );
      return 0;
    }
    case 'owed list': {
      words(rest, 0, 'owed list');
      const rows = (await ask('owed.list', {})) as OwedRow[];
      out(rows, () => printOwed(rows, io));
      return 0;
    }
    case 'owed retry': {
      words(rest, 1, 'owed retry ORDER');
      // Printing takes a while per sheet on a real printer: wait for the run, not 15 s.
      const r = (await ask('owed.retry', { order: rest[0]! }, 10 * 60_000)) as {
        delivered: boolean;
        sheetsPrinted: number;
        stoppedBy: string | null;
      };
      out(r, () =>
        io.out(
          r.delivered
            ? `order ${rest[0]} delivered (${r.sheetsPrinted} sheets printed in this run)`
            : `order ${rest[0]} still owed: ${r.stoppedBy ?? 'not reached'} (${r.sheetsPrinted} sheets printed in this run)`,
        ),
      );
      return r.delivered ? 0 : 1;
    }
    case 'owed give-up': {
      words(rest, 1, 'owed give-up ORDER --as refund|voucher');
      if (options.as !== 'refund' && options.as !== 'voucher')
        throw new UsageError(
          `owed give-up needs --as refund or --as voucher${options.as ? `, not "${options.as}"` : ''}`,
        );
      const r = (await ask('owed.give-up', { order: rest[0]!, as: options.as }, 2 * 60_000)) as {
        currency: string;
        price: number;
        paidOut: number;
        voucher: { amount: number; printed: boolean; expiresAt: number; code?: string } | null;
      };
      out(r, () => {
        const m = (n: number) => money(n, r.currency);
        io.out(`order ${rest[0]} given up: ${m(r.price)} handed back`);
        if (r.paidOut > 0) io.out(`paid out in coins: ${m(r.paidOut)}`);
        if (r.voucher)
          io.out(
            r.voucher.printed
              ? `voucher of ${m(r.voucher.amount)} printed on the receipt printer, valid until ${when(r.voucher.expiresAt)}`
              : `voucher of ${m(r.voucher.amount)} NOT printed: give the customer this code: ${r.voucher.code} (valid until ${when(r.voucher.expiresAt)})`,
          );
      });
      return 0;
    }
    default:
      throw new UsageError(
        sub === undefined && options.command !== 'status'
          ? `${options.command} needs a subcommand (see kiosk help)`
          : `unknown command "${options.command} ${sub}"`,
      );
  }
}

/**
 * The PIN for a command that touches money or a customer: piped in (`--pin-stdin`) or from
 * KIOSK_PIN. Never from the command line: `ps` shows every process's arguments to every user.
 */
async function pinFor(command: ControlCommand, options: OperatorCommandOptions): Promise<string | undefined> {
  if (options.pin !== undefined)
    throw new UsageError(
      'give the PIN with --pin-stdin or KIOSK_PIN, not --pin: `ps` shows the command line to everyone',
    );
  if (command === 'status' || command === 'cash.report' || command === 'owed.list') return undefined;
  if (options.pinStdin) {
    const pin = (await readPin(options.stdin ?? process.stdin, process.stderr)).trim();
    if (pin === '') throw new UsageError('--pin-stdin read no PIN');
    return pin;
  }
  return (options.env ?? process.env).KIOSK_PIN || undefined;
}

function words(args: string[], count: number, usage: string): void {
  if (args.length !== count) throw new UsageError(`usage: kiosk ${usage}`);
}

function whole(name: string, raw: string | undefined, min: number): number {
  if (raw === undefined) throw new UsageError(`${name} is required`);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(Number(raw)) || Number(raw) < min)
    throw new UsageError(
      `${name} must be a whole number of at least ${min} (minor units for money), not "${raw}"`,
    );
  return Number(raw);
}

function printStatus(s: BoothStatus, io: CliIO): void {
  io.out(`booth ${s.unit.id} (${s.unit.name}): ${s.state}, screen ${s.screen}`);
  io.out(
    `service: ${s.outOfServiceReason ? `out of service (${s.outOfServiceReason})` : 'in service'}; maintenance ${s.maintenance ? 'on' : 'off'}`,
  );
  io.out(
    `devices: ${s.devices.map((d) => `${d.device} ${d.ready ? 'ok' : d.reasons.join('+') || 'not ready'}`).join(', ')}`,
  );
  if (s.pinPad)
    io.out(
      s.pinPad.lockedUntil !== null
        ? `PIN pad: locked until ${when(s.pinPad.lockedUntil)} (too many wrong PINs)`
        : `PIN pad: open, ${s.pinPad.attemptsLeft} wrong PIN(s) before it locks`,
    );
  io.out(`prints left: ${s.printsLeft ?? 'unknown'}`);
  io.out(
    `takings since ${s.takings.since === null ? 'the start' : when(s.takings.since)}: ${money(s.takings.cashIn, s.currency)} in, ` +
      `${money(s.takings.expectedInCashBox, s.currency)} expected in the cash box, ${s.takings.delivered} sold for ${money(s.takings.revenue, s.currency)}`,
  );
  io.out(`prints owed: ${s.owed.sheets} sheets for ${s.owed.orders} orders`);
  io.out(`uptime: ${formatDuration(s.uptimeSeconds)}`);
  if (s.diagnostics)
    io.out(
      s.diagnostics.serving
        ? `diagnostics: https on ${s.diagnostics.addresses.join(', ')}, certificate SHA-256 ${s.diagnostics.fingerprint}${s.diagnostics.tokenSet ? '' : ' (no token yet: kiosk diag token)'}`
        : 'diagnostics: off (diagnostics.enabled)',
    );
}

function printCash(r: CashReport & { vouchersOutstanding: number }, io: CliIO): void {
  const m = (n: number) => money(n, r.currency);
  io.out(`takings of ${r.unitId} since ${r.from === null ? 'the start' : when(r.from)}`);
  io.out(`money in: ${m(r.moneyIn.total)} (coins ${m(r.moneyIn.coin)}, notes ${m(r.moneyIn.bill)})`);
  for (const d of r.denominations)
    io.out(`  ${d.channel === 'bill' ? 'note' : 'coin'} ${m(d.value)} x ${d.count}`);
  if (r.testCoins.count > 0)
    io.out(`test coins (payment tests, not credited): ${r.testCoins.count}, ${m(r.testCoins.amount)}`);
  io.out(`expected in the cash box: ${m(r.expectedInCashBox)}; hopper paid out ${m(r.hopperPaidOut)}`);
  io.out(
    `orders: ${r.orders.delivered.count} delivered (${m(r.orders.delivered.amount)}), ${r.orders.reversed.count} reversed, ${r.orders.owed.count} owed`,
  );
  io.out(
    `vouchers: issued ${m(r.vouchersIssued.amount)}, redeemed ${m(r.vouchersRedeemed.amount)}, outstanding ${m(r.vouchersOutstanding)}`,
  );
}

function printOwed(rows: OwedRow[], io: CliIO): void {
  if (rows.length === 0) {
    io.out('no prints owed');
    return;
  }
  io.out('order                                 since                 sheets  tries  last error / state');
  for (const r of rows)
    io.out(
      `${r.orderId.padEnd(38)}${when(r.since).padEnd(22)}${String(r.sheetsLeft).padStart(6)}  ${String(r.attempts).padStart(5)}  ${r.lastError}${r.state === 'given-up' ? ' (cannot print: give up with a refund or voucher)' : ''}`,
    );
}
