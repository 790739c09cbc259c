// The fleet over TLS: a test CA made with openssl, Mosquitto's TLS listener asking every client
// for a certificate of that CA (its CN is the username), the booth with fleet.mqtt.tls.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { boothChild } from './fleet-child.ts';
import { freePort, Mosquitto, until, watcher } from './mosquitto.ts';

const pki = mkdtempSync(join(tmpdir(), 'fleet-pki-'));
const file = (name: string) => join(pki, name);
const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });

/** A CA, and a certificate it signs for `cn` (with `san` as subjectAltName for a server). */
function makeCa(name: string): void {
  openssl(
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-days',
    '2',
    '-subj',
    `/CN=${name}`,
    '-keyout',
    file(`${name}.key`),
    '-out',
    file(`${name}.crt`),
  );
}
function sign(ca: string, name: string, cn: string, san?: string): void {
  openssl(
    'req',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-subj',
    `/CN=${cn}`,
    '-keyout',
    file(`${name}.key`),
    '-out',
    file(`${name}.csr`),
  );
  writeFileSync(file(`${name}.ext`), san ? `subjectAltName=${san}\n` : 'extendedKeyUsage=clientAuth\n');
  openssl(
    'x509',
    '-req',
    '-in',
    file(`${name}.csr`),
    '-CA',
    file(`${ca}.crt`),
    '-CAkey',
    file(`${ca}.key`),
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    file(`${name}.ext`),
    '-out',
    file(`${name}.crt`),
  );
}

let broker: Mosquitto;
let tlsPort: number;
const undo: (() => unknown)[] = [];
beforeAll(async () => {
  makeCa('fleet-ca');
  makeCa('other-ca');
  sign('fleet-ca', 'broker', '127.0.0.1', 'IP:127.0.0.1');
  sign('fleet-ca', 'booth', 'booth-tls');
  sign('other-ca', 'stranger', 'booth-stranger');
  tlsPort = await freePort();
  broker = await Mosquitto.start([
    `listener ${tlsPort} 127.0.0.1`,
    `cafile ${file('fleet-ca.crt')}`,
    `certfile ${file('broker.crt')}`,
    `keyfile ${file('broker.key')}`,
    'require_certificate true',
    'use_identity_as_username true',
  ]);
});
afterEach(async () => {
  for (const step of undo.splice(0).reverse()) await step();
});
afterAll(async () => {
  await broker?.close();
  rmSync(pki, { recursive: true, force: true });
});

describe('fleet over TLS with a client certificate', () => {
  it('a booth with the CA and its certificate is online; one whose certificate another CA signed is refused', async () => {
    const tech = await watcher(broker.url());
    undo.push(() => tech.client.endAsync(true));
    const tls = { ca: file('fleet-ca.crt'), cert: file('booth.crt'), key: file('booth.key') };
    const booth = await boothChild(undo, { url: `mqtts://127.0.0.1:${tlsPort}`, tls });
    await until('online over TLS', () =>
      tech.got.find((m) => m.topic === `booths/${booth.unit}/status` && m.payload.status === 'online'),
    );
    expect(booth.log()).toContain('"broker":"mqtts://127.0.0.1');

    const stranger = await boothChild(undo, {
      url: `mqtts://127.0.0.1:${tlsPort}`,
      tls: { ca: file('fleet-ca.crt'), cert: file('stranger.crt'), key: file('stranger.key') },
    });
    await until('the refusal', () => stranger.log().includes('fleet: broker refused or failed'), 20_000);
    // A booth that does not know the broker's CA does not talk to it either.
    const untrusting = await boothChild(undo, {
      url: `mqtts://127.0.0.1:${tlsPort}`,
      tls: { ...tls, ca: file('other-ca.crt') },
    });
    await until('the refusal', () => untrusting.log().includes('fleet: broker refused or failed'), 20_000);
    await new Promise((r) => setTimeout(r, 500));
    for (const unit of [stranger.unit, untrusting.unit])
      expect(tech.got.filter((m) => m.topic.startsWith(`booths/${unit}/`))).toEqual([]);
  }, 90_000);
});
