import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

/** A self-signed certificate for 127.0.0.1 made by openssl; the test trusts it as its own CA. */
export function makeCertificate(dir: string): { keyFile: string; certFile: string } {
  const keyFile = join(dir, 'smtp-key.pem');
  const certFile = join(dir, 'smtp-cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-sha256',
      '-days',
      '1',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ],
    { stdio: 'ignore' },
  );
  return { keyFile, certFile };
}

export interface ReceivedMail {
  from: string;
  to: string[];
  /** Whether the session was under TLS when the message came (STARTTLS done). */
  secure: boolean;
  user: string | undefined;
  raw: Buffer;
}

export const smtpUser = 'booth-01';
export const smtpPassword = 'correct horse battery staple';

/**
 * smtp-server (a real SMTP server implementation) on 127.0.0.1: STARTTLS offered with the
 * certificate, AUTH refused before TLS (smtp-server's default) and MAIL refused without AUTH.
 * `refuseRecipient` answers RCPT with that code (a 550 for "mailbox unavailable").
 */
export async function startSmtpServer(options: {
  keyFile: string;
  certFile: string;
  port?: number;
  /** A server without STARTTLS at all (not offered, and refused if sent anyway). */
  noStartTls?: boolean;
  refuseRecipient?: { code: number; message: string } | null;
}): Promise<{
  port: number;
  received: ReceivedMail[];
  setRefusal(refusal: { code: number; message: string } | null): void;
  close(): Promise<void>;
}> {
  const received: ReceivedMail[] = [];
  let refusal = options.refuseRecipient ?? null;
  const config: SMTPServerOptions = {
    secure: false,
    key: readFileSync(options.keyFile),
    cert: readFileSync(options.certFile),
    hideSTARTTLS: options.noStartTls ?? false,
    disabledCommands: options.noStartTls ? ['STARTTLS'] : [],
    authMethods: ['PLAIN', 'LOGIN'],
    authOptional: false,
    allowInsecureAuth: false,
    logger: false,
    onAuth(auth, _session, done) {
      if (auth.username === smtpUser && auth.password === smtpPassword) done(null, { user: auth.username });
      else done(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onMailFrom(_address, session, done) {
      if (!session.secure) done(Object.assign(new Error('Must issue STARTTLS first'), { responseCode: 530 }));
      else done();
    },
    onRcptTo(_address, _session, done) {
      if (refusal) done(Object.assign(new Error(refusal.message), { responseCode: refusal.code }));
      else done();
    },
    onData(stream, session, done) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          secure: session.secure,
          user: session.user as string | undefined,
          raw: Buffer.concat(chunks),
        });
        done();
      });
    },
  };
  const server = new SMTPServer(config);
  server.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    received,
    setRefusal: (r) => (refusal = r),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A port nothing listens on now (the OS gave it, then it was closed): a mail server that is down. */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export interface MimePart {
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * The leaf parts of a MIME message, decoded (base64, quoted-printable): enough to read back what
 * nodemailer wrote, without a parser library the booth does not otherwise need.
 */
export function mimeParts(raw: Buffer): { headers: Record<string, string>; parts: MimePart[] } {
  const root = splitEntity(raw.toString('latin1'));
  const parts: MimePart[] = [];
  const walk = (entity: { headers: Record<string, string>; body: string }) => {
    const type = entity.headers['content-type'] ?? 'text/plain';
    const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
    if (type.startsWith('multipart/') && boundary) {
      const sections = entity.body.split(`--${boundary}`).slice(1, -1);
      for (const section of sections) walk(splitEntity(section.replace(/^\r\n/, '')));
      return;
    }
    const encoding = (entity.headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
    const latin = entity.body;
    const body =
      encoding === 'base64'
        ? Buffer.from(latin.replace(/\s+/g, ''), 'base64')
        : encoding === 'quoted-printable'
          ? Buffer.from(
              latin
                .replace(/=\r\n/g, '')
                .replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))),
              'latin1',
            )
          : Buffer.from(latin, 'latin1');
    parts.push({ headers: entity.headers, body });
  };
  walk(root);
  return { headers: root.headers, parts };
}

function splitEntity(text: string): { headers: Record<string, string>; body: string } {
  const end = text.indexOf('\r\n\r\n');
  const head = end < 0 ? text : text.slice(0, end);
  const body = end < 0 ? '' : text.slice(end + 4);
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { headers, body };
}
