/**
 * The outbox: the digital copy a customer paid for, and "contact us" requests, sent by email and
 * forgotten once sent (issue 18).
 *
 * ## The API the screens and the session flow call
 *
 * Built once per booth (`Outbox.open`, beside the vault), exposed on the booth's services:
 *
 * - `isEmailAddress(text): boolean` (email-address.ts): the shape check the keyboard screen uses
 *   before it offers "Send"; the outbox checks again and throws `OutboxError('address-invalid')`.
 * - `outbox.requestDigitalCopy({ sessionId, address, language, productId, documentId })`
 *   → `{ id }`. Call once the session's digital file is in the vault (purpose `digital-file`)
 *   and the customer confirmed the address. Seals `{address, language, product, document}`
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
 *   `outbox.resend({ id, role })` (tries a `failed` or `waiting` one now),
 *   `outbox.resendForReceipt({ receiptCode, address, language, role })` (staff type the
 *   customer's receipt code and a corrected address: a new digital-copy request for that
 *   session, while the vault keeps it), `outbox.counts(): OutboxCounts`.
 * - `outbox.start()` / `await outbox.stop()`: the background sender (a timer on the booth's
 *   clock); `await outbox.sendDue()` runs one pass now (tests, decommission).
 *
 * QR code (pickup-url.ts): `pickupCode({ template, token? })` → `{ url, token, svg, png }` or
 * null when the operator configured no `mail.pickupUrlTemplate`; the token is 128 random bits,
 * never derived from the receipt code.
 *
 * End of service (app/services/decommission/decommission.ts): `decommission.view():
 * EndOfServiceView` (the "closing" notice and whether the booth takes money),
 * `decommission.begin({ pin, noticeDays? })`, `decommission.resume()` at start-up.
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
export type {
  ContactInfo,
  ContactReason,
  EndOfServiceView,
  OutboxCounts,
  OutboxKind,
  OutboxRow,
} from './outbox-api.ts';
export { contactReasons } from './outbox-api.ts';
