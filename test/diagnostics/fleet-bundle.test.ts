// A booth that ran 20 scripted sessions (simulated devices, simulated time) with its diagnostics
// server: the support bundle holds none of its customers' data nor a secret, and Debian's own
// Prometheus, configured as the README says, scrapes it over pinned TLS with the bearer token.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { extract } from 'tar-stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Booth } from '../../app/booth/booth.ts';
import { SimClock } from '../../core/sim-clock.ts';
import { SeededRandom } from '../../hardware/sim/seeded-random.ts';
import { hashSecret } from '../../config/pin.ts';
import { simulatedDevices } from '../../app/host/device-set.ts';
import { createSimulatedDevices } from '../../app/booth/create-devices.ts';
import { ScriptedCustomers } from '../../app/simulate/scripted-customers.ts';
import { simulatorsOf } from '../../app/host/demo-devices.ts';
import { ask, cleanUp, running, unitDir, type RunningDiagnostics } from './diagnostics-fixture.ts';
import { ConfigStore } from '../../config/store.ts';
import { dataPaths } from '../../config/data-dir.ts';

const sessions = 20;
const prometheusBinary = '/usr/bin/prometheus';
const root = fileURLToPath(new URL('../../', import.meta.url));

let booth: RunningDiagnostics;
const receiptCodes = new Set<string>();
const secrets: string[] = [];
const email = 'jane.customer@example.org';
const ended = { count: 0 };

beforeAll(async () => {
  const dir = unitDir({
    mail: {
      host: 'smtp.example.net',
      user: 'booth-mailer',
      password: 'smtp-password-do-not-leak',
      from: 'booth@example.net',
      operatorAddress: 'operator.person@example.net',
    },
  });
  const pinHash = hashSecret('4821');
  new ConfigStore({ file: dataPaths(dir).config }).update((draft) => {
    draft.operator = { ...(draft.operator ?? {}), pins: { operator: pinHash, technician: null } };
  });
  const clock = new SimClock();
  const onBooth = (b: Booth) => {
    b.onChange((view) => {
      for (const code of JSON.stringify(view).match(/\b[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}\b/g) ?? [])
        receiptCodes.add(code);
    });
    const devices = simulatorsOf(b.devices);
    if (!devices) throw new Error('the booth should run on simulators');
    new ScriptedCustomers({
      booth: b,
      devices,
      clock,
      random: new SeededRandom(7).fork('customers'),
      config: b.config,
      customers: sessions,
      faults: [],
    }).start();
  };
  booth = await running(dir, {
    clock,
    onSessionEnd: () => ended.count++,
    onBooth,
    devices: ({ clock: c }) => {
      const config = new ConfigStore({ file: dataPaths(dir).config }).load();
      return simulatedDevices(c, 7, createSimulatedDevices(config, c, 7));
    },
  });
  secrets.push(
    booth.token,
    pinHash,
    'smtp-password-do-not-leak',
    booth.store.current().diagnostics.technicianTokenHash!,
  );
  secrets.push(readFileSync(join(dir, 'diagnostics', 'tls-key.pem'), 'utf8').split('\n')[1]!);
  const deadline = clock.now() + (sessions + 1) * 60 * 60_000;
  const done = await clock.runUntil(
    () => ended.count >= sessions && booth.host.booth.view().waitingForCustomer,
    deadline,
  );
  if (!done)
    throw new Error(
      `only ${ended.count} of ${sessions} sessions ended (${booth.host.booth.state}, ${booth.host.booth.view().outOfServiceReason})`,
    );
  // Something personal in free text, as a careless log line would have it (the logger's key
  // redaction cannot see inside a message): the bundle must still not carry it.
  const code = [...receiptCodes][0] ?? 'ABCDE-12345';
  booth.logger.warn({ note: `mail to ${email} for ${code} failed` }, 'careless line');
}, 300_000);

afterAll(cleanUp);

async function untar(gz: Buffer): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  const reader = extract();
  const done = new Promise<void>((resolve, reject) => {
    reader.on('entry', (header, stream, next) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: unknown) => {
        chunks.push(c as Buffer);
      });
      stream.on('end', () => {
        files.set(header.name, Buffer.concat(chunks));
        next();
      });
      stream.resume();
    });
    reader.on('finish', resolve);
    reader.on('error', reject);
  });
  Readable.from([gunzipSync(gz)]).pipe(reader);
  await done;
  return files;
}

