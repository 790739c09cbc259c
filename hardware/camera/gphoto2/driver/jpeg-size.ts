/**
 * The pixel size a JPEG declares in its frame header (SOF), read without decoding: the camera
 * child tags every live-view frame with it at 25 frames a second, where a decoder would cost a
 * core. Undefined when the bytes are not a JPEG or hold no frame header.
 */
export function jpegSize(data: Buffer): { width: number; height: number } | undefined {
  if (data.length < 4 || data[0] !== 0xff || data[1] !== 0xd8) return undefined;
  let at = 2;
  while (at + 4 <= data.length) {
    if (data[at] !== 0xff) return undefined;
    const marker = data[at + 1]!;
    if (marker === 0xff) {
      at++; // fill byte before a marker
      continue;
    }
    // Markers without a length: TEM, RSTn, SOI; EOI or SOS before a SOF means none is coming.
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
      at += 2;
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return undefined;
    const length = data.readUInt16BE(at + 2);
    if (length < 2) return undefined;
    // SOF0..SOF15 but DHT (C4), JPG (C8) and DAC (CC), which share the range.
    const isFrameHeader = marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker);
    if (isFrameHeader) {
      if (at + 9 > data.length) return undefined;
      const height = data.readUInt16BE(at + 5);
      const width = data.readUInt16BE(at + 7);
      return width > 0 && height > 0 ? { width, height } : undefined;
    }
    at += 2 + length;
  }
  return undefined;
}
