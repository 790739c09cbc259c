import { IppError } from './ipp-error.ts';

/** Where to POST, and what to call the printer inside the request. */
export interface IppTarget {
  /** http: or https: URL the request goes to. */
  readonly httpUrl: URL;
  /** The printer-uri operation attribute: ipp: or ipps: form of the same address. */
  readonly printerUri: string;
}

/**
 * ipp:// is HTTP on port 631 unless given (RFC 3510) and ipps:// is HTTPS on 631 (RFC 7472).
 * http(s):// URLs are accepted as-is for servers reached through a proxy or odd port, and
 * printer-uri is then the ipp(s) form, since servers check it against their own URIs.
 */
export function parseIppUrl(url: string): IppTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new IppError('bad-request', `not a printer URL: "${url}"`);
  }
  const secure = parsed.protocol === 'ipps:' || parsed.protocol === 'https:';
  const defaultPort =
    parsed.protocol === 'ipp:' || parsed.protocol === 'ipps:' ? '631' : secure ? '443' : '80';
  if (!['ipp:', 'ipps:', 'http:', 'https:'].includes(parsed.protocol)) {
    throw new IppError('bad-request', `unsupported printer URL scheme "${parsed.protocol}" in "${url}"`);
  }
  const port = parsed.port || defaultPort;
  const path = `${parsed.pathname}${parsed.search}`;
  const httpUrl = new URL(`${secure ? 'https' : 'http'}://${parsed.hostname}:${port}${path}`);
  const printerUri = `${secure ? 'ipps' : 'ipp'}://${parsed.hostname}:${port}${path}`;
  return { httpUrl, printerUri };
}