describe('a booth after 20 sessions', () => {
  it('ran them, and its metrics count them', async () => {
    const metrics = (await ask(booth, '/metrics')).text;
    const total = [...metrics.matchAll(/^booth_sessions_total\{outcome="[^"]+"\} (\d+)$/gm)].reduce(
      (n, m) => n + Number(m[1]),
      0,
    );
    expect(total).toBe(sessions);
    expect(metrics).toMatch(/^booth_prints_total [1-9]\d*$/m);
    expect(metrics).toMatch(/^booth_credit_minor_total\{source="coin"\} [1-9]\d*$/m);
  });

  it('gives a support bundle with no email address, receipt code, photo byte or secret', async () => {
    const answer = await ask(booth, '/support-bundle');
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('application/gzip');
    const files = await untar(answer.body);
    const names = [...files.keys()].map((n) => n.split('/').slice(1).join('/')).sort();
    expect(names).toEqual([
      'config.json',
      'counters.json',
      'devices.json',
      'health.json',
      'journal.json',
      'logs.jsonl',
      'metrics.txt',
      'system.json',
      'version.json',
    ]);
    const all = [...files.values()].map((b) => b.toString('utf8')).join('\n');
    // Every file is text: no image could hide in one.
    for (const [name, body] of files)
      expect(Buffer.from(body.toString('utf8'), 'utf8').equals(body), name).toBe(true);
    expect(all).not.toMatch(/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/);
    expect(receiptCodes.size).toBeGreaterThan(0);
    for (const code of receiptCodes) {
      expect(all).not.toContain(code);
      expect(all).not.toContain(code.replace('-', ''));
    }
    for (const secret of secrets) expect(all, 'a secret').not.toContain(secret);
    const raw = Buffer.concat([...files.values()]);
    expect(raw.includes(Buffer.from([0xff, 0xd8, 0xff]))).toBe(false);
    const portrait = readFileSync(join(root, 'demo-assets/portraits/portrait-1.jpg'));
    expect(raw.includes(portrait.subarray(1000, 1064))).toBe(false);
    // What a technician needs is there.
    const journal = JSON.parse(
      files.get([...files.keys()].find((n) => n.endsWith('journal.json'))!)!.toString(),
    ) as {
      totals: { inserted: number };
    };
    expect(journal.totals.inserted).toBeGreaterThan(0);
    const counters = JSON.parse(
      files.get([...files.keys()].find((n) => n.endsWith('counters.json'))!)!.toString(),
    ) as { name: string; sinceReset: number }[];
    expect(counters.find((c) => c.name === 'sessions')?.sinceReset).toBe(sessions);
    expect(all).toContain('booth_sessions_total');
    expect(all).toContain('"photo-printer:ready"');
    expect(all).toContain('careless line');
  });

  describe('scraped by Prometheus', () => {
    let prometheus: ChildProcess | undefined;
    let work: string;
    let port: number;

    beforeAll(async () => {
      work = mkdtempSync(join(tmpdir(), 'prometheus-'));
      port = await freePort();
      writeFileSync(join(work, 'booth-7.pem'), booth.ca);
      writeFileSync(join(work, 'booth-7.token'), booth.token, { mode: 0o600 });
      // The README's scrape config, for one booth.
      writeFileSync(
        join(work, 'prometheus.yml'),
        [
          'global:',
          '  scrape_interval: 1s',
          'scrape_configs:',
          '  - job_name: booths',
          '    scheme: https',
          '    authorization:',
          '      type: Bearer',
          `      credentials_file: ${join(work, 'booth-7.token')}`,
          '    tls_config:',
          `      ca_file: ${join(work, 'booth-7.pem')}`,
          '      server_name: booth-7',
          '    static_configs:',
          `      - targets: ['127.0.0.1:${booth.server.port}']`,
          '        labels: { unit: booth-7 }',
          '',
        ].join('\n'),
      );
      prometheus = spawn(
        prometheusBinary,
        [
          `--config.file=${join(work, 'prometheus.yml')}`,
          `--storage.tsdb.path=${join(work, 'data')}`,
          `--web.listen-address=127.0.0.1:${port}`,
        ],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
      prometheus.stderr!.resume();
    }, 30_000);

    afterAll(async () => {
      if (prometheus && prometheus.exitCode === null) {
        const exited = new Promise((resolve) => prometheus!.once('exit', resolve));
        prometheus.kill('SIGTERM');
        await exited;
      }
      rmSync(work, { recursive: true, force: true });
    });

    it('queries booth_sessions_total from its HTTP API', async () => {
      const query = async (q: string) => {
        const res = await fetch(`http://127.0.0.1:${port}/api/v1/query?query=${encodeURIComponent(q)}`);
        return (await res.json()) as {
          status: string;
          data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> };
        };
      };
      let sum: number | null = null;
      const until = Date.now() + 30_000;
      while (Date.now() < until) {
        try {
          const answer = await query('sum(booth_sessions_total)');
          if (answer.status === 'success' && answer.data.result.length > 0) {
            sum = Number(answer.data.result[0]!.value[1]);
            break;
          }
        } catch {
          // Prometheus is still starting.
        }
        await new Promise((r) => setTimeout(r, 250));
      }
      expect(sum).toBe(sessions);
      const up = await query('up{job="booths"}');
      expect(up.data.result[0]!.value[1]).toBe('1');
      expect(up.data.result[0]!.metric.unit).toBe('booth-7');
      const byOutcome = await query('booth_sessions_total');
      expect(byOutcome.data.result.map((r) => r.metric.outcome)).toContain('completed');
    }, 40_000);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}
