// The HTTPS diagnostics server on a real booth (simulated devices): the token on every route,
// the rate limit and audit, /health passing and failing, /metrics, /logs and its SSE stream,
// and the technician actions.
import { readFileSync, statSync } from 'node:fs';
import { request } from 'node:https';
import { connect } from 'node:tls';
import { connect as tcp } from 'node:net';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { SimulatedPhotoPrinter } from '../../hardware/printer/simulated-photo-printer.ts';
import { ask, cleanUp, running, unitDir, type RunningDiagnostics } from './diagnostics-fixture.ts';
import { until } from '../shell/booth-fixture.ts';
import { serveDiagnostics } from '../../app/diagnostics/serve-diagnostics.ts';

afterEach(cleanUp);

const routes: Array<[string, string]> = [
  ['GET', '/health'],
  ['GET', '/metrics'],
  ['GET', '/logs'],
  ['GET', '/support-bundle'],
  ['POST', '/actions/restart'],
  ['POST', '/actions/out-of-service'],
  ['POST', '/actions/in-service'],
  ['POST', '/actions/reprobe/photo-printer'],
  ['GET', '/no-such-route'],
];

function printer(booth: RunningDiagnostics): SimulatedPhotoPrinter {
  return booth.host.booth.devices.photoPrinter as SimulatedPhotoPrinter;
}

