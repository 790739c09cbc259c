import { CcTalkError, Header, type CcTalkLink } from '../driver/cctalk-link.ts';

/** Who a ccTalk device says it is, and which coin or bill id each of its channels holds. */
export interface CcTalkIdentity {
  address: number;
  /** Equipment category, e.g. "Coin Acceptor", "Bill Validator". */
  category: string;
  manufacturer: string;
  productCode: string;
  /** 24 bits, as the device sends it (LSB first on the line). */
  serialNumber: number;
  /** Channels (coin channels or bill types) that hold a coin or bill id, in channel order. */
  channels: Array<{ channel: number; id: string }>;
  /** The master inhibit is on (the device takes nothing); absent when the device does not say. */
  masterInhibit?: boolean;
}

export type CcTalkDeviceKind = 'coin' | 'bill';

/** Coin acceptor or bill validator, from the equipment category's words. */
export function deviceKindOf(category: string): CcTalkDeviceKind | undefined {
  if (/coin/i.test(category)) return 'coin';
  if (/bill|note|banknote/i.test(category)) return 'bill';
  return undefined;
}

const channelCount = 16;

/**
 * Asks the device at `address` who it is: simple poll, manufacturer, equipment category, product
 * code, serial number, the coin ids (184) or bill ids (157) of channels 1 to 16 and the master
 * inhibit status. Rejects with a `CcTalkError` when the device does not answer.
 */
export async function probeCcTalkDevice(link: CcTalkLink, address: number): Promise<CcTalkIdentity> {
  await link.request(address, Header.SimplePoll);
  const manufacturer = ascii(await link.request(address, Header.RequestManufacturerId));
  const category = ascii(await link.request(address, Header.RequestEquipmentCategory));
  const productCode = ascii(await link.request(address, Header.RequestProductCode));
  const serial = await link.request(address, Header.RequestSerialNumber);
  if (serial.length !== 3) {
    throw new CcTalkError(
      'wrong-reply',
      `the serial number from address ${address} has ${serial.length} bytes, not 3`,
    );
  }
  const serialNumber = serial[0]! | (serial[1]! << 8) | (serial[2]! << 16);
  const kind = deviceKindOf(category);
  const channels: CcTalkIdentity['channels'] = [];
  if (kind) {
    const header = kind === 'coin' ? Header.RequestCoinId : Header.RequestBillId;
    for (let channel = 1; channel <= channelCount; channel++) {
      const id = await optional(link.request(address, header, Uint8Array.of(channel)));
      if (id === undefined) continue; // a channel the device does not have
      const text = ascii(id);
      // Unused channels answer with dots (or nothing, or zero bytes).
      if (text !== '' && !/^[.\0 ]*$/.test(text)) channels.push({ channel, id: text });
    }
  }
  const identity: CcTalkIdentity = { address, category, manufacturer, productCode, serialNumber, channels };
  const master = await optional(link.request(address, Header.RequestMasterInhibitStatus));
  if (master !== undefined && master.length >= 1) identity.masterInhibit = (master[0]! & 1) === 0;
  return identity;
}

/** The reply's data, or undefined when the device answered NAK (it does not know the command). */
async function optional(request: Promise<Uint8Array>): Promise<Uint8Array | undefined> {
  try {
    return await request;
  } catch (error) {
    if (error instanceof CcTalkError && error.code === 'nak') return undefined;
    throw error;
  }
}

/**
 * Ids and names on the line are ASCII, padded with spaces or NULs. Anything else a device sends
 * (control bytes, ESC sequences, bytes above 0x7e) is kept visible as `\xNN`, so its text can go
 * to a terminal, a log or the screen as it is and never act on them.
 */
function ascii(bytes: Uint8Array): string {
  let end = bytes.length;
  while (end > 0 && (bytes[end - 1] === 0 || bytes[end - 1] === 0x20)) end--;
  let text = '';
  for (const byte of bytes.subarray(0, end)) {
    text +=
      byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : `\\x${byte.toString(16).padStart(2, '0')}`;
  }
  return text.trim();
}
