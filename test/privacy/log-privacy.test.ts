import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boothConfigSchema } from '../../config/schema.ts';
import { dataPaths } from '../../config/data-dir.ts';
import { createLogger } from '../../app/logging/logger.ts';
import { runSimulation, type SimulationReport } from '../../app/simulate/run-simulation.ts';
import { demoPortraits } from '../../app/booth/create-devices.ts';

/** What a log line must never contain, and the run-specific values to look for. */
interface Secrets {
  /** Receipt codes the run issued (`XXXXX-XXXXX`). */
  receiptCodes: Iterable<string>;
  /** The vault folder of the run. */
  vaultDir: string;
  /** Names of sealed files in the vault. */
  blobNames?: Iterable<string>;
}

interface Finding {
  kind: 'receipt-code' | 'email' | 'jpeg-bytes' | 'jpeg-base64' | 'byte-array' | 'long-base64' | 'vault-path';
  what: string;
}

const emailPattern = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/;
const longBase64Pattern = /[A-Za-z0-9+/=]{200,}/;
// Bytes written out as numbers: a JSON array (`[255,216,…]`) or a typed array's object form
// (`{"0":255,"1":216,…}`), 32 values or more.
const byteArrayPattern = /(?:\b\d{1,3}\s*,\s*){31,}\d{1,3}\b/;
const byteObjectPattern = /(?:"\d+"\s*:\s*\d{1,3}\s*,\s*){31,}"\d+"\s*:\s*\d{1,3}/;
const jpegByteForms = [
  '\xFF\xD8\xFF', // raw bytes read as latin1
  '\\u00ff\\u00d8\\u00ff', // JSON-escaped
  '255,216,255', // a byte array
];

/** Every kind of personal data found in one log line (empty when the line is clean). */
function personalDataIn(line: string, secrets: Secrets): Finding[] {
  const found: Finding[] = [];
  const upper = line.toUpperCase();
  for (const code of secrets.receiptCodes) {
    for (const form of [code, code.replace('-', '')]) {
      if (upper.includes(form.toUpperCase())) found.push({ kind: 'receipt-code', what: form });
    }
  }
  const email = emailPattern.exec(line);
  if (email) found.push({ kind: 'email', what: email[0] });
  for (const form of jpegByteForms) {
    if (line.toLowerCase().includes(form.toLowerCase())) found.push({ kind: 'jpeg-bytes', what: form });
  }
  if (line.includes('"0":255,"1":216,"2":255')) found.push({ kind: 'jpeg-bytes', what: 'typed array' });
  if (line.includes('/9j/')) found.push({ kind: 'jpeg-base64', what: '/9j/' });
  const bytes = byteArrayPattern.exec(line) ?? byteObjectPattern.exec(line);
  if (bytes) found.push({ kind: 'byte-array', what: bytes[0].slice(0, 40) });
  const base64 = longBase64Pattern.exec(line);
  if (base64) found.push({ kind: 'long-base64', what: base64[0].slice(0, 40) });
  for (const marker of [secrets.vaultDir, 'blobs/', 'master.key', 'index.sqlite']) {
    if (line.includes(marker)) found.push({ kind: 'vault-path', what: marker });
  }
  for (const name of secrets.blobNames ?? []) {
    if (line.includes(name)) found.push({ kind: 'vault-path', what: name });
  }
  return found;
}

/** Collects every line a logger writes. */
function collectingLogger() {
  const lines: string[] = [];
  let partial = '';
  const logger = createLogger({
    level: 'debug',
    destination: {
      write(chunk: string) {
        partial += chunk;
        const parts = partial.split('\n');
        partial = parts.pop()!;
        lines.push(...parts.filter((l) => l.length > 0));
      },
    },
  });
  return { logger, lines };
}

