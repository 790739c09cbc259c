import type Mail from 'nodemailer/lib/mailer/index.js';
import { errorCode } from '../../../core/errors.ts';
import type { BoothConfig, MailConfig } from '../../../config/schema.ts';
import { DocumentCatalogue } from '../../../config/documents/document-catalogue.ts';
import type { PhotoVault } from '../vault/photo-vault.ts';
import type { SealedRecordKind } from '../vault/sealed-records.ts';
import type { ContactReason } from './outbox-api.ts';
import { contactMessage, digitalCopyMessage } from './mail-message.ts';
import { OutboxError } from './outbox-error.ts';

/** What is sealed for a digital copy (JSON inside the record's box). */
export interface DigitalCopyRecord {
  address: string;
  language: string;
  productId: string;
  documentId: string;
  itemId: string;
}

/** What is sealed for a contact request. */
export interface ContactRecord {
  address: string;
  language: string;
  reason: ContactReason;
  receiptCode: string | null;
}

/**
 * The mail for one opened record: the digital copy with its JPEG (read from the vault, checked
 * against its document's byte range), or the contact request to the operator.
 */
export async function messageFor(input: {
  config: BoothConfig;
  mail: MailConfig;
  kind: SealedRecordKind;
  sealed: Buffer;
  vault: PhotoVault;
}): Promise<Mail.Options> {
  const { config, mail, sealed } = input;
  if (input.kind === 'digital-copy') {
    const r = JSON.parse(sealed.toString('utf8')) as DigitalCopyRecord;
    const jpeg = await digitalFile(input.vault, config, r);
    return digitalCopyMessage({
      from: mail.from,
      to: r.address,
      language: r.language,
      documentName: DocumentCatalogue.withOperatorSpecs(config.documentSpecs).get(r.documentId).name,
      unitName: config.unit.name,
      retentionDays: config.retention.days,
      jpeg,
      fileName: `${r.documentId}.jpg`,
    });
  }
  const r = JSON.parse(sealed.toString('utf8')) as ContactRecord;
  return contactMessage({
    from: mail.from,
    to: mail.operatorAddress,
    replyTo: r.address,
    language: config.languages.default,
    customerLanguage: r.language,
    reason: r.reason,
    receiptCode: r.receiptCode,
    unitName: config.unit.name,
  });
}

/** The session's digital JPEG, refused unless it is one and within the spec's byte range. */
async function digitalFile(vault: PhotoVault, config: BoothConfig, r: DigitalCopyRecord): Promise<Buffer> {
  let jpeg: Buffer;
  try {
    jpeg = await vault.get(r.itemId);
  } catch (error) {
    throw new OutboxError(
      'no-digital-file',
      `the digital file is no longer in the vault (${errorCode(error)})`,
      {
        cause: error,
      },
    );
  }
  const { bytes } = DocumentCatalogue.withOperatorSpecs(config.documentSpecs).get(r.documentId).digital;
  const isJpeg = jpeg[0] === 0xff && jpeg[1] === 0xd8 && jpeg[2] === 0xff;
  if (!isJpeg || jpeg.length < bytes.min || jpeg.length > bytes.max)
    throw new OutboxError(
      'digital-file-out-of-range',
      `the digital file (${jpeg.length} bytes${isJpeg ? '' : ', not a JPEG'}) is outside ${r.documentId}'s ${bytes.min}-${bytes.max} bytes`,
    );
  return jpeg;
}
