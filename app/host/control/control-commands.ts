import type { OperatorRole } from '../../../config/schema.ts';
import type { Logger } from '../../logging/logger.ts';
import type { BoothHost } from '../booth-host.ts';
import { CashBook } from '../../operator/cash-book.ts';
import { OperatorError } from '../../operator/operator-error.ts';
import type { OperatorConfigSource } from '../../operator/operator-access.ts';
import { OwedDesk } from '../../operator/owed-desk.ts';
import type { OperatorServices } from '../../../flows/operator/services.ts';
import { boothStatus } from './booth-status.ts';
import type { DiagnosticsControl } from '../../diagnostics/diagnostics-control.ts';
import type { Decommission } from '../../services/decommission/decommission.ts';
import type { Outbox } from '../../services/outbox/outbox.ts';
import {
  ControlError,
  controlCommands,
  type ControlArgs,
  type ControlCommand,
  type ControlRequest,
} from './control-protocol.ts';

export interface ControlContext {
  host: BoothHost;
  /** The unit's config file: what a price was before it changed. */
  configStore: OperatorConfigSource;
  logger: Logger;
  /** When the booth started serving (for the uptime). */
  startedAt: number;
  /** The booth's diagnostics (`kiosk diag`); absent, the `diag.*` commands are refused. */
  diagnostics?: DiagnosticsControl;
  /** The booth's end of service (`kiosk decommission`); absent, its commands are refused. */
  decommission?: Decommission;
}

/**
 * What each control command does on the running booth. Everything goes through the parts the
 * booth's own screen uses (its OperatorDesk, the cash book over its journal, its owed print
 * queue and MoneyBack), so the CLI and the screen cannot drift apart, and the PIN is checked by
 * the same pad: the same lock after wrong PINs, the same audit.
 */
