import {
  closeSync,
  constants,
  fchmodSync,
  fdatasyncSync,
  fstatSync,
  openSync,
  readSync,
  writeSync,
} from 'node:fs';
import { crc32 } from 'node:zlib';

/**
 * A simulated hopper's non-volatile memory: its lifetime dispense count, in a file that survives
 * the booth process being killed (kill -9) or the power going, as a real hopper's EEPROM does.
 *
 * The file holds two 16-byte slots, written in turn: `HPC1`, a sequence number, the count and a
 * CRC-32 of the three. A write goes to the older slot and is synced (fdatasync) before it
 * returns, so the newer slot is always whole: a write torn by a power cut leaves a slot that
 * fails its CRC, and the other one still holds the count before it. One sync a coin, and no
 * rename or folder sync as a whole-file rewrite would need. The file is owner-only (0600) and a
 * symlink in its place is refused.
 */
export class DispenseCountFile {
  readonly #fd: number;
  readonly #path: string;
  #sequence: number;
  #count: number;
  #closed = false;

  private constructor(fd: number, path: string, sequence: number, count: number) {
    this.#fd = fd;
    this.#path = path;
    this.#sequence = sequence;
    this.#count = count;
  }

  /**
   * Opens (or creates, with count 0) the file at `path`. Throws when it cannot be opened, or
   * when it holds something that is not a count: a count that cannot be read is never taken as
   * 0, since the booth works out from it how many coins a cut-off payout paid.
   */
  static open(path: string): DispenseCountFile {
    // O_NOFOLLOW: a symlink planted in place of the file is refused, not followed.
    const fd = openSync(path, constants.O_RDWR | constants.O_CREAT | constants.O_NOFOLLOW, 0o600);
    try {
      fchmodSync(fd, 0o600);
      const size = fstatSync(fd).size;
      if (size === 0) return new DispenseCountFile(fd, path, 0, 0);
      const bytes = Buffer.alloc(fileBytes);
      const read = readSync(fd, bytes, 0, fileBytes, 0);
      const newest = [readSlot(bytes, 0, read), readSlot(bytes, 1, read)]
        .filter((slot) => slot !== undefined)
        .sort((a, b) => b.sequence - a.sequence)[0];
      if (!newest || size > fileBytes) {
        throw new Error(
          `${path} is not a dispense count file (${size} bytes, no slot passes its check): ` +
            'move it away only if the hopper is empty and its count is known another way',
        );
      }
      return new DispenseCountFile(fd, path, newest.sequence, newest.count);
    } catch (error) {
      closeSync(fd);
      throw error;
    }
  }

  get path(): string {
    return this.#path;
  }

  /** The count last written (or read at open). */
  get count(): number {
    return this.#count;
  }

  /** Writes `count` durably: when this returns, a kill or a power cut cannot take it back. */
  write(count: number): void {
    if (this.#closed) throw new Error(`the dispense count file ${this.#path} is closed`);
    if (!Number.isSafeInteger(count) || count < 0 || count > 0xffffffff) {
      throw new RangeError(`a dispense count is a whole number 0 to ${0xffffffff}, not ${count}`);
    }
    const sequence = this.#sequence + 1;
    const slot = Buffer.alloc(slotBytes);
    slot.writeUInt32LE(magic, 0);
    slot.writeUInt32LE(sequence >>> 0, 4);
    slot.writeUInt32LE(count, 8);
    slot.writeUInt32LE(crc32(slot.subarray(0, 12)), 12);
    const at = (sequence % 2) * slotBytes;
    for (let done = 0; done < slotBytes;) {
      const written = writeSync(this.#fd, slot, done, slotBytes - done, at + done);
      if (written <= 0) throw new Error(`short write to ${this.#path}`);
      done += written;
    }
    fdatasyncSync(this.#fd);
    this.#sequence = sequence;
    this.#count = count;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    closeSync(this.#fd);
  }
}

const magic = 0x31435048; // "HPC1" read as little-endian bytes
const slotBytes = 16;
const fileBytes = 2 * slotBytes;

function readSlot(bytes: Buffer, index: number, length: number) {
  const at = index * slotBytes;
  if (length < at + slotBytes) return undefined;
  const slot = bytes.subarray(at, at + slotBytes);
  if (slot.readUInt32LE(0) !== magic || slot.readUInt32LE(12) !== crc32(slot.subarray(0, 12)))
    return undefined;
  return { sequence: slot.readUInt32LE(4), count: slot.readUInt32LE(8) };
}
