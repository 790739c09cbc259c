import { z } from 'zod';
import { BoothError, type ControlCode } from '../../../core/errors.ts';

/**
 * The running booth's control channel: one Unix socket (`<dataDir>/control.sock`, owner only),
 * newline-delimited JSON. A request is `{ id, command, args, pin? }`; the answer to it is
 * `{ id, ok: true, result }` or `{ id, ok: false, error: { code, message } }`. The CLI (`kiosk
 * status`, `cash`, `media`, `price`, `owed`) is the only client; both ends read this file.
 */

/** A request line longer than this is refused unread: no command needs more than a few hundred bytes. */
export const maxRequestBytes = 64 * 1024;

/** What the control channel refuses, with a message that says what was wrong. */
export class ControlError extends BoothError<ControlCode> {
  constructor(code: ControlCode, message: string) {
    super(code, message);
    this.name = 'ControlError';
  }
}

const minorUnits = z.number().int().min(0).max(10_000_000);
/** Order ids are the journal's UUIDs; a loose pattern keeps junk out of the lookups and the audit. */
const orderId = z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'must be an order id as `kiosk owed list` shows it');
const none = z.strictObject({});

/** Each command's arguments, and whether it needs the operator's (or technician's) PIN. */
export const controlCommands = {
  status: { args: none, pin: false },
  'cash.report': { args: none, pin: false },
  'cash.empty': { args: z.strictObject({ counted: minorUnits }), pin: true },
  'media.loaded': { args: z.strictObject({ prints: z.number().int().min(1).max(10_000) }), pin: true },
  'price.set': {
    args: z.strictObject({ product: z.string().min(1).max(64), amount: minorUnits }),
    pin: true,
  },
  'owed.list': { args: none, pin: false },
  'owed.retry': { args: z.strictObject({ order: orderId }), pin: true },
  'owed.give-up': {
    args: z.strictObject({ order: orderId, as: z.enum(['refund', 'voucher']) }),
    pin: true,
  },
  // `kiosk diag`: the technician's diagnostics of the booth (app/diagnostics), locally.
  'diag.health': { args: none, pin: false },
  'diag.metrics': { args: none, pin: false },
  'diag.logs': {
    args: z.strictObject({
      since: z.number().int().min(0).optional(),
      level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal']).optional(),
      limit: z.number().int().min(1).max(1_000).optional(),
    }),
    pin: false,
  },
  'diag.bundle': { args: none, pin: false },
  /** A new technician token for the HTTPS diagnostics: it opens the booth to the network, so the technician PIN. */
  'diag.token': { args: none, pin: true },
  // `kiosk decommission`: the booth's end of service (app/services/decommission), technician only.
  'decommission.status': { args: none, pin: false },
  'decommission.begin': {
    args: z.strictObject({ noticeDays: z.number().int().min(0).max(90).optional() }),
    pin: true,
  },
  // `kiosk mail`: the outbox's messages still waiting or refused (no address shown), and a resend.
  'mail.list': { args: none, pin: false },
  'mail.resend': {
    args: z.strictObject({ message: z.string().uuid('must be a message id as `kiosk mail list` shows it') }),
    pin: true,
  },
} as const;

export type ControlCommand = keyof typeof controlCommands;
export type ControlArgs<C extends ControlCommand> = z.infer<(typeof controlCommands)[C]['args']>;

const commandNames = Object.keys(controlCommands) as [ControlCommand, ...ControlCommand[]];

/** The envelope; the args are checked against their command's own schema after it. */
const envelope = z.strictObject({
  id: z.union([z.string().max(64), z.number().int()]),
  command: z.string().max(64),
  args: z.unknown().optional(),
  // Digits only are PINs; the length bound keeps a pasted blob from the scrypt check.
  pin: z.string().max(32).optional(),
});

export interface ControlRequest {
  id: string | number;
  command: ControlCommand;
  args: unknown;
  pin?: string;
}

export type ControlResponse =
  | { id: string | number | null; ok: true; result: unknown }
  | { id: string | number | null; ok: false; error: { code: string; message: string } };

/**
 * Reads one request line. Throws ControlError('request-invalid') saying what is wrong; the id is
 * given back when it could be read, so the client can match the refusal to its request.
 */
export function parseRequest(
  line: string,
): { ok: true; request: ControlRequest } | { ok: false; id: string | number | null; error: ControlError } {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return {
      ok: false,
      id: null,
      error: new ControlError('request-invalid', 'the request is not a JSON object'),
    };
  }
  const parsed = envelope.safeParse(raw);
  if (!parsed.success) {
    const id = idOf(raw);
    return {
      ok: false,
      id,
      error: new ControlError('request-invalid', `bad request: ${issues(parsed.error)}`),
    };
  }
  const { id, command, args, pin } = parsed.data;
  if (!Object.hasOwn(controlCommands, command))
    return {
      ok: false,
      id,
      error: new ControlError(
        'request-invalid',
        `unknown command "${command}" (known: ${commandNames.join(', ')})`,
      ),
    };
  const spec = controlCommands[command as ControlCommand];
  const checked = spec.args.safeParse(args ?? {});
  if (!checked.success)
    return {
      ok: false,
      id,
      error: new ControlError('request-invalid', `bad arguments for ${command}: ${issues(checked.error)}`),
    };
  return { ok: true, request: { id, command: command as ControlCommand, args: checked.data, pin } };
}

function idOf(raw: unknown): string | number | null {
  if (typeof raw !== 'object' || raw === null || !('id' in raw)) return null;
  const id = (raw as { id: unknown }).id;
  return (typeof id === 'string' && id.length <= 64) || Number.isSafeInteger(id)
    ? (id as string | number)
    : null;
}

function issues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
}
