import { X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import { writeFileAtomic } from '../../config/durable-file.ts';

export interface ServerCertificate {
  cert: string;
  key: string;
  /** SHA-256 of the DER certificate, `AB:CD:…` (what `openssl x509 -fingerprint -sha256` shows). */
  fingerprint: string;
  /** Where the certificate is (a technician copies it to Prometheus as its `ca_file`). */
  certFile: string;
  /** `self-signed` (made here) or `operator` (the unit's config names the files). */
  source: 'self-signed' | 'operator';
}

/** How long a self-signed certificate is valid: the life of a booth, so no one must renew it on site. */
const validYears = 10;

/**
 * The diagnostics server's certificate: the operator's own (config `certFile`/`keyFile`), or a
 * self-signed one made on the first start and kept in `dir` (the key 0600), so its fingerprint,
 * which technicians pin, stays the same across restarts. Made with `selfsigned` (on
 * @peculiar/x509 and WebCrypto): an EC P-256 key, the unit id, `localhost`, the host name and
 * the configured addresses as subject alternative names (TLS clients check those, not the CN).
 */
export async function serverCertificate(options: {
  dir: string;
  unitId: string;
  bind: readonly string[];
  certFile: string | null;
  keyFile: string | null;
}): Promise<ServerCertificate> {
  if (options.certFile && options.keyFile) {
    const cert = readPem(options.certFile, 'certificate');
    const key = readPem(options.keyFile, 'key');
    return { cert, key, fingerprint: fingerprintOf(cert), certFile: options.certFile, source: 'operator' };
  }
  const certFile = join(options.dir, 'tls-cert.pem');
  const keyFile = join(options.dir, 'tls-key.pem');
  if (existsSync(certFile) && existsSync(keyFile)) {
    const cert = readPem(certFile, 'certificate');
    const key = readPem(keyFile, 'key');
    return { cert, key, fingerprint: fingerprintOf(cert), certFile, source: 'self-signed' };
  }
  mkdirSync(options.dir, { recursive: true, mode: 0o700 });
  const names = subjectNames(options.unitId, options.bind);
  const now = new Date();
  const made = await generate([{ name: 'commonName', value: options.unitId }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: new Date(now.getTime() - 60 * 60_000),
    notAfterDate: new Date(now.getFullYear() + validYears, now.getMonth(), now.getDate()),
    extensions: [
      // Its own CA as well: Prometheus (Go) trusts it as the `ca_file` that pins it.
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyCertSign: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: names },
    ],
  });
  // The key first, owner only from the start; the certificate is public.
  writeFileAtomic(keyFile, made.private, 0o600);
  chmodSync(keyFile, 0o600);
  writeFileAtomic(certFile, made.cert, 0o644);
  return {
    cert: made.cert,
    key: made.private,
    fingerprint: fingerprintOf(made.cert),
    certFile,
    source: 'self-signed',
  };
}

export function fingerprintOf(certPem: string): string {
  return new X509Certificate(certPem).fingerprint256;
}

function subjectNames(unitId: string, bind: readonly string[]) {
  const dns = new Set(['localhost']);
  if (/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i.test(unitId)) dns.add(unitId.toLowerCase());
  const host = hostname();
  if (/^[a-z0-9.-]{1,253}$/i.test(host)) dns.add(host.toLowerCase());
  const ips = new Set(['127.0.0.1', '::1']);
  for (const address of bind) {
    // A wildcard is no address a client connects to.
    if (isIP(address) && address !== '0.0.0.0' && address !== '::') ips.add(address);
    else if (!isIP(address)) dns.add(address.toLowerCase());
  }
  return [
    ...[...dns].map((value) => ({ type: 2 as const, value })),
    ...[...ips].map((ip) => ({ type: 7 as const, ip })),
  ];
}

function readPem(file: string, what: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read the diagnostics ${what} ${file}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (!text.includes('-----BEGIN ')) throw new Error(`the diagnostics ${what} ${file} is not a PEM file`);
  return text;
}