export function controlCommandsFor(context: ControlContext) {
  const { host, configStore, logger } = context;
  const access = () => {
    const a = host.operatorAccess;
    if (!a) throw new OperatorError('operator-unavailable', 'this booth has no operator services');
    return a;
  };
  const desk = (): OperatorServices => {
    const d = host.booth.operator;
    if (!d) throw new OperatorError('operator-unavailable', 'this booth has no operator services');
    return d;
  };
  const diag = (): DiagnosticsControl => {
    if (!context.diagnostics)
      throw new ControlError('diagnostics-unavailable', 'this booth runs without diagnostics');
    return context.diagnostics;
  };
  const outbox = (): Outbox => {
    if (!host.outbox) throw new OperatorError('operator-unavailable', 'this booth has no outbox');
    return host.outbox;
  };
  const endOfService = (): Decommission => {
    if (!context.decommission)
      throw new OperatorError('operator-unavailable', 'this booth has no end-of-service service');
    return context.decommission;
  };
  const cashBook = () => new CashBook({ journal: host.journal, config: { current: () => host.config } });
  // Money moves only with nobody in a session: out of service, waiting, or operator mode.
  const noCustomer = () => {
    const view = host.booth.view();
    return view.betweenCustomers || view.operator !== null;
  };
  const requireNoCustomer = (what: string) => {
    if (!noCustomer())
      throw new OperatorError('customer-at-booth', `a customer is at the booth: ${what} between customers`);
  };
  const owed = new OwedDesk({
    journal: host.journal,
    audit: (entry) => access().audit(entry),
    betweenCustomers: noCustomer,
    deliverNow: async () => (await host.booth.deliverOwedPrintsNow()) ?? null,
    handBack: (input) => host.booth.handBack(input),
  });

  const handlers: {
    [C in ControlCommand]: (args: ControlArgs<C>, role: OperatorRole | null) => Promise<unknown> | unknown;
  } = {
    status: () =>
      boothStatus(
        host,
        cashBook().report(),
        context.startedAt,
        host.clock.now(),
        context.diagnostics?.status() ?? null,
      ),
    'cash.report': () => ({
      ...cashBook().report(),
      vouchersOutstanding: host.journal.totals().vouchersOutstanding,
    }),
    'cash.empty': async ({ counted }, role) => {
      requireNoCustomer('empty the cash box');
      const { currency } = configStore.current();
      // The screen's own path: the Z-report kept in the journal, then printed on the receipt printer.
      return { ...(await desk().emptyCashBox({ counted, role: role! })), currency };
    },
    'media.loaded': ({ prints }, role) => desk().mediaLoaded({ prints, role: role! }),
    'price.set': async ({ product, amount }, role) => {
      const { products, currency } = configStore.current();
      const before = products.find((p) => p.id === product)?.price;
      // Read before the change: the host may be rebuilding the booth for it once setPrice returns.
      const applies = noCustomer() ? 'now' : 'after the customer at the booth';
      // The prices page's own path (PriceBook: the config file, the audit, applied between customers).
      const after = await desk().setPrice({ productId: product, price: amount, role: role! });
      return { product, before, after: after.find((p) => p.id === product)?.price, currency, applies };
    },
    'diag.health': () => diag().health(),
    'diag.metrics': async () => ({ text: await diag().metrics() }),
    'diag.logs': (args) => diag().logs(args),
    'diag.bundle': () => diag().bundle(),
    'diag.token': (_, role) => diag().token(role!),
    'decommission.status': () => endOfService().view(),
    // The Decommission service refuses any role but the technician's (the PIN was checked on the pad).
    'decommission.begin': ({ noticeDays }, role) => endOfService().begin({ role: role!, noticeDays }),
    'mail.list': () => ({ messages: outbox().list(), counts: outbox().counts() }),
    'mail.resend': async ({ message }, role) => {
      const result = await outbox().resend({ id: message });
      access().audit({
        role: role!,
        action: 'mail-resent',
        subject: message,
        after: result.sent ? 'sent' : 'waiting',
      });
      return result;
    },
    'owed.list': () => owed.list(),
    'owed.retry': ({ order }, role) => owed.retry({ orderId: order, role: role! }),
    'owed.give-up': async ({ order, as }, role) => {
      const back = await owed.giveUp({ orderId: order, as, role: role! });
      logger.info(
        { role, as, price: back.price, paidOut: back.paidOut, voucher: back.voucher?.amount ?? 0 },
        'operator: owed print given up',
      );
      return {
        orderId: order,
        currency: configStore.current().currency,
        price: back.price,
        paidOut: back.paidOut,
        voucher: back.voucher
          ? {
              amount: back.voucher.amount,
              printed: back.voucher.printed,
              expiresAt: back.voucher.expiresAt,
              // Only when no slip came out: the operator must then write it down for the
              // customer, or the money is lost. A printed slip's code stays on the slip.
              ...(back.voucher.printed ? {} : { code: back.voucher.code }),
            }
          : null,
      };
    },
  };

  return {
    /** Whether a request changes something (it then waits its turn behind the others). */
    changes: (request: ControlRequest) => controlCommands[request.command].pin,
    handle: async (request: ControlRequest): Promise<unknown> => {
      await betweenBooths();
      const role = controlCommands[request.command].pin ? await signIn(request) : null;
      const handler = handlers[request.command] as (args: unknown, role: OperatorRole | null) => unknown;
      return handler(request.args, role);
    },
  };

  /**
   * While the host swaps the booth for a new config (a moment, between customers) there is no
   * booth to ask: wait for the next one rather than refuse a `kiosk status` sent just then.
   */
  async function betweenBooths(): Promise<void> {
    try {
      void host.booth;
      return;
    } catch {
      // Being rebuilt: the next booth comes with onBooth.
    }
    await new Promise<void>((resolve, reject) => {
      let off = (): void => {};
      const timer = setTimeout(() => {
        off();
        reject(new Error('the booth is restarting for a new config: try again in a moment'));
      }, 15_000);
      off = host.onBooth(() => {
        clearTimeout(timer);
        queueMicrotask(() => off());
        resolve();
      });
    });
  }

  async function signIn(request: ControlRequest): Promise<OperatorRole> {
    if (request.pin === undefined || request.pin === '')
      throw new ControlError(
        'pin-required',
        `${request.command} needs the operator PIN (--pin-stdin, or KIOSK_PIN in the environment)`,
      );
    // The screen's own pad: a wrong PIN here counts toward the same lock, and is audited alike.
    const verdict = await desk().checkPin({ pin: request.pin });
    if (!verdict.ok)
      throw new ControlError(
        'pin-refused',
        verdict.lockedUntil !== null
          ? `the PIN pad is locked after wrong PINs until ${new Date(verdict.lockedUntil).toISOString()}`
          : `wrong PIN (${verdict.attemptsLeft} tries left before the pad locks)`,
      );
    if (verdict.mustChangePin)
      throw new ControlError(
        'pin-refused',
        "the demo PIN must be changed first (on the booth's screen, or kiosk config set-pin and a reload)",
      );
    return verdict.role;
  }
}
