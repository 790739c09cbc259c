// `kiosk diag` and `kiosk status` against a running booth, through its control socket.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../app/cli/main.ts';
import { runDiag } from '../../app/cli/diag-command.ts';
import { ask, cleanUp, running, unitDir } from './diagnostics-fixture.ts';
import { until } from '../shell/booth-fixture.ts';

afterEach(cleanUp);

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => void out.push(l), err: (l: string) => void err.push(l) }, out, err };
}

describe('kiosk diag', () => {
  it('health, metrics and logs of the running booth', async () => {
    const dir = unitDir();
    const booth = await running(dir);
    let c = capture();
    expect(await main(['diag', 'health', '--json', '--data-dir', dir], c.io)).toBe(0);
    const health = JSON.parse(c.out[0]!) as { status: string; checks: Record<string, unknown> };
    expect(['pass', 'warn']).toContain(health.status);
    expect(Object.keys(health.checks)).toContain('photo-printer:ready');

    c = capture();
    expect(await main(['diag', 'metrics', '--data-dir', dir], c.io)).toBe(0);
    expect(c.out.join('\n')).toMatch(/^booth_device_up\{device="camera"\} 1$/m);

    booth.logger.warn({ part: 'cli-test' }, 'a line for the CLI');
    c = capture();
    expect(await main(['diag', 'logs', '--level', 'warn', '--data-dir', dir], c.io)).toBe(0);
    expect(c.out.some((l) => l.includes('a line for the CLI'))).toBe(true);
    expect(c.out.every((l) => (JSON.parse(l) as { level: number }).level >= 40)).toBe(true);

    // --follow prints what is logged after it started.
    c = capture();
    const stop = new AbortController();
    const following = runDiag(
      { dataDirFlag: dir, args: ['logs'], follow: true, followEveryMs: 50, signal: stop.signal },
      c.io,
    );
    await until(() => c.out.length > 0, 5_000, 'the first lines');
    booth.logger.info({}, 'logged while following');
    await until(() => c.out.some((l) => l.includes('logged while following')), 5_000, 'the followed line');
    stop.abort();
    expect(await following).toBe(0);

    // A failing booth is a failing command.
    (booth.host.booth.devices.photoPrinter as unknown as { injectFault(f: string): void }).injectFault(
      'out-of-paper',
    );
    c = capture();
    expect(await main(['diag', 'health', '--data-dir', dir], c.io)).toBe(1);
    expect(c.out[0]).toMatch(/^health: fail/);
  });

  it('bundle --out writes the support bundle; status shows the certificate fingerprint', async () => {
    const dir = unitDir();
    const booth = await running(dir);
    const file = join(dir, 'support.tar.gz');
    let c = capture();
    expect(await main(['diag', 'bundle', '--out', file, '--data-dir', dir], c.io)).toBe(0);
    const tar = gunzipSync(readFileSync(file));
    expect(tar.toString('latin1')).toContain('/health.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);

    c = capture();
    expect(await main(['status', '--json', '--data-dir', dir], c.io)).toBe(0);
    const status = JSON.parse(c.out[0]!) as {
      diagnostics: { serving: boolean; fingerprint: string; tokenSet: boolean };
    };
    expect(status.diagnostics).toMatchObject({
      serving: true,
      fingerprint: booth.server.fingerprint,
      tokenSet: true,
    });
    c = capture();
    expect(await main(['status', '--data-dir', dir], c.io)).toBe(0);
    expect(c.out.join('\n')).toContain(`certificate SHA-256 ${booth.server.fingerprint}`);
  });

  it('token issues a new token once (technician PIN), which the HTTPS server takes at once; the old one stops', async () => {
    const dir = unitDir();
    const booth = await running(dir);
    const c = capture();
    // No PIN: refused.
    expect(await main(['diag', 'token', '--data-dir', dir], c.io)).toBe(1);
    const previous = process.env.KIOSK_PIN;
    process.env.KIOSK_PIN = '0000'; // the demo's technician PIN, on simulated hardware
    try {
      const ok = capture();
      expect(await main(['diag', 'token', '--data-dir', dir], ok.io)).toBe(0);
      const token = ok.out[0]!;
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(readFileSync(join(dir, 'config.json'), 'utf8')).not.toContain(token);
      expect((await ask(booth, '/health', { token })).status).toBe(200);
      expect((await ask(booth, '/health')).status).toBe(401);
    } finally {
      if (previous === undefined) delete process.env.KIOSK_PIN;
      else process.env.KIOSK_PIN = previous;
    }
  });

  it('says so when no booth runs', async () => {
    const c = capture();
    expect(await main(['diag', 'health', '--data-dir', unitDir()], c.io)).toBe(3);
  });
});
