import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { newPickupToken, pickupCode, pickupUrl } from '../../../app/services/outbox/pickup-url.ts';

describe('pickup URL and its QR code', () => {
  it('is nothing at all while the operator configured no template', async () => {
    expect(await pickupCode({ template: null })).toBeNull();
  });

  it('puts a fresh 128-bit token in the template and renders it as SVG and PNG', async () => {
    const template = 'https://photos.example.com/p/{token}';
    const a = (await pickupCode({ template }))!;
    const b = (await pickupCode({ template }))!;
    expect(a.token).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(Buffer.from(a.token, 'base64url')).toHaveLength(16);
    expect(a.url).toBe(`https://photos.example.com/p/${a.token}`);
    // Random each time: nothing the customer holds (a receipt code) goes in.
    expect(b.token).not.toBe(a.token);
    expect(a.svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    const meta = await sharp(a.png).metadata();
    expect(meta.format).toBe('png');
    expect(meta.width).toBeGreaterThan(100);
    // Another URL makes another code.
    expect(b.svg).not.toBe(a.svg);
  });

  it('keeps a token the caller already gave the download service', async () => {
    const token = newPickupToken();
    expect((await pickupCode({ template: 'https://x.example/{token}.jpg', token }))!.url).toBe(
      `https://x.example/${token}.jpg`,
    );
  });

  it('refuses a template that is not https or has no {token}, and a short token', () => {
    const token = newPickupToken();
    expect(() => pickupUrl('http://x.example/{token}', token)).toThrow(
      expect.objectContaining({ code: 'pickup-template-invalid' }),
    );
    expect(() => pickupUrl('https://x.example/photo', token)).toThrow(/contain \{token\}/);
    expect(() => pickupUrl('https://x.example/{token}', 'ABCD-1234')).toThrow(/128 bits/);
  });
});
