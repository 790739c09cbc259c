import type Mail from 'nodemailer/lib/mailer/index.js';
import type { ContactReason } from './outbox-api.ts';
import { fill, textsFor } from './mail-texts.ts';

const rtl = new Set(['ar']);

/** The digital copy as the customer gets it: their language, the JPEG attached, text and HTML. */
export function digitalCopyMessage(input: {
  from: string;
  to: string;
  language: string;
  documentName: string;
  unitName: string;
  retentionDays: number;
  jpeg: Buffer;
  fileName: string;
}): Mail.Options {
  const { language, texts } = textsFor(input.language);
  const values = {
    document: input.documentName,
    unit: input.unitName,
    days: String(input.retentionDays),
  };
  const paragraphs = [texts.greeting, fill(texts.what, values), fill(texts.kept, values), texts.noReply];
  return {
    from: input.from,
    to: input.to,
    subject: fill(texts.subject, values),
    text: paragraphs.join('\n\n'),
    html: html(language, paragraphs),
    headers: { 'Content-Language': language, 'Auto-Submitted': 'auto-generated' },
    attachments: [{ filename: input.fileName, content: input.jpeg, contentType: 'image/jpeg' }],
  };
}

/** A contact request as the operator gets it: the customer's address as Reply-To, nothing else of theirs. */
export function contactMessage(input: {
  from: string;
  to: string;
  replyTo: string;
  /** The operator's language (the unit's default). */
  language: string;
  customerLanguage: string;
  reason: ContactReason;
  receiptCode: string | null;
  unitName: string;
}): Mail.Options {
  const { language, texts } = textsFor(input.language);
  const reason = texts.reasons[input.reason];
  const lines = [
    `${texts.contactLines.reason}: ${reason}`,
    `${texts.contactLines.receipt}: ${input.receiptCode ?? '-'}`,
    `${texts.contactLines.language}: ${input.customerLanguage}`,
    texts.contactLines.replyTo,
  ];
  return {
    from: input.from,
    to: input.to,
    replyTo: input.replyTo,
    subject: fill(texts.contactSubject, { unit: input.unitName, reason }),
    text: lines.join('\n'),
    html: html(language, lines),
    headers: { 'Content-Language': language, 'Auto-Submitted': 'auto-generated' },
  };
}

function html(language: string, paragraphs: string[]): string {
  const dir = rtl.has(language) ? 'rtl' : 'ltr';
  const body = paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n');
  return `<!doctype html>\n<html lang="${language}" dir="${dir}"><head><meta charset="utf-8"></head><body>\n${body}\n</body></html>\n`;
}

/** The five characters HTML gives meaning to; our own texts and names only, so no sanitizer library. */
function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}
