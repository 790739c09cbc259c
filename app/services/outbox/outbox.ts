/**
 * The outbox: the digital copy a customer paid for, and "contact us" requests, sent by email and
 * forgotten once sent (issue 18).
 *
 * ## The API the screens and the session flow call
 *
 * Built once per booth, beside the vault: `host.outbox` (BoothHost; null in a simulation).
 * Hand it to the session services; never build a second one on the same vault (it would send
 * every message twice).
 *
 * - `isEmailAddress(text): boolean` (email-address.ts): the shape check the keyboard screen uses
 *   before it offers "Send"; the outbox checks again and throws `OutboxError('address-invalid')`.
 * - `outbox.requestDigitalCopy({ sessionId, address, language, productId, documentId })`
 *   → `{ id }`. Call once the session's digital file is in the vault (purpose `digital-file`)
 *   and the customer confirmed the address. A session ended with `wipe` while its copy waits is
 *   kept until the copy is sent (or its lifetime ends), then wiped. Seals `{address, language, product, document}`
 *   with a random record key wrapped by the session's data key; the JPEG stays the vault's own
 *   item and is read at sending time. Returns at once: sending happens in the background.
 *   Throws `address-invalid`, `no-digital-file` (the session has no digital file yet),
 *   `mail-not-configured`, or a VaultError (`no-session`, `disk-full`).
 * - `outbox.requestContact({ address, reason, receiptCode, language })` → `{ id }`. `reason` is
 *   one of `contactReasons` (outbox-api.ts). The record key is wrapped by the master key, not a
 *   session's, so a session wiped at its end does not take the request with it. Goes to
 *   `mail.operatorAddress`, with the customer's address as Reply-To.
 * - `outbox.contactInfo(): ContactInfo`: the operator's contact and promised reply time, for the
 *   contact form and the thank-you / error screens.
 * - Thank-you line: `outbox.pendingFor(sessionId): { kind, id }[]` says a copy is on its way;
 *   the screen says "sent to the address you typed" (it never shows the address again).
 * - Operator owed-work list: `outbox.list(): OutboxRow[]` (no address, no receipt code),
 *   `outbox.resend({ id })` → `{ sent, row }` (tries a `failed` or `waiting` one now; audit it
 *   with the role, as `kiosk mail resend` does), `outbox.resendForReceipt({ receiptCode,
 *   address, language })` → `{ id }` (staff type the
 *   customer's receipt code and a corrected address: a new digital-copy request for that
 *   session, while the vault keeps it), `outbox.counts(): OutboxCounts`.
 * - `outbox.start()` / `await outbox.stop()`: the background sender (a timer on the booth's
 *   clock; BoothHost starts and stops it); `await outbox.sendDue()` runs one pass now;
 *   `await outbox.flush()` tries everything once more (the end of service).
 *
 * QR code (pickup-url.ts): `pickupCode({ template, token? })` → `{ url, token, svg, png }` or
 * null when the operator configured no `mail.pickupUrlTemplate`; the token is 128 random bits,
 * never derived from the receipt code.
 *
 * End of service (app/services/decommission/decommission.ts), `host.decommission` once the
 * booth started: `decommission.view(): EndOfServiceView` (phase `closing` with `closesAt`: show
 * the notice; `takesMoney` false from `closed` on: start no paid session), `decommission.begin({
 * role: 'technician' })` from the operator screen (its pad checked the PIN) or `{ pin }`
 * (the control channel), optional `noticeDays`; the host resumes it at start-up.
 *
 * ## What is kept, and for how long
 *
 * The address is sealed in the vault (AES-256-GCM, its own record key), never logged and never
 * in the index in clear. As soon as the server accepts the message the record key is destroyed
 * and the row removed (secure_delete, the WAL checkpointed), audited without the address. While
 * offline the sender tries again with exponential backoff up to `mail.lifetimeHours` (at most
 * the retention); then the record is shredded unsent and counted. A 5xx is a permanent refusal:
 * the record waits on the operator's list (counted) until resent or its lifetime ends.
 */
