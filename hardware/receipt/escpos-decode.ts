/**
 * Reads an ESC/POS byte stream back: the text lines, cuts, QR codes and raster images in it. For
 * tests and for looking at what a receipt printer was sent; it knows the commands the booth sends
 * (and node-thermal-printer's common ones), and stops at any other, so nothing passes unread.
 * Text bytes above 0x7f are read as Latin-1 (the code page is not followed).
 */
export type EscPosItem =
  | { readonly kind: 'text'; readonly line: string }
  | { readonly kind: 'cut'; readonly mode: number }
  | { readonly kind: 'qr'; readonly data: string }
  | { readonly kind: 'raster'; readonly widthBytes: number; readonly height: number; readonly mode: number }
  | { readonly kind: 'status-request'; readonly n: number }
  | { readonly kind: 'command'; readonly bytes: readonly number[] };

export interface DecodedEscPos {
  readonly items: readonly EscPosItem[];
  /** The text lines (a line ends at LF; a cut or image also ends an unfinished one). */
  readonly lines: readonly string[];
  readonly cuts: number;
  /** Data of every QR code printed (`GS ( k` fn 80 stores it, fn 81 prints it). */
  readonly qrCodes: readonly string[];
  readonly rasters: readonly { widthBytes: number; height: number }[];
}

const ESC = 0x1b;
const GS = 0x1d;
const DLE = 0x10;

/** Commands with fixed parameter counts: the bytes after the command byte. */
const escParams: Record<number, number> = {
  0x40: 0, // ESC @ initialise
  0x32: 0, // ESC 2 default line spacing
  0x33: 1, // ESC 3 n line spacing
  0x21: 1, // ESC ! n print mode
  0x2d: 1, // ESC - n underline
  0x45: 1, // ESC E n bold
  0x4d: 1, // ESC M n font
  0x61: 1, // ESC a n justification
  0x64: 1, // ESC d n feed n lines
  0x74: 1, // ESC t n code page
  0x7b: 1, // ESC { n upside down
  0x70: 3, // ESC p m t1 t2 drawer kick
};
const gsParams: Record<number, number> = {
  0x21: 1, // GS ! n character size
  0x42: 1, // GS B n reverse
  0x48: 1, // GS H n barcode text position
  0x68: 1, // GS h n barcode height
  0x77: 1, // GS w n barcode width
};

export function decodeEscPos(bytes: Buffer): DecodedEscPos {
  const items: EscPosItem[] = [];
  const lines: string[] = [];
  const qrCodes: string[] = [];
  const rasters: { widthBytes: number; height: number }[] = [];
  let cuts = 0;
  let line: number[] | null = null;
  const endLine = () => {
    if (line === null) return;
    const text = Buffer.from(line).toString('latin1');
    lines.push(text);
    items.push({ kind: 'text', line: text });
    line = null;
  };
  const need = (at: number, count: number) => {
    if (at + count > bytes.length) throw new Error(`ESC/POS stream ends inside a command at byte ${at}`);
  };
  const command = (at: number, length: number) => {
    need(at, length);
    items.push({ kind: 'command', bytes: [...bytes.subarray(at, at + length)] });
    return at + length;
  };

  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b === 0x0a) {
      line ??= [];
      endLine();
      i++;
    } else if (b === 0x0d) {
      i++;
    } else if (b === ESC) {
      need(i, 2);
      const c = bytes[i + 1]!;
      const params = escParams[c];
      if (params === undefined) throw new Error(`unknown ESC command 0x${c.toString(16)} at byte ${i}`);
      if (c === 0x64) endLine();
      i = command(i, 2 + params);
    } else if (b === GS) {
      need(i, 2);
      const c = bytes[i + 1]!;
      if (c === 0x56) {
        // GS V m [n]: cut; m 65/66 carry a feed amount
        need(i, 3);
        const mode = bytes[i + 2]!;
        endLine();
        cuts++;
        items.push({ kind: 'cut', mode });
        i += mode === 65 || mode === 66 ? 4 : 3;
      } else if (c === 0x28 && bytes[i + 2] === 0x6b) {
        // GS ( k pL pH cn fn [params]
        need(i, 5);
        const length = bytes[i + 3]! + bytes[i + 4]! * 256;
        need(i + 5, length);
        const body = bytes.subarray(i + 5, i + 5 + length);
        if (body[0] === 0x31 && body[1] === 0x50 && body[2] === 0x30) {
          const data = body.subarray(3).toString('latin1');
          qrCodes.push(data);
          items.push({ kind: 'qr', data });
        } else {
          items.push({ kind: 'command', bytes: [...bytes.subarray(i, i + 5 + length)] });
        }
        i += 5 + length;
      } else if (c === 0x76 && bytes[i + 2] === 0x30) {
        // GS v 0 m xL xH yL yH d1...dk
        need(i, 8);
        const mode = bytes[i + 3]!;
        const widthBytes = bytes[i + 4]! + bytes[i + 5]! * 256;
        const height = bytes[i + 6]! + bytes[i + 7]! * 256;
        need(i + 8, widthBytes * height);
        endLine();
        rasters.push({ widthBytes, height });
        items.push({ kind: 'raster', widthBytes, height, mode });
        i += 8 + widthBytes * height;
      } else {
        const params = gsParams[c];
        if (params === undefined) throw new Error(`unknown GS command 0x${c.toString(16)} at byte ${i}`);
        i = command(i, 2 + params);
      }
    } else if (b === DLE && bytes[i + 1] === 0x04) {
      need(i, 3);
      items.push({ kind: 'status-request', n: bytes[i + 2]! });
      i += 3;
    } else if (b < 0x20) {
      throw new Error(`unknown control byte 0x${b.toString(16)} at byte ${i}`);
    } else {
      (line ??= []).push(b);
      i++;
    }
  }
  endLine();
  return { items, lines, cuts, qrCodes, rasters };
}
