/**
 * The two checksums ccTalk frames carry. Which one a device uses is set on the device (and in the
 * booth's config): the bytes on the line do not say.
 */

/** The byte that makes all `bytes` plus itself sum to 0 modulo 256 (ccTalk's simple checksum). */
export function simpleChecksum(bytes: Uint8Array): number {
  let sum = 0;
  for (const byte of bytes) sum = (sum + byte) & 0xff;
  return (256 - sum) & 0xff;
}

/**
 * CRC-16/CCITT as ccTalk uses it: polynomial 0x1021, initial value 0, bits in MSB first, no final
 * XOR (the catalogue name is CRC-16/XMODEM). The ccTalk generic specification's example: a simple
 * poll to address 40 is sent as `[40] [0] [182] [254] [33]`, the CRC of 40, 0, 254 being 0x21B6.
 */
export function crc16Ccitt(bytes: Uint8Array): number {
  let crc = 0;
  for (const byte of bytes) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++) {
      crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    }
  }
  return crc;
}
