import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../../../config/durable-file.ts';
import type { DecommissionStep, EndOfServiceView } from '../outbox/outbox-api.ts';

/** The steps in the order they are done; the state file names the last one finished. */
export const decommissionSteps: readonly DecommissionStep[] = [
  'notice',
  'money-stopped',
  'owed-settled',
  'outbox-flushed',
  'vault-destroyed',
  'done',
];

/** The counts the final audit line gives (nothing personal), gathered step by step. */
export interface DecommissionCounts {
  owedDelivered: number;
  owedRefunded: number;
  /** Minor units handed back for owed prints: coins paid out, and the part on vouchers. */
  refundedPaidOut: number;
  refundedOnVouchers: number;
  mailsSent: number;
  /** Messages that could not be sent before the vault went: shredded with it. */
  mailsShredded: number;
  sessions: number;
  items: number;
  records: number;
}

const countsSchema = z.strictObject({
  owedDelivered: z.number().int().min(0),
  owedRefunded: z.number().int().min(0),
  refundedPaidOut: z.number().int().min(0),
  refundedOnVouchers: z.number().int().min(0),
  mailsSent: z.number().int().min(0),
  mailsShredded: z.number().int().min(0),
  sessions: z.number().int().min(0),
  items: z.number().int().min(0),
  records: z.number().int().min(0),
});

const stateSchema = z.strictObject({
  /** The last step finished. */
  step: z.enum(decommissionSteps as [DecommissionStep, ...DecommissionStep[]]),
  begunAt: z.number().int(),
  closesAt: z.number().int(),
  /** Set just before the vault is destroyed: from then on the booth must not open it. */
  destroying: z.boolean().default(false),
  counts: countsSchema,
  finishedAt: z.number().int().nullable().default(null),
});

export type DecommissionState = z.infer<typeof stateSchema>;

/** `<data dir>/decommission.json`: outside the vault, so it outlives it. */
export function decommissionFile(dataDir: string): string {
  return join(dataDir, 'decommission.json');
}

export function readDecommissionState(file: string): DecommissionState | null {
  if (!existsSync(file)) return null;
  return stateSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
}

/** Written whole or not at all, synced: the step reached survives a power cut. */
export function writeDecommissionState(file: string, state: DecommissionState): void {
  writeFileAtomic(file, `${JSON.stringify(state, null, 2)}\n`, 0o600);
}

export function zeroCounts(): DecommissionCounts {
  return {
    owedDelivered: 0,
    owedRefunded: 0,
    refundedPaidOut: 0,
    refundedOnVouchers: 0,
    mailsSent: 0,
    mailsShredded: 0,
    sessions: 0,
    items: 0,
    records: 0,
  };
}

/** What the screens show, read from the state file alone (a booth starting up reads it first). */
export function endOfServiceView(state: DecommissionState | null, now: number): EndOfServiceView {
  if (!state) return { phase: 'in-service', closesAt: null, takesMoney: true, step: null };
  if (state.step === 'done')
    return { phase: 'decommissioned', closesAt: state.closesAt, takesMoney: false, step: 'done' };
  if (state.step === 'notice' && now < state.closesAt)
    return { phase: 'closing', closesAt: state.closesAt, takesMoney: true, step: 'notice' };
  return { phase: 'closed', closesAt: state.closesAt, takesMoney: false, step: state.step };
}

/**
 * Whether the booth may open its vault on start-up: not once its destruction has begun (the key
 * may be gone already, and `Decommission.resume()` finishes the job without it).
 */
export function vaultMayOpen(dataDir: string): boolean {
  const state = readDecommissionState(decommissionFile(dataDir));
  return !state || (!state.destroying && state.step !== 'vault-destroyed' && state.step !== 'done');
}
