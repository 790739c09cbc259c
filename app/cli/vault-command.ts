import { SystemClock } from '../../core/clock.ts';
import { ConfigStore } from '../../config/store.ts';
import { dataPaths, ensureDataDir, resolveDataDir } from '../../config/data-dir.ts';
import { verifySecret } from '../../config/pin.ts';
import { ClockTrust } from '../services/vault/clock-trust.ts';
import { openPrivacy } from '../services/vault/open-vault.ts';
import { PhotoVault } from '../services/vault/photo-vault.ts';
import { vaultStatus } from '../services/vault/vault-status.ts';
import { createPhotoPrinter } from '../../hardware/printer/index.ts';
import type { CliIO } from './cli-io.ts';
import { DataDirLock } from '../host/data-dir-lock.ts';
import { UsageError } from './usage.ts';

const dayMs = 24 * 60 * 60 * 1000;

/** `kiosk vault status|wipe|delete|reprint|reset-key`: the operator's and technician's handle on personal data. */
export async function runVault(
  options: {
    dataDirFlag?: string;
    args: string[];
    json?: boolean;
    olderThan?: string;
    dryRun?: boolean;
    pin?: string;
  },
  io: CliIO,
): Promise<number> {
  const [sub, arg] = options.args;
  const dataDir = resolveDataDir({ flag: options.dataDirFlag, env: process.env });
  ensureDataDir(dataDir);
  const config = new ConfigStore({ file: dataPaths(dataDir).config }).load();
  // A command that changes the vault or prints takes the data directory as a booth would, and
  // so refuses while a booth runs on it (it never opens a second booth beside the first).
  const changes =
    sub === 'delete' || sub === 'reprint' || sub === 'reset-key' || (sub === 'wipe' && !options.dryRun);
  const lock = changes ? DataDirLock.acquire(dataDir, `kiosk vault ${sub}`) : null;
  const clock = new SystemClock();
  if (sub === 'reset-key') {
    // Before the vault opens: it refuses to open while its key is missing.
    try {
      requirePin(config.operator.pins, options.pin);
      const shredded = PhotoVault.resetKey({
        dir: dataPaths(dataDir).vault,
        clock,
        retentionDays: config.retention.days,
      });
      io.out(JSON.stringify({ resetKey: true, shredded }));
      return 0;
    } finally {
      lock?.release();
    }
  }
  let vault: ReturnType<typeof openPrivacy>['vault'];
  try {
    vault = openPrivacy({ dataDir, config, clock }).vault;
  } catch (error) {
    lock?.release();
    throw error;
  }
  const trust = ClockTrust.forConfig(vault.index, config.retention);
  try {
    switch (sub) {
      case 'status': {
        const status = vaultStatus(vault, config.retention.days, trust.check(clock.now()));
        if (options.json) io.out(JSON.stringify(status));
        else {
          io.out(
            `vault: ${status.sessions} sessions (${status.simulatedSessions} simulated), ${status.items} items, ${status.bytes} bytes`,
          );
          io.out(
            `oldest: ${status.oldest ?? '-'}   next wipe: ${status.nextWipe ?? '-'}   retention: ${status.retentionDays} days`,
          );
          io.out(`clock: ${status.clock.trusted ? 'trusted' : `not trusted (${status.clock.reason})`}`);
        }
        return 0;
      }
      case 'wipe': {
        const now = clock.now();
        let ids: string[];
        let reason: string;
        if (options.olderThan === undefined) {
          ids = vault.expiredSessions(now);
          reason = 'retention period over (operator run)';
        } else {
          if (!/^\d+(\.\d+)?$/.test(options.olderThan)) {
            throw new UsageError(`--older-than must be a number of days, not "${options.olderThan}"`);
          }
          const days = Number(options.olderThan);
          ids = vault.endedSessionsCreatedBy(now - days * dayMs);
          reason = `operator wipe of sessions older than ${days} days`;
        }
        // Deleting by age needs a clock that can be trusted, except for "everything" (0 days).
        const verdict = trust.check(now);
        if (!verdict.trusted && options.olderThan !== '0') {
          io.err(`kiosk vault wipe: not deleting by age: ${verdict.reason}`);
          return 1;
        }
        if (options.dryRun) {
          io.out(JSON.stringify({ dryRun: true, sessions: ids.length }));
          return 0;
        }
        io.out(JSON.stringify({ wiped: vault.wipe(ids, 'operator-wipe', reason) }));
        return 0;
      }
      case 'delete': {
        if (!arg) throw new UsageError('vault delete needs a RECEIPT-CODE');
        requirePin(config.operator.pins, options.pin);
        const sessionId = vault.sessionForReceipt(arg);
        if (!sessionId) {
          io.err('kiosk vault delete: no session with that receipt code (never stored, or already deleted)');
          return 1;
        }
        const done = vault.shred(sessionId, 'user-request-delete', 'deleted on the customer’s request');
        io.out(JSON.stringify({ deleted: done }));
        return 0;
      }
      case 'reprint': {
        if (!arg) throw new UsageError('vault reprint needs a RECEIPT-CODE');
        requirePin(config.operator.pins, options.pin);
        const sessionId = vault.sessionForReceipt(arg);
        if (!sessionId) {
          io.err('kiosk vault reprint: no session with that receipt code (never stored, or past retention)');
          return 1;
        }
        const sheets = await vault.list(sessionId, 'print-sheet');
        if (sheets.length === 0) {
          io.err('kiosk vault reprint: that session has no print sheet to reprint');
          return 1;
        }
        const printer = createPhotoPrinter(config.hardware.photoPrinter, {
          clock,
          seed: 1,
          media: config.production.media,
        });
        await printer.open();
        try {
          for (const id of sheets) {
            await printer.print({
              jobName: 'reprint',
              media: config.production.media,
              copies: 1,
              data: await vault.get(id),
            });
          }
        } finally {
          await printer.close();
        }
        vault.index.addAudit({
          at: clock.now(),
          action: 'reprint',
          sessions: 1,
          items: sheets.length,
          bytes: 0,
          reason: 'reprinted on the customer’s request',
        });
        io.out(JSON.stringify({ reprinted: sheets.length }));
        return 0;
      }
      default:
        throw new UsageError(
          sub ? `unknown vault command "${sub}"` : 'vault needs status, wipe, delete, reprint or reset-key',
        );
    }
  } finally {
    vault.close();
    lock?.release();
  }
}

/**
 * Acting on one customer's data needs an operator or technician PIN once one is set (both roles
 * may answer a customer's request at the booth; with none set there is nothing to ask for).
 */
function requirePin(
  pins: { operator: string | null; technician: string | null },
  pin: string | undefined,
): void {
  const hashes = [pins.operator, pins.technician].filter((h): h is string => h !== null);
  if (hashes.length === 0) return;
  const given = pin ?? process.env.KIOSK_OPERATOR_PIN;
  if (!given || !hashes.some((hash) => verifySecret(given, hash))) {
    throw new Error('operator PIN required (--pin or KIOSK_OPERATOR_PIN) and it did not match');
  }
}
