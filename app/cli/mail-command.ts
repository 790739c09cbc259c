import { resolveDataDir } from '../../config/data-dir.ts';
import type { OutboxCounts, OutboxRow } from '../services/outbox/outbox-api.ts';
import type { CliIO } from './cli-io.ts';
import { askBooth } from './control-client.ts';
import { readPin } from './read-pin.ts';
import { UsageError } from './usage.ts';

export interface MailCommandOptions {
  dataDirFlag?: string;
  args: string[];
  json?: boolean;
  pinStdin?: boolean;
  pin?: string;
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
  env?: NodeJS.ProcessEnv;
}

/**
 * `kiosk mail list [--json]` and `kiosk mail resend ID --pin-stdin`: the running booth's outbox
 * (digital copies and contact requests still waiting, or refused by the mail server), by message
 * id: never an address or a receipt code. Through the control channel; exit 3 with no booth.
 */
export async function runMail(options: MailCommandOptions, io: CliIO): Promise<number> {
  const dataDir = resolveDataDir({ flag: options.dataDirFlag, env: options.env ?? process.env });
  const [sub, ...rest] = options.args;
  if (options.pin !== undefined)
    throw new UsageError(
      'give the PIN with --pin-stdin or KIOSK_PIN, not --pin: `ps` shows the command line to everyone',
    );
  if (sub === 'list' && rest.length === 0) {
    const list = (await askBooth(dataDir, { command: 'mail.list', args: {} })) as {
      messages: OutboxRow[];
      counts: OutboxCounts;
    };
    if (options.json) io.out(JSON.stringify(list));
    else {
      const c = list.counts;
      io.out(`sent ${c.sent}, refused ${c.failed}, expired unsent ${c.expired}, in the outbox ${c.pending}`);
      for (const m of list.messages)
        io.out(
          `${m.id}  ${m.kind}  ${m.state}  since ${new Date(m.since).toISOString()}  tries ${m.attempts}  ${m.lastError ?? ''}`.trimEnd(),
        );
    }
    return 0;
  }
  if (sub === 'resend' && rest.length === 1) {
    const pin = options.pinStdin
      ? (await readPin(options.stdin ?? process.stdin, process.stderr)).trim()
      : (options.env ?? process.env).KIOSK_PIN || undefined;
    if (options.pinStdin && !pin) throw new UsageError('--pin-stdin read no PIN');
    const result = (await askBooth(
      dataDir,
      { command: 'mail.resend', args: { message: rest[0]! }, pin },
      { timeoutMs: 120_000 },
    )) as { sent: boolean; row: OutboxRow | null };
    if (options.json) io.out(JSON.stringify(result));
    else
      io.out(
        result.sent
          ? 'sent: the address is shredded'
          : `not sent: ${result.row?.lastError ?? 'still waiting'}`,
      );
    return result.sent ? 0 : 1;
  }
  throw new UsageError('usage: kiosk mail list [--json] | kiosk mail resend ID --pin-stdin');
}