import type { Logger } from '../../logging/logger.ts';
import type { Clock, TimerHandle } from '../../../core/clock.ts';
import { errorCode } from '../../../core/errors.ts';
import { parseReceiptCode } from '../../../core/receipt-code.ts';
import type { BoothConfig, MailConfig } from '../../../config/schema.ts';
import type { PhotoVault } from '../vault/photo-vault.ts';
import type { SealedRecordKind } from '../vault/sealed-records.ts';
import {
  contactReasons,
  type ContactInfo,
  type ContactReason,
  type OutboxCounts,
  type OutboxRow,
} from './outbox-api.ts';
import { isEmailAddress } from './email-address.ts';
import { messageFor, type ContactRecord, type DigitalCopyRecord } from './outbox-message.ts';
import { OutboxError } from './outbox-error.ts';
import { OutboxQueue } from './outbox-queue.ts';
import { sendFailure, smtpTransport, type MailTransport } from './smtp-transport.ts';

export type {
  ContactInfo,
  ContactReason,
  EndOfServiceView,
  OutboxCounts,
  OutboxKind,
  OutboxRow,
} from './outbox-api.ts';
export { contactReasons } from './outbox-api.ts';
export { isEmailAddress } from './email-address.ts';

const hourMs = 60 * 60 * 1000;
const dayMs = 24 * hourMs;
/** While messages wait, the sender looks again at least this often (a clock stepped forward). */
const idlePollMs = 5 * 60_000;

export interface OutboxOptions {
  vault: PhotoVault;
  /** The unit's config now (a reload changes mail, retention, names): read at every use. */
  config: () => BoothConfig;
  clock: Clock;
  logger: Logger;
  /** The SMTP transport for a mail config; nodemailer's in the booth. */
  transport?: (mail: MailConfig) => MailTransport;
}

/** What one pass of the sender did (counts only). */
export interface SendRun {
  sent: number;
  retrying: number;
  failed: number;
  expired: number;
  /** The random ids of the messages sent (nothing personal). */
  sentIds: string[];
}

export class Outbox {
  readonly #o: OutboxOptions;
  readonly #queue: OutboxQueue;
  readonly #transportFor: (mail: MailConfig) => MailTransport;
  #transport: { mail: MailConfig; transport: MailTransport } | null = null;
  #timer: TimerHandle | null = null;
  #running: Promise<SendRun> | null = null;
  #started = false;

  constructor(options: OutboxOptions) {
    this.#o = options;
    this.#queue = new OutboxQueue(options.vault.index.db);
    this.#transportFor = options.transport ?? smtpTransport;
  }

  /** A digital copy of the session's digital file to `address` (see the header). */
  async requestDigitalCopy(input: {
    sessionId: string;
    address: string;
    language: string;
    productId: string;
    documentId: string;
  }): Promise<{ id: string }> {
    const mail = this.#mail();
    const address = checkedAddress(input.address);
    const { vault } = this.#o;
    const files = await vault.list(input.sessionId, 'digital-file');
    const itemId = files.at(-1);
    if (!itemId)
      throw new OutboxError('no-digital-file', `session ${input.sessionId} has no digital file in the vault`);
    const session = vault.index.session(input.sessionId)!;
    const record: DigitalCopyRecord = {
      address,
      language: input.language,
      productId: input.productId,
      documentId: input.documentId,
      itemId,
    };
    const id = this.#seal(
      'digital-copy',
      input.sessionId,
      record,
      Math.min(this.#expiry(mail), session.expires),
    );
    // What was ordered (nothing personal), so staff can resend with the receipt code later.
    vault.index.setSessionNote(
      input.sessionId,
      'digital-copy',
      JSON.stringify({ productId: input.productId, documentId: input.documentId }),
    );
    this.#o.logger.info({ event: 'outbox-queued', kind: 'digital-copy', message: id }, 'digital copy queued');
    this.#wake();
    return { id };
  }

  /** A "contact us" request to the operator's address (see the header). */
  async requestContact(input: {
    address: string;
    reason: ContactReason;
    receiptCode: string | null;
    language: string;
  }): Promise<{ id: string }> {
    const mail = this.#mail();
    const address = checkedAddress(input.address);
    if (!contactReasons.includes(input.reason))
      throw new OutboxError(
        'reason-invalid',
        `"${String(input.reason)}" is not one of ${contactReasons.join(', ')}`,
      );
    const receiptCode = input.receiptCode ? parseReceiptCode(input.receiptCode) : null;
    const record: ContactRecord = { address, language: input.language, reason: input.reason, receiptCode };
    const id = this.#seal('contact', null, record, this.#expiry(mail));
    this.#o.logger.info({ event: 'outbox-queued', kind: 'contact', message: id }, 'contact request queued');
    this.#wake();
    return { id };
  }

  contactInfo(): ContactInfo {
    const config = this.#o.config();
    return {
      operatorContact: config.mail?.operatorAddress ?? config.unit.contact,
      replyWorkingDays: config.mail?.replyWorkingDays ?? 10,
      canSend: config.mail !== null,
    };
  }

