import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { jpegSize } from '../../../hardware/camera/gphoto2/driver/jpeg-size.ts';

describe('jpegSize', () => {
  it('reads the size of baseline and progressive JPEGs, behind EXIF and ICC segments', async () => {
    const base = sharp({ create: { width: 37, height: 23, channels: 3, background: '#808080' } });
    const plain = await base.clone().jpeg().toBuffer();
    const progressive = await base.clone().jpeg({ progressive: true }).toBuffer();
    const tagged = await base
      .clone()
      .withMetadata({ exif: { IFD0: { Copyright: 'booth' } } })
      .withIccProfile('srgb')
      .jpeg()
      .toBuffer();
    for (const data of [plain, progressive, tagged])
      expect(jpegSize(data)).toEqual({ width: 37, height: 23 });
  });

  it('says nothing for bytes that are not a JPEG, or a JPEG cut before its frame header', async () => {
    const jpeg = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } })
      .jpeg()
      .toBuffer();
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } })
      .png()
      .toBuffer();
    expect(jpegSize(png)).toBeUndefined();
    expect(jpegSize(Buffer.alloc(0))).toBeUndefined();
    expect(jpegSize(Buffer.from([0xff, 0xd8, 0xff, 0xd9]))).toBeUndefined();
    expect(jpegSize(jpeg.subarray(0, 20))).toBeUndefined();
    expect(jpegSize(Buffer.from([0xff, 0xd8, 0x00, 0x00, 0x00, 0x00]))).toBeUndefined();
  });
});
