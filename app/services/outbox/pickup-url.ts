import { randomBytes } from 'node:crypto';
import QRCode from 'qrcode';
import { OutboxError } from './outbox-error.ts';

export interface PickupCode {
  url: string;
  /** 128 random bits, base64url: what the operator's download service looks the file up by. */
  token: string;
  /** The QR code as an SVG document (the thank-you screen). */
  svg: string;
  /** The QR code as a PNG (the receipt printer). */
  png: Buffer;
}

/**
 * The pickup URL and its QR code, for operators who run their own download service
 * (`mail.pickupUrlTemplate`, e.g. `https://photos.example.com/p/{token}`); null when none is
 * configured, and then no code is shown. The token is fresh random bytes, never derived from the
 * receipt code (or anything else a customer holds), so a receipt code alone leads to no URL, and
 * one URL says nothing about another.
 */
export async function pickupCode(input: {
  template: string | null;
  /** A token the caller already handed to the download service; a new one otherwise. */
  token?: string;
}): Promise<PickupCode | null> {
  if (input.template === null) return null;
  const token = input.token ?? newPickupToken();
  const url = pickupUrl(input.template, token);
  const [svg, png] = await Promise.all([
    QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }),
    QRCode.toBuffer(url, { type: 'png', errorCorrectionLevel: 'M', margin: 2, scale: 6 }),
  ]);
  return { url, token, svg, png };
}

export function newPickupToken(): string {
  return randomBytes(16).toString('base64url');
}

/** The template with `{token}` filled in; refused unless it is https and names `{token}`. */
export function pickupUrl(template: string, token: string): string {
  if (!template.includes('{token}') || !/^https:\/\//i.test(template))
    throw new OutboxError(
      'pickup-template-invalid',
      'a pickup URL template must be https and contain {token}',
    );
  if (!/^[A-Za-z0-9_-]{22,}$/.test(token))
    throw new OutboxError('pickup-template-invalid', 'a pickup token must be at least 128 bits of base64url');
  return template.replaceAll('{token}', token);
}