describe('diagnostics server', () => {
  it('refuses every route without the token, and audits each refusal without the token', async () => {
    const booth = await running(unitDir());
    for (const [method, path] of routes) {
      const none = await ask(booth, path, { method, token: null });
      expect(none.status, `${method} ${path} without a token`).toBe(401);
      expect(none.headers['www-authenticate']).toMatch(/^Bearer/);
    }
    const audit = readFileSync(join(booth.dir, 'diagnostics', 'access.jsonl'), 'utf8');
    expect(audit.trim().split('\n').length).toBeGreaterThanOrEqual(routes.length);
    expect(audit).toContain('"route":"/metrics"');
    expect(audit).not.toContain(booth.token);
    expect(statSync(join(booth.dir, 'diagnostics', 'access.jsonl')).mode & 0o777).toBe(0o600);
    expect(
      booth.logs
        .read()
        .map((l) => l.line)
        .join('\n'),
    ).not.toContain(booth.token);
  });

  it('locks an address out after five wrong tokens, even for the right one, with Retry-After', async () => {
    const booth = await running(unitDir());
    for (let i = 0; i < 5; i++)
      expect((await ask(booth, '/health', { token: `wrong-token-${i}-xxxxxxxx` })).status).toBe(401);
    const locked = await ask(booth, '/health');
    expect(locked.status).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('serves TLS only, with a self-signed certificate kept in the data dir (key 0600) whose fingerprint it reports', async () => {
    const booth = await running(unitDir());
    const keyFile = join(booth.dir, 'diagnostics', 'tls-key.pem');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const cert = new X509Certificate(booth.ca);
    expect(booth.server.fingerprint).toBe(cert.fingerprint256);
    expect(cert.subjectAltName).toContain('DNS:booth-7');
    expect(cert.subjectAltName).toContain('IP Address:127.0.0.1');
    // What the client sees on the wire is the same certificate.
    const seen = await new Promise<string>((resolve, reject) => {
      const socket = connect(
        { host: '127.0.0.1', port: booth.server.port, ca: booth.ca, servername: 'booth-7' },
        () => {
          resolve(socket.getPeerX509Certificate()!.fingerprint256);
          socket.end();
        },
      );
      socket.on('error', reject);
    });
    expect(seen).toBe(booth.server.fingerprint);
    // Plain HTTP on the port gets no HTTP answer.
    const plain = await new Promise<string>((resolve) => {
      const s = tcp(booth.server.port, '127.0.0.1', () => s.write('GET /health HTTP/1.1\r\nHost: x\r\n\r\n'));
      let got = '';
      s.on('data', (d: Buffer) => (got += d.toString('latin1')));
      s.on('close', () => resolve(got));
      s.on('error', () => resolve(got));
    });
    expect(plain).not.toMatch(/^HTTP\/1\.1 200/);
    // A restart keeps the certificate: technicians pinned its fingerprint.
    const again = await serveDiagnostics({
      diagnostics: booth.diagnostics,
      config: booth.store.current(),
      configSource: booth.store,
      dataDir: booth.dir,
      logger: booth.logger,
      port: 0,
    });
    expect(again!.fingerprint).toBe(booth.server.fingerprint);
    await again!.close();
  });

  it('/health passes on simulated devices and fails with 503 when the printer is out of paper', async () => {
    const booth = await running(unitDir());
    const ok = await ask(booth, '/health');
    expect(ok.headers['content-type']).toBe('application/health+json');
    const health = JSON.parse(ok.text) as {
      status: string;
      checks: Record<string, Array<{ status: string; observedValue: unknown; time: string }>>;
    };
    expect(ok.status).toBe(200);
    expect(['pass', 'warn']).toContain(health.status);
    for (const name of [
      'camera:ready',
      'payment:ready',
      'photo-printer:ready',
      'storage:free',
      'clock:trusted',
      'vault:bytes',
      'retention:next-wipe',
      'journal:readable',
      'camera:fps',
      'coaching:latency',
    ])
      expect(health.checks[name]?.[0]?.time, name).toMatch(/^\d{4}-/);
    expect(health.checks['photo-printer:ready']![0]!.status).toBe('pass');

    printer(booth).injectFault('out-of-paper');
    await until(() => !printer(booth).status().ready, 5_000, 'printer out of paper');
    const failed = await ask(booth, '/health');
    expect(failed.status).toBe(503);
    const report = JSON.parse(failed.text) as typeof health;
    expect(report.status).toBe('fail');
    expect(report.checks['photo-printer:ready']![0]!.status).toBe('fail');
    expect(report.checks['photo-printer:media']![0]!.observedValue).toBe(0);
  });

  it('/metrics is Prometheus text with the booth metrics and the default ones', async () => {
    const booth = await running(unitDir());
    const answer = await ask(booth, '/metrics');
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    for (const name of [
      'booth_sessions_total',
      'booth_credit_minor_total',
      'booth_prints_total',
      'booth_media_remaining',
      'booth_camera_fps',
      'booth_coach_latency_seconds_bucket',
      'booth_device_up',
      'booth_vault_bytes',
      'booth_photo_refusals_total',
      'booth_errors_total',
      'process_cpu_user_seconds_total',
      'nodejs_eventloop_lag_seconds',
    ])
      expect(answer.text, name).toContain(name);
    expect(answer.text).toMatch(/booth_device_up\{device="photo-printer"\} 1/);
    expect(answer.text).toMatch(/booth_media_remaining \d+/);
  });

  it('/logs gives the recent lines by level, and streams new ones as Server-Sent Events', async () => {
    const booth = await running(unitDir());
    booth.logger.warn({ part: 'test' }, 'a warning for the technician');
    booth.logger.info({ part: 'test' }, 'an info line');
    const warnings = await ask(booth, '/logs?level=warn');
    expect(warnings.status).toBe(200);
    const lines = warnings.text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { level: number; msg: string });
    expect(lines.every((l) => l.level >= 40)).toBe(true);
    expect(lines.map((l) => l.msg)).toContain('a warning for the technician');
    expect(lines.map((l) => l.msg)).not.toContain('an info line');
    const since = Number(warnings.headers['x-last-seq']);
    expect((await ask(booth, `/logs?since=${booth.logs.lastSeq}`)).text).toBe('');
    expect((await ask(booth, '/logs?level=loud')).status).toBe(400);

    // SSE: the stream carries lines logged after it opened.
    const events: string[] = [];
    const req = request({
      host: '127.0.0.1',
      port: booth.server.port,
      path: `/logs?since=${booth.logs.lastSeq}&level=info`,
      ca: booth.ca,
      servername: 'localhost',
      headers: { authorization: `Bearer ${booth.token}`, accept: 'text/event-stream' },
    });
    const opened = new Promise<string>((resolve, reject) => {
      req.on('response', (res) => {
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => events.push(chunk));
        resolve(String(res.headers['content-type']));
      });
      req.on('error', reject);
    });
    req.end();
    expect(await opened).toBe('text/event-stream');
    booth.logger.info({ receiptCode: 'ABCDE-12345', email: 'someone@example.org' }, 'streamed line');
    await until(() => events.join('').includes('streamed line'), 5_000, 'the SSE event');
    const stream = events.join('');
    expect(stream).toMatch(/id: \d+\nevent: log\ndata: \{.*"msg":"streamed line"/);
    // The logger scrubbed it before the ring had it.
    expect(stream).not.toContain('ABCDE-12345');
    expect(stream).not.toContain('someone@example.org');
    expect(since).toBeGreaterThan(0);
    req.destroy();
  });

  it('technician actions: out of service and back (between customers), re-probe, restart the flow', async () => {
    const booth = await running(unitDir());
    const out = await ask(booth, '/actions/out-of-service', { method: 'POST' });
    expect(out.status).toBe(202);
    await until(
      () => booth.host.booth.view().outOfServiceReason === 'operator:maintenance',
      10_000,
      'closed for maintenance',
    );
    const health = JSON.parse((await ask(booth, '/health')).text) as {
      checks: Record<string, Array<{ status: string }>>;
    };
    expect(health.checks['booth:in-service']![0]!.status).toBe('warn');
    const back = await ask(booth, '/actions/in-service', { method: 'POST' });
    expect(back.status).toBe(202);
    await until(() => booth.host.booth.view().waitingForCustomer, 10_000, 'back in service');

    printer(booth).injectFault('out-of-paper');
    const probe = await ask(booth, '/actions/reprobe/photo-printer', { method: 'POST' });
    expect(probe.status).toBe(200);
    expect(JSON.parse(probe.text)).toMatchObject({ device: 'photo-printer', opened: true });
    expect((await ask(booth, '/actions/reprobe/toaster', { method: 'POST' })).status).toBe(400);

    printer(booth).refill();
    const before = booth.host.booth;
    expect((await ask(booth, '/actions/restart', { method: 'POST' })).status).toBe(202);
    await until(
      () => booth.host.booth !== before && booth.host.booth.view().waitingForCustomer,
      10_000,
      'a new flow',
    );
    // No process manager in a test: a process restart is refused, not faked.
    expect((await ask(booth, '/actions/restart?scope=process', { method: 'POST' })).status).toBe(409);
    expect((await ask(booth, '/actions/empty-cash-box', { method: 'POST' })).status).toBe(404);
  });
});
