import type { ClockVerdict } from './clock-trust.ts';
import type { PhotoVault } from './photo-vault.ts';

export interface VaultStatus {
  sessions: number;
  simulatedSessions: number;
  items: number;
  bytes: number;
  /** ISO times; null when the vault is empty. */
  oldest: string | null;
  nextWipe: string | null;
  retentionDays: number;
  clock: ClockVerdict;
  lastAudit: { at: string; action: string; sessions: number; reason: string } | null;
}

/** What a technician needs to see of the vault: counts and times, never a session's content. */
export function vaultStatus(vault: PhotoVault, retentionDays: number, clock: ClockVerdict): VaultStatus {
  const s = vault.index.stats();
  const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
  const last = vault.index.audit(1)[0];
  return {
    sessions: s.sessions,
    simulatedSessions: s.simulated,
    items: s.items,
    bytes: s.bytes,
    oldest: iso(s.oldest),
    nextWipe: iso(s.nextExpiry),
    retentionDays,
    clock,
    lastAudit: last
      ? {
          at: new Date(last.at).toISOString(),
          action: last.action,
          sessions: last.sessions,
          reason: last.reason,
        }
      : null,
  };
}
