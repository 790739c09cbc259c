import type { BoothConfig } from '../../../config/schema.ts';
import type { Clock } from '../../../core/clock.ts';
import type { Logger } from '../../logging/logger.ts';
import type { CreditJournal } from '../../money/credit-journal.ts';
import { OperatorAccess } from '../../operator/operator-access.ts';
import { OwedDesk, type HandedBack, type OwedQueueRun } from '../../operator/owed-desk.ts';
import { Outbox } from '../outbox/outbox.ts';
import type { PhotoVault } from '../vault/photo-vault.ts';
import { Decommission, finishDestruction } from './decommission.ts';
import { decommissionFile, vaultMayOpen, type DecommissionState } from './decommission-state.ts';

/**
 * The end of service as the running booth holds it, built from the parts the host already has
 * (one call for the host; the control channel and the operator screen then use it). `vault` is
 * null when the booth starts with its vault's destruction under way (`vaultMayOpen(dataDir)`
 * false): then there is no outbox, and `decommission.resume()` finishes the job without a vault.
 *
 * `outbox` is the booth's own (the one the session flow queues digital copies in), or a new one
 * on `vault` when not given: never two on one vault, which would send every message twice.
 */
export function openEndOfService(parts: {
  dataDir: string;
  vaultDir: string;
  config: () => BoothConfig;
  clock: Clock;
  logger: Logger;
  vault: PhotoVault | null;
  outbox?: Outbox | null;
  journal: CreditJournal;
  access: OperatorAccess;
  betweenCustomers: () => boolean;
  /** The booth's own owed print queue (Booth.deliverOwedPrintsNow). */
  deliverOwedNow: () => Promise<OwedQueueRun | null>;
  /** The booth's MoneyBack (Booth.handBack). */
  handBack: (input: {
    sessionId: string;
    amount: number;
    as: 'refund' | 'voucher';
    reason: string;
  }) => Promise<HandedBack>;
  /** Told after each step is written (the host may log it). */
  onStep?: (step: DecommissionState['step']) => void;
}): { outbox: Outbox | null; decommission: Decommission } {
  const { vault, logger } = parts;
  const outbox =
    parts.outbox !== undefined
      ? parts.outbox
      : vault
        ? new Outbox({ vault, config: parts.config, clock: parts.clock, logger })
        : null;
  const owed = new OwedDesk({
    journal: parts.journal,
    audit: (entry) => parts.access.audit(entry),
    betweenCustomers: parts.betweenCustomers,
    deliverNow: parts.deliverOwedNow,
    handBack: parts.handBack,
  });
  let vaultOpen = vault !== null;
  const decommission = new Decommission({
    stateFile: decommissionFile(parts.dataDir),
    vaultDir: parts.vaultDir,
    clock: parts.clock,
    logger,
    noticeDays: () => parts.config().endOfService.noticeDays,
    checkPin: (pin) => parts.access.check(pin),
    audit: (entry) => parts.access.audit(entry),
    betweenCustomers: parts.betweenCustomers,
    owed,
    deliverOwedNow: parts.deliverOwedNow,
    flushOutbox: async () => (outbox ? outbox.flush() : { sent: 0, unsent: 0 }),
    closeVault: () => {
      if (!vaultOpen) return;
      vaultOpen = false;
      // The flush is over: stop() only clears its timer and closes the SMTP connection.
      outbox?.stop().catch(() => undefined);
      vault!.close();
    },
    onStep: parts.onStep,
  });
  return { outbox, decommission };
}

/**
 * At start-up, before the vault is opened: when a power cut came while the vault was being
 * destroyed (`vaultMayOpen(dataDir)` false), finishes the destruction and writes the final audit
 * line. The vault then stays closed for good (opening it throws `vault-destroyed`).
 */
export function finishDecommissionAtStart(parts: {
  dataDir: string;
  vaultDir: string;
  operatorAccessFile: string;
  config: BoothConfig;
  clock: Clock;
  logger: Logger;
}): void {
  if (vaultMayOpen(parts.dataDir)) return;
  const access = OperatorAccess.open({
    file: parts.operatorAccessFile,
    clock: parts.clock,
    config: { current: () => parts.config, update: () => parts.config },
  });
  try {
    finishDestruction({
      stateFile: decommissionFile(parts.dataDir),
      vaultDir: parts.vaultDir,
      clock: parts.clock,
      logger: parts.logger,
      audit: (entry) => access.audit(entry),
    });
  } finally {
    access.close();
  }
}
