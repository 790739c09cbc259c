/**
 * Carries one encoded IPP request over HTTP(S) POST (RFC 8010 §4) and returns the body of the
 * answer. Network failures become IppError('unreachable'), an answer that does not finish in
 * time IppError('timeout'), and a non-200 HTTP status IppError('refused').
 */
import http from 'node:http';
import https from 'node:https';
import { IppError } from './ipp-error.ts';

export interface IppTransportOptions {
  readonly timeoutMs: number;
  /** PEM CA certificate(s) to trust for ipps/https, e.g. a CUPS server's self-signed cert. */
  readonly ca?: string | Buffer | readonly (string | Buffer)[];
  /** An IPP response bigger than this is not from a printer we understand. */
  readonly maxResponseBytes?: number;
}

/** Error codes that mean "nobody there", as opposed to a slow or confused printer. */
const unreachableCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);

export function postIpp(url: URL, body: Buffer, options: IppTransportOptions): Promise<Buffer> {
  const maxBytes = options.maxResponseBytes ?? 16 * 1024 * 1024;
  return new Promise<Buffer>((resolve, reject) => {
    let settled = false;
    const finish = (error: IppError | null, result?: Buffer): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) {
        request.destroy();
        reject(error);
      } else resolve(result!);
    };
    const requestOptions: https.RequestOptions = {
      method: 'POST',
      headers: { 'Content-Type': 'application/ipp', 'Content-Length': body.length },
      // A fresh connection per request: the booth sends a few requests a minute, and a pooled
      // socket the printer has quietly dropped would turn into a spurious ECONNRESET.
      agent: false,
      ...(url.protocol === 'https:' && options.ca ? { ca: options.ca as https.RequestOptions['ca'] } : {}),
    };
    const transport = url.protocol === 'https:' ? https : http;
    const request = transport.request(url, requestOptions, (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) {
          finish(
            new IppError('bad-response', `IPP response from ${url.host} is larger than ${maxBytes} bytes`),
          );
        } else chunks.push(chunk);
      });
      response.on('end', () => {
        if (response.statusCode !== 200) {
          finish(
            new IppError(
              'refused',
              `${url.host} answered HTTP ${response.statusCode} ${response.statusMessage ?? ''}`,
            ),
          );
        } else finish(null, Buffer.concat(chunks));
      });
      response.on('error', (error) => finish(networkError(url, error)));
    });
    const timer = setTimeout(
      () => finish(new IppError('timeout', `no IPP answer from ${url.host} within ${options.timeoutMs} ms`)),
      options.timeoutMs,
    );
    request.on('error', (error) => finish(networkError(url, error)));
    request.end(body);
  });
}

function networkError(url: URL, error: Error & { code?: string }): IppError {
  const code = error.code ?? '';
  if (code === 'ETIMEDOUT') return new IppError('timeout', `connecting to ${url.host} timed out`);
  if (unreachableCodes.has(code)) return new IppError('unreachable', `cannot reach ${url.host}: ${code}`);
  // TLS failures (bad certificate) and anything else: still "we could not talk to it".
  return new IppError('unreachable', `cannot talk to ${url.host}: ${error.message}`);
}