const work = mkdtempSync(join(tmpdir(), 'kiosk-log-privacy-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const config = boothConfigSchema.parse({});
const portrait = readFileSync(demoPortraits()[0]!);

describe('the personal-data detector', () => {
  const secrets: Secrets = {
    receiptCodes: ['7KQ2M-X9D4P'],
    vaultDir: '/srv/kiosk/vault',
    blobNames: ['0f2fd1ce21dbdcc2e06d29e61d926e3f'],
  };
  const kinds = (line: string) => new Set(personalDataIn(line, secrets).map((f) => f.kind));

  it('flags a receipt code with or without its dash, in any case', () => {
    expect(kinds('{"msg":"receipt 7KQ2M-X9D4P printed"}')).toContain('receipt-code');
    expect(kinds('{"code":"7KQ2MX9D4P"}')).toContain('receipt-code');
    expect(kinds('{"code":"7kq2m-x9d4p"}')).toContain('receipt-code');
  });

  it('flags an email address', () => {
    expect(kinds('{"to":"jane.doe+photos@example.co.uk"}')).toContain('email');
  });

  it('flags image bytes in every form JSON can carry them', () => {
    const head = portrait.subarray(0, 300);
    expect(kinds(JSON.stringify({ still: head.toString('base64') }))).toContain('jpeg-base64');
    expect(kinds(JSON.stringify({ still: head.toString('base64') }))).toContain('long-base64');
    expect(kinds(JSON.stringify({ still: head.toString('latin1') }))).toContain('jpeg-bytes');
    expect(kinds(JSON.stringify({ still: head }))).toContain('jpeg-bytes');
    expect(kinds(JSON.stringify({ still: head }))).toContain('byte-array');
    expect(kinds(JSON.stringify({ still: new Uint8Array(head) }))).toContain('jpeg-bytes');
    expect(kinds(JSON.stringify({ still: new Uint8Array(head.subarray(10)) }))).toContain('byte-array');
    // Not a JPEG at all, still an encoded blob.
    expect(kinds(JSON.stringify({ key: Buffer.alloc(200, 7).toString('base64') }))).toContain('long-base64');
  });

  it('flags a vault path or a sealed file name', () => {
    expect(kinds('{"file":"/srv/kiosk/vault/x"}')).toContain('vault-path');
    expect(kinds('{"file":"blobs/abc"}')).toContain('vault-path');
    expect(kinds('{"file":"0f2fd1ce21dbdcc2e06d29e61d926e3f"}')).toContain('vault-path');
  });

  it('passes an ordinary kiosk line', () => {
    const line =
      '{"level":30,"time":"2026-01-01T10:00:00.000Z","state":"payment.waiting",' +
      '"sessionId":"1b4689fa-1f20-41d3-a249-83053e7926b1","amount":200,"balance":480,"msg":"state"}';
    expect(personalDataIn(line, secrets)).toEqual([]);
  });
});

describe('logger redaction', () => {
  const vaultDir = join(work, 'redaction', 'vault');
  const blobPath = join(vaultDir, 'blobs', '0f2fd1ce21dbdcc2e06d29e61d926e3f');
  const code = '7KQ2M-X9D4P';
  const email = 'jane.doe@example.com';
  const secrets: Secrets = { receiptCodes: [code], vaultDir };
  const personal = () => ({
    sessionId: 'session-1',
    receiptCode: code,
    email,
    image: portrait,
    data: portrait.subarray(0, 4096),
    path: blobPath,
  });

  function logOne(fields: Record<string, unknown>): { line: string; parsed: Record<string, unknown> } {
    const { logger, lines } = collectingLogger();
    logger.info(fields, 'test line');
    expect(lines).toHaveLength(1);
    return { line: lines[0]!, parsed: JSON.parse(lines[0]!) as Record<string, unknown> };
  }

  const redactedFields = {
    sessionId: 'session-1',
    receiptCode: '[redacted]',
    email: '[redacted]',
    image: '[redacted]',
    data: '[redacted]',
    path: '[redacted]',
  };

  it('censors the personal keys of a logged object and keeps the rest of the line', () => {
    const { line, parsed } = logOne(personal());
    expect(parsed).toMatchObject({ ...redactedFields, msg: 'test line', level: 30 });
    expect(personalDataIn(line, secrets)).toEqual([]);
  });

  it('censors them one level down (`log.info({ session })`)', () => {
    const { line, parsed } = logOne({ session: personal() });
    expect(parsed['session']).toEqual(redactedFields);
    expect(personalDataIn(line, secrets)).toEqual([]);
  });

  it('censors them deeper down and inside arrays (a whole session snapshot)', () => {
    const { line, parsed } = logOne({
      snapshot: { value: 'review', context: personal() },
      sessions: [personal(), { nested: [personal()] }],
    });
    expect(parsed['snapshot']).toEqual({ value: 'review', context: redactedFields });
    expect(parsed['sessions']).toEqual([redactedFields, { nested: [redactedFields] }]);
    expect(personalDataIn(line, secrets)).toEqual([]);
  });

  it('never writes image bytes or base64, whatever the key', () => {
    const { line, parsed } = logOne({
      still: portrait,
      frame: new Uint8Array(portrait.subarray(0, 2048)),
      raw: portrait.buffer.slice(portrait.byteOffset, portrait.byteOffset + 512),
      preview: portrait.subarray(0, 1024).toString('base64'),
      inner: {
        thumb: portrait.subarray(0, 512),
        dataUrl: `data:image/jpeg;base64,${portrait.subarray(0, 1024).toString('base64')}`,
      },
      bytes: portrait.length,
    });
    expect(parsed).toMatchObject({
      still: '[redacted]',
      frame: '[redacted]',
      raw: '[redacted]',
      preview: '[redacted]',
      inner: { thumb: '[redacted]', dataUrl: '[redacted]' },
      bytes: portrait.length,
    });
    expect(personalDataIn(line, secrets)).toEqual([]);
  });

  it('censors child-logger bindings too', () => {
    const { logger, lines } = collectingLogger();
    const child = logger.child({ session: { receiptCode: code, context: { email } } });
    child.info('bound');
    child.child({ step: { still: { image: portrait, owner: { email } } } }).info('grandchild');
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(personalDataIn(line, secrets)).toEqual([]);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      msg: 'bound',
      session: { context: { email: '[redacted]' } },
    });
    expect(JSON.parse(lines[1]!)).toMatchObject({
      msg: 'grandchild',
      step: { still: { image: '[redacted]' } },
    });
  });

  it('does not touch the logged object itself', () => {
    const fields = { session: personal() };
    logOne(fields);
    expect(fields.session.receiptCode).toBe(code);
    expect(fields.session.image).toBe(portrait);
  });
});

