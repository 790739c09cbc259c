// The diagnostics' own parts, each on its own: the log ring, the config's redaction, whether a
// unit serves diagnostics, the config block, and the operator's own certificate.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { generate } from 'selfsigned';
import { LogRing, parseLogLevel } from '../../app/logging/log-ring.ts';
import { createLogger } from '../../app/logging/logger.ts';
import { redactConfig, scrubText } from '../../app/diagnostics/redact.ts';
import { diagnosticsEnabled } from '../../app/diagnostics/serve-diagnostics.ts';
import { fingerprintOf, serverCertificate } from '../../app/diagnostics/certificate.ts';
import { AccessAudit, TechnicianGate } from '../../app/diagnostics/technician-gate.ts';
import { existsSync, readFileSync } from 'node:fs';
import { hashSecret } from '../../config/pin.ts';
import { boothConfigSchema } from '../../config/schema.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'diag-parts-'));
  dirs.push(dir);
  return dir;
};

describe('log ring', () => {
  it('keeps the last lines the logger wrote, scrubbed, by seq and level', () => {
    const ring = new LogRing(3);
    const logger = createLogger({ level: 'debug', destination: { write: () => {} }, ring });
    logger.debug('one');
    logger.info({ email: 'a@b.example' }, 'two');
    logger.warn('three');
    logger.error('four');
    const lines = ring.read();
    expect(lines.map((l) => (JSON.parse(l.line) as { msg: string }).msg)).toEqual(['two', 'three', 'four']);
    expect(lines[0]!.line).not.toContain('a@b.example');
    expect(ring.read({ minLevel: 40 }).map((l) => l.level)).toEqual([40, 50]);
    expect(ring.read({ since: lines[1]!.seq }).length).toBe(1);
    expect(ring.lastSeq).toBe(4);
    expect(parseLogLevel('warn')).toBe(40);
    expect(parseLogLevel('loud')).toBeNull();
  });
});

describe('support bundle redaction', () => {
  it('removes every secret and address from the config, and email and receipt-code shapes from text', () => {
    const config = boothConfigSchema.parse({
      unit: { id: 'booth-1', name: 'Booth at ABCDE-12345 street' },
      operator: { pins: { operator: hashSecret('4821'), technician: null } },
      diagnostics: { technicianTokenHash: hashSecret('x'.repeat(20), 'token') },
      mail: {
        host: 'smtp.example.net',
        user: 'mailer',
        password: 'pw-secret',
        from: 'a@example.net',
        operatorAddress: 'b@example.net',
      },
    });
    const text = JSON.stringify(redactConfig(config));
    expect(text).not.toMatch(/scrypt\$/);
    expect(text).not.toContain('pw-secret');
    expect(text).not.toContain('@example.net');
    expect(text).not.toContain('ABCDE-12345');
    expect(text).toContain('smtp.example.net');
    expect(JSON.parse(text)).toMatchObject({ unit: { id: 'booth-1' }, diagnostics: { port: 8787 } });
    // Codes are kept and shown upper case; a lower-case 5-5 word is left (`media-ready` is no code).
    expect(scrubText('mail jane.doe+x@mail.example.org code abcde-12345 ABCDE12345')).toBe(
      'mail [email removed] code abcde-12345 [code removed]',
    );
  });
});

describe('diagnostics config', () => {
  it('is off on the demo and on on real hardware by default, as configured otherwise', () => {
    expect(diagnosticsEnabled(boothConfigSchema.parse({}))).toBe(false);
    const real = { hardware: { photoPrinter: { adapter: 'ipp', url: 'ipp://127.0.0.1:631/printers/dnp' } } };
    expect(diagnosticsEnabled(boothConfigSchema.parse(real))).toBe(true);
    // `kiosk start --autoplay` runs simulators whatever the config names: a demo.
    expect(diagnosticsEnabled(boothConfigSchema.parse(real), true)).toBe(false);
    expect(diagnosticsEnabled(boothConfigSchema.parse({ ...real, diagnostics: { enabled: false } }))).toBe(
      false,
    );
    expect(diagnosticsEnabled(boothConfigSchema.parse({ diagnostics: { enabled: true } }))).toBe(true);
  });

  it('takes one address or a list, and the cert and key only together', () => {
    expect(boothConfigSchema.parse({ diagnostics: { bind: '10.0.0.5' } }).diagnostics.bind).toEqual([
      '10.0.0.5',
    ]);
    expect(boothConfigSchema.parse({}).diagnostics.bind).toEqual(['127.0.0.1']);
    const half = boothConfigSchema.safeParse({ diagnostics: { certFile: '/etc/booth/cert.pem' } });
    expect(half.success).toBe(false);
    expect(half.error!.issues[0]!.path).toEqual(['diagnostics', 'certFile']);
  });
});