  /** What of this session is still on its way (the thank-you screen's line). */
  pendingFor(sessionId: string): { id: string; kind: SealedRecordKind }[] {
    return this.#o.vault.records
      .list()
      .filter((r) => r.session_id === sessionId && this.#queue.row(r.id))
      .map((r) => ({ id: r.id, kind: r.kind }));
  }

  /** The operator's owed-work list: no address, no receipt code, no session. */
  list(): OutboxRow[] {
    const records = new Map(this.#o.vault.records.list().map((r) => [r.id, r]));
    return this.#queue.all().flatMap((q) => {
      const r = records.get(q.id);
      if (!r) return [];
      return [
        {
          id: q.id,
          kind: r.kind,
          state: q.state,
          since: r.created,
          expires: r.expires,
          attempts: q.attempts,
          nextAttempt: q.state === 'waiting' ? q.next_attempt : null,
          lastError: q.last_error,
        },
      ];
    });
  }

  counts(): OutboxCounts {
    return this.#queue.counts();
  }

  /** Staff's "send again": tries the message now; says whether the server took it. */
  async resend(input: { id: string }): Promise<{ sent: boolean; row: OutboxRow | null }> {
    if (!this.#queue.requeue(input.id, this.#o.clock.now()))
      throw new OutboxError(
        'message-not-found',
        `message ${input.id} is not in the outbox (sent, shredded or never there)`,
      );
    let run = await this.sendDue();
    // A pass already under way chose its messages before this one was put back in line.
    if (!run.sentIds.includes(input.id) && this.#queue.row(input.id)?.next_attempt === this.#o.clock.now())
      run = await this.sendDue();
    return {
      sent: run.sentIds.includes(input.id),
      row: this.list().find((r) => r.id === input.id) ?? null,
    };
  }

  /**
   * Staff type the customer's receipt code and the address (again, or corrected): a new
   * digital copy of that session's file, while the vault still keeps it.
   */
  async resendForReceipt(input: {
    receiptCode: string;
    address: string;
    language: string;
  }): Promise<{ id: string }> {
    const sessionId = this.#o.vault.sessionForReceipt(input.receiptCode);
    const note = sessionId && this.#o.vault.index.sessionNote(sessionId, 'digital-copy');
    if (!sessionId || !note)
      throw new OutboxError(
        'no-digital-file',
        'no digital copy is kept for that receipt code (none bought, or past retention)',
      );
    const { productId, documentId } = JSON.parse(note) as { productId: string; documentId: string };
    return this.requestDigitalCopy({
      sessionId,
      address: input.address,
      language: input.language,
      productId,
      documentId,
    });
  }

  /**
   * Every waiting or refused message tried once more, now (the end of service, before the vault
   * goes): says how many went and how many are left (to be shredded with the vault).
   */
  async flush(): Promise<{ sent: number; unsent: number }> {
    const now = this.#o.clock.now();
    for (const row of this.#queue.all()) this.#queue.requeue(row.id, now);
    await this.#running?.catch(() => undefined);
    const run = await this.sendDue();
    return { sent: run.sent, unsent: this.#queue.counts().pending };
  }

  /** Starts the background sender on the booth's clock. */
  start(): void {
    this.#started = true;
    this.#schedule(0);
  }

  async stop(): Promise<void> {
    this.#started = false;
    if (this.#timer) this.#o.clock.clearTimeout(this.#timer);
    this.#timer = null;
    await this.#running?.catch(() => undefined);
    this.#transport?.transport.close();
    this.#transport = null;
  }

  /** One pass: shreds what outlived its lifetime, then tries every message that is due. */
  sendDue(): Promise<SendRun> {
    this.#running ??= this.#pass().finally(() => {
      this.#running = null;
      if (this.#started) this.#scheduleNext();
    });
    return this.#running;
  }

  async #pass(): Promise<SendRun> {
    const run: SendRun = { sent: 0, retrying: 0, failed: 0, expired: 0, sentIds: [] };
    const { vault, clock, logger } = this.#o;
    const now = clock.now();
    for (const record of vault.records.list()) {
      if (record.expires > now || !this.#queue.row(record.id)) continue;
      vault.records.shred(
        record.id,
        'outbox-expired',
        `a ${record.kind} message outlived its lifetime unsent`,
      );
      this.#queue.count('expired');
      if (record.session_id) vault.wipeIfMessagesDone(record.session_id);
      run.expired++;
      logger.warn(
        { event: 'outbox-expired', kind: record.kind, message: record.id },
        'message shredded unsent: lifetime over',
      );
    }
    const config = this.#o.config();
    if (!config.mail) return run;
    for (const row of this.#queue.due(clock.now())) {
      const record = vault.records.get(row.id);
      if (!record) continue;
      try {
        await clock.track(this.#send(config, config.mail, record.id, record.kind));
      } catch (error) {
        const failure =
          error instanceof OutboxError ? { permanent: true, summary: error.code } : sendFailure(error);
        if (failure.permanent) {
          this.#queue.fail(row.id, failure.summary);
          run.failed++;
          logger.error(
            { event: 'outbox-failed', kind: record.kind, message: row.id, code: failure.summary },
            'the mail server refused the message for good: on the owed-work list',
          );
        } else {
          const delay = Math.min(
            config.mail.maxRetryDelayMs,
            config.mail.firstRetryDelayMs * 2 ** Math.min(row.attempts, 30),
          );
          this.#queue.retryLater(row.id, clock.now() + delay, failure.summary);
          run.retrying++;
          logger.warn(
            { event: 'outbox-retry', kind: record.kind, message: row.id, code: failure.summary, inMs: delay },
            'message not sent: will try again',
          );
        }
        continue;
      }
      // Accepted: the address and the message are shredded at once.
      vault.records.shred(row.id, 'outbox-sent', `a ${record.kind} message was accepted by the mail server`);
      if (record.session_id) vault.wipeIfMessagesDone(record.session_id);
      this.#queue.count('sent');
      run.sent++;
      run.sentIds.push(row.id);
      logger.info(
        { event: 'outbox-sent', kind: record.kind, message: row.id, attempts: row.attempts + 1 },
        'message sent; address shredded',
      );
    }
    return run;
  }

  async #send(config: BoothConfig, mail: MailConfig, id: string, kind: SealedRecordKind): Promise<void> {
    const sealed = this.#o.vault.records.open(id);
    let message;
    try {
      message = await messageFor({ config, mail, kind, sealed, vault: this.#o.vault });
    } finally {
      sealed.fill(0);
    }
    await this.#transportOf(mail).send(message);
  }

  #transportOf(mail: MailConfig): MailTransport {
    if (this.#transport?.mail !== mail) {
      this.#transport?.transport.close();
      this.#transport = { mail, transport: this.#transportFor(mail) };
    }
    return this.#transport.transport;
  }

  #seal(kind: SealedRecordKind, sessionId: string | null, record: object, expires: number): string {
    const data = Buffer.from(JSON.stringify(record));
    try {
      const id = this.#o.vault.records.seal({ sessionId, kind, data, expires });
      this.#queue.add(id, this.#o.clock.now());
      return id;
    } finally {
      data.fill(0);
    }
  }

  #mail(): MailConfig {
    const { mail } = this.#o.config();
    if (!mail)
      throw new OutboxError('mail-not-configured', 'this booth has no mail server configured (config mail)');
    return mail;
  }

  /** A message's lifetime: `mail.lifetimeHours`, never past the retention (the schema checks that too). */
  #expiry(mail: MailConfig): number {
    const { retention } = this.#o.config();
    return this.#o.clock.now() + Math.min(mail.lifetimeHours * hourMs, retention.days * dayMs);
  }

  #wake(): void {
    if (this.#started) this.#schedule(0);
  }

  #scheduleNext(): void {
    // Nothing waiting: no timer at all (a new request wakes the sender).
    if (this.#queue.counts().pending === 0) return;
    const next = this.#queue.nextDue();
    const soonestExpiry = Math.min(...this.#o.vault.records.list().map((r) => r.expires));
    const now = this.#o.clock.now();
    const at = Math.min(next ?? Infinity, soonestExpiry, now + idlePollMs);
    this.#schedule(Math.max(0, at - now));
  }

  #schedule(delay: number): void {
    if (this.#timer) this.#o.clock.clearTimeout(this.#timer);
    this.#timer = this.#o.clock.setTimeout(() => {
      this.#timer = null;
      void this.sendDue().catch((error: unknown) =>
        this.#o.logger.error(
          { event: 'outbox-pass-failed', code: errorCode(error) },
          'the outbox pass failed',
        ),
      );
    }, delay);
  }
}

function checkedAddress(typed: string): string {
  const address = typed.trim();
  if (!isEmailAddress(address))
    throw new OutboxError('address-invalid', 'what was typed is not an email address');
  return address;
}
