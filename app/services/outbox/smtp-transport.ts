import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer/index.js';
import type { MailConfig } from '../../../config/schema.ts';

/** What the outbox needs of a mail transport: nodemailer's SMTP transport in the booth. */
export interface MailTransport {
  send(message: Mail.Options): Promise<void>;
  close(): void;
}

/**
 * nodemailer's SMTP transport, never in clear: `starttls` refuses a server that does not offer
 * STARTTLS (requireTLS), `tls` speaks TLS from the first byte. The certificate is always checked
 * (rejectUnauthorized), against the system's CAs plus `caFile` when set (a private CA, or a
 * test's). The password goes to nodemailer only; its own logger stays off, so no SMTP dialogue
 * (AUTH included) is ever written anywhere.
 */
export function smtpTransport(mail: MailConfig): MailTransport {
  const ca = mail.caFile ? [...rootCertificates, readFileSync(mail.caFile, 'utf8')] : undefined;
  const transport = nodemailer.createTransport({
    host: mail.host,
    port: mail.port,
    secure: mail.security === 'tls',
    requireTLS: mail.security === 'starttls',
    auth: { user: mail.user, pass: mail.password },
    tls: { rejectUnauthorized: true, minVersion: 'TLSv1.2', ...(ca ? { ca } : {}) },
    // A booth that is offline must find out quickly and try again later, not hang a send.
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 60_000,
    logger: false,
    debug: false,
  });
  return {
    send: async (message) => {
      await transport.sendMail(message);
    },
    close: () => transport.close(),
  };
}

/**
 * Failures of the connection itself: TLS not offered or not trusted, credentials refused, no
 * route. They say the booth's link or config is wrong, not this message: every message waits
 * (bounded by its lifetime) until the operator fixes it, even when the server said it with a 5xx.
 */
const linkFailures = new Set([
  'ECONNECTION',
  'ETIMEDOUT',
  'ESOCKET',
  'EDNS',
  'ETLS',
  'EAUTH',
  'ENOAUTH',
  'EPROTOCOL',
]);

/**
 * How a failed send is taken: a 5xx reply to the message (its sender or recipient refused, its
 * content refused) is the server's final no; anything else (no connection, a timeout, a 4xx
 * "try later", a link failure above) is worth another try. The summary names the failure without
 * the address: nodemailer's code and the server's reply code.
 */
export function sendFailure(error: unknown): { permanent: boolean; summary: string } {
  const e = error as { responseCode?: unknown; code?: unknown };
  const status = typeof e.responseCode === 'number' ? e.responseCode : null;
  const code = typeof e.code === 'string' && /^[A-Z_]{2,20}$/.test(e.code) ? e.code : 'error';
  const permanent = status !== null && status >= 500 && status < 600 && !linkFailures.has(code);
  return { permanent, summary: status !== null ? `${code} ${status}` : code };
}