describe('certificate', () => {
  it("uses the operator's own certificate and key when the config names them", async () => {
    const dir = tempDir();
    const made = await generate([{ name: 'commonName', value: 'booth.example' }], {
      keyType: 'ec',
      curve: 'P-256',
    });
    writeFileSync(join(dir, 'cert.pem'), made.cert);
    writeFileSync(join(dir, 'key.pem'), made.private, { mode: 0o600 });
    const cert = await serverCertificate({
      dir: join(dir, 'diagnostics'),
      unitId: 'booth-1',
      bind: ['127.0.0.1'],
      certFile: join(dir, 'cert.pem'),
      keyFile: join(dir, 'key.pem'),
    });
    expect(cert.source).toBe('operator');
    expect(cert.fingerprint).toBe(fingerprintOf(made.cert));
    await expect(
      serverCertificate({
        dir,
        unitId: 'b',
        bind: [],
        certFile: join(dir, 'missing.pem'),
        keyFile: join(dir, 'key.pem'),
      }),
    ).rejects.toThrow(/cannot read the diagnostics certificate .*missing\.pem/);
  });
});

describe('technician gate', () => {
  it('refuses while no token is set, and lets a changed token take over at once', () => {
    let hash: string | null = null;
    let now = 0;
    const gate = new TechnicianGate({ tokenHash: () => hash, now: () => now });
    const first = 'first-token-0123456789';
    expect(gate.check('10.0.0.1', `Bearer ${first}`)).toMatchObject({
      ok: false,
      status: 401,
      reason: 'no-token-set',
    });
    hash = hashSecret(first, 'token');
    expect(gate.check('10.0.0.1', `Bearer ${first}`)).toEqual({ ok: true });
    hash = hashSecret('second-token-0123456789', 'token');
    expect(gate.check('10.0.0.1', `Bearer ${first}`)).toMatchObject({ ok: false, reason: 'wrong' });
    expect(gate.check('10.0.0.1', 'Bearer second-token-0123456789')).toEqual({ ok: true });
    // The lock-out is per address and ends.
    for (let i = 0; i < 5; i++) gate.check('10.0.0.2', 'Bearer wrong-token-0123456789');
    expect(gate.check('10.0.0.2', 'Bearer second-token-0123456789')).toMatchObject({ status: 429 });
    expect(gate.check('10.0.0.3', 'Bearer second-token-0123456789')).toEqual({ ok: true });
    now += 61_000;
    expect(gate.check('10.0.0.2', 'Bearer second-token-0123456789')).toEqual({ ok: true });
  });
});

describe('access audit', () => {
  it('appends one line per request, and rolls over past its size', () => {
    const file = join(tempDir(), 'diagnostics', 'access.jsonl');
    const audit = new AccessAudit(file, 300);
    const entry = {
      at: '2026-12-04T00:00:00.000Z',
      address: '10.0.0.1',
      method: 'GET',
      route: '/metrics',
      status: 200,
      result: 'ok',
    };
    for (let i = 0; i < 3; i++) audit.record(entry);
    expect(readFileSync(file, 'utf8').trim().split('\n').length).toBe(3);
    expect(existsSync(`${file}.1`)).toBe(false);
    // Past 300 bytes: the next record starts a new file, the old one kept as .1.
    audit.record(entry);
    expect(readFileSync(`${file}.1`, 'utf8').trim().split('\n').length).toBe(3);
    expect(readFileSync(file, 'utf8').trim().split('\n').length).toBe(1);
  });
});
