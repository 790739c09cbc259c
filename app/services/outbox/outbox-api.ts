/**
 * The digital copy and "contact us" outbox, and the booth's end of service: the API the screens
 * and the session flow call (issue 18). Types only; the services are in outbox.ts,
 * pickup-url.ts and app/services/decommission/decommission.ts. See outbox.ts's header for how
 * to call them.
 */

/** The fixed reasons a customer may pick for a contact request (the screen's list, in order). */
export const contactReasons = ['money', 'print-quality', 'photo-refused', 'other'] as const;
export type ContactReason = (typeof contactReasons)[number];

/** What a record in the outbox is. */
export type OutboxKind = 'digital-copy' | 'contact';

/**
 * One message as the operator's owed-work list shows it: never the address, never the receipt
 * code, never the session id (the record id is random and says nothing about who asked).
 */
export interface OutboxRow {
  id: string;
  kind: OutboxKind;
  /** `waiting`: will be tried again (offline, 4xx); `failed`: the server refused it for good (5xx). */
  state: 'waiting' | 'failed';
  /** When the customer asked (epoch ms). */
  since: number;
  /** When it is shredded unsent if not delivered by then (epoch ms). */
  expires: number;
  attempts: number;
  /** The next try (epoch ms), null for `failed` (only `resend` tries again). */
  nextAttempt: number | null;
  /** What went wrong last, without any address: e.g. `550 mailbox unavailable`, `ECONNREFUSED`. */
  lastError: string | null;
}

/** Counters since the booth's first start (kept in the vault index, no personal data). */
export interface OutboxCounts {
  /** Accepted by the SMTP server (and then shredded). */
  sent: number;
  /** Refused for good by the server (5xx): each is on the owed-work list until resent or expired. */
  failed: number;
  /** Lifetime ran out before the server took it: shredded unsent. */
  expired: number;
  /** Waiting in the outbox now (waiting + failed). */
  pending: number;
}

/** What the screens show next to the "Contact us" form, from the `mail` config. */
export interface ContactInfo {
  /** The operator's address (or `unit.contact` when no mail is configured), null when neither. */
  operatorContact: string | null;
  /** The promised reply time in working days (config `mail.replyWorkingDays`). */
  replyWorkingDays: number;
  /** Whether the booth can send mail at all (a `mail` block is configured). */
  canSend: boolean;
}

/** What the booth shows while it is being decommissioned (app/services/decommission). */
export interface EndOfServiceView {
  /**
   * `in-service`: nothing going on. `closing`: the notice period: the booth still serves and
   * shows "this booth is closing on <closesAt>". `closed`: past the notice: the booth takes no
   * money and shows "this booth has closed" while owed work is settled and the vault destroyed.
   * `decommissioned`: done; the booth stays closed (it never opens a new vault).
   */
  phase: 'in-service' | 'closing' | 'closed' | 'decommissioned';
  /** Epoch ms the booth stops serving (null in service). */
  closesAt: number | null;
  /** false from `closed` on: the session flow must not start a paid session. */
  takesMoney: boolean;
  /** The step reached (for the operator screen and `kiosk decommission --status`). */
  step: DecommissionStep | null;
}

export type DecommissionStep =
  'notice' | 'money-stopped' | 'owed-settled' | 'outbox-flushed' | 'vault-destroyed' | 'done';
