import type { IppCode } from '../../../core/errors.ts';
import { DeviceError } from '../../device-status.ts';

/**
 * Why an IPP exchange failed, so the printer adapter can react without parsing text:
 * - `unreachable`: no connection (refused, reset, unknown host);
 * - `timeout`: connected or connecting, but no complete answer in time;
 * - `refused`: the printer answered with an IPP error status (>= 0x0400) or an HTTP error;
 * - `bad-response`: the bytes that came back are not a well-formed IPP message;
 * - `bad-request`: the caller asked for something we cannot encode (bad URL, bad value).
 * The codes are the registry's `ipp` group (core/errors.ts).
 */
export type IppErrorCode = IppCode;

export class IppError extends DeviceError<'photo-printer'> {
  constructor(
    override readonly code: IppErrorCode,
    message: string,
    /** The IPP status code when the printer refused, e.g. 0x040a. */
    readonly status?: number,
  ) {
    super('photo-printer', code, message);
    this.name = 'IppError';
  }
}