describe('logs of many simulated sessions with faults', () => {
  const sessions = 25;
  const dataDir = join(work, 'sim');
  const vaultDir = dataPaths(dataDir).vault;
  const { logger, lines } = collectingLogger();
  const receiptCodes = new Set<string>();
  let report: SimulationReport;
  let blobNames: string[] = [];

  beforeAll(async () => {
    report = await runSimulation({
      config,
      dataDir,
      sessions,
      seed: 3,
      faults: ['printer-jam', 'camera-disconnect', 'payment-timeout'],
      faultRate: 0.3,
      logger,
      onBooth: (kiosk) => {
        kiosk.onChange((view) => {
          const code = view.session?.context.receiptCode;
          if (code) receiptCodes.add(code);
        });
      },
    });
    blobNames = readdirSync(join(vaultDir, 'blobs'));
  }, 240_000);

  it('ran every session, faults included, and logged them', () => {
    expect(report.sessions).toBe(sessions);
    expect(report.outcomes['failed']).toBeGreaterThan(0);
    expect(lines.length).toBeGreaterThanOrEqual(sessions * 5);
    expect(lines.filter((l) => l.includes('"msg":"session ended"'))).toHaveLength(sessions);
    for (const line of lines) {
      expect(JSON.parse(line)).toMatchObject({ level: expect.any(Number), msg: expect.any(String) });
    }
  });

  it('saw the receipt code of every session it opened', () => {
    const opened = lines
      .map((l) => JSON.parse(l) as { msg: string; sessionId?: string })
      .filter((l) => l.msg === 'session opened');
    expect(opened.length).toBeGreaterThan(0);
    expect(receiptCodes.size).toBe(new Set(opened.map((l) => l.sessionId)).size);
    for (const code of receiptCodes) expect(code).toMatch(/^[0-9A-Z]{5}-[0-9A-Z]{5}$/);
    // Kept sessions leave sealed files behind, so the file-name check has something to look for.
    expect(blobNames.length).toBeGreaterThan(0);
  });

  it('finds no personal data in any line', () => {
    const leaks = lines.flatMap((line) =>
      personalDataIn(line, { receiptCodes, vaultDir, blobNames }).map((f) => ({ ...f, line })),
    );
    expect(leaks).toEqual([]);
  });
});
