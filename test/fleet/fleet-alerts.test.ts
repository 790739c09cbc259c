import { describe, expect, it } from 'vitest';
import { AlertLatch, alertConditions } from '../../app/fleet/fleet-alerts.ts';
import { Outbox, type OutboxMessage } from '../../app/fleet/outbox.ts';
import { fleetConfigSchema } from '../../config/fleet-config.ts';

const limits = fleetConfigSchema.parse({ alerts: { cashBox: { coins: 100, notes: 50 } } }).alerts;
const row = (device: string, reasons: string[] = [], online = true) => ({
  device,
  online,
  ready: online && !reasons.some((r) => r !== 'media-low'),
  reasons,
});
const healthy = {
  outOfServiceReason: null,
  devices: [row('camera'), row('payment'), row('photo-printer')],
  printsLeft: 300,
};
const empty = { coins: 0, notes: 0 };

describe('fleet alert conditions', () => {
  it('a healthy booth has none', () => {
    expect([...alertConditions(healthy, empty, limits)]).toEqual([]);
  });

  it('names each condition with its reason code', () => {
    const on = alertConditions(
      {
        outOfServiceReason: 'devices:photo-printer',
        devices: [
          row('camera', ['disconnected'], false),
          row('payment'),
          row('photo-printer', ['media-empty']),
        ],
        printsLeft: 0,
      },
      { coins: 90, notes: 10 },
      limits,
    );
    expect(Object.fromEntries(on)).toEqual({
      'out-of-service': 'devices:photo-printer',
      'paper-empty': 'media-empty',
      'camera-down': 'disconnected',
      'cash-box-nearly-full': 'coins',
    });
  });

  it('paper low from the printer (media-low) or from the prints left; closed hours are no alert', () => {
    const low = { ...healthy, devices: [row('camera'), row('photo-printer', ['media-low'])] };
    expect(Object.fromEntries(alertConditions(low, empty, limits))).toEqual({ 'paper-low': 'media-low' });
    expect(Object.fromEntries(alertConditions({ ...healthy, printsLeft: 20 }, empty, limits))).toEqual({
      'paper-low': 'prints-left',
    });
    expect(alertConditions({ ...healthy, outOfServiceReason: 'hours:closed' }, empty, limits).size).toBe(0);
  });

  it('no cash box alert without a capacity; notes and coins each against their own', () => {
    const none = fleetConfigSchema.parse({}).alerts;
    expect(alertConditions(healthy, { coins: 10_000, notes: 10_000 }, none).size).toBe(0);
    expect(alertConditions(healthy, { coins: 89, notes: 44 }, limits).size).toBe(0);
    expect(alertConditions(healthy, { coins: 90, notes: 45 }, limits).get('cash-box-nearly-full')).toBe(
      'coins-and-notes',
    );
  });

  it('the latch sends an alert when it starts, when its reason changes and when it clears; never twice', () => {
    const latch = new AlertLatch();
    const on = (entries: [string, string | null][]) =>
      new Map(entries) as Parameters<AlertLatch['update']>[0];
    expect(latch.update(on([['paper-empty', 'media-empty']]))).toEqual([
      { alert: 'paper-empty', active: true, reason: 'media-empty' },
    ]);
    expect(latch.update(on([['paper-empty', 'media-empty']]))).toEqual([]);
    expect(
      latch.update(
        on([
          ['paper-empty', 'media-empty'],
          ['out-of-service', 'a'],
        ]),
      ),
    ).toHaveLength(1);
    expect(
      latch.update(
        on([
          ['paper-empty', 'media-empty'],
          ['out-of-service', 'b'],
        ]),
      ),
    ).toEqual([{ alert: 'out-of-service', active: true, reason: 'b' }]);
    expect(latch.update(on([]))).toEqual([
      { alert: 'paper-empty', active: false, reason: 'media-empty' },
      { alert: 'out-of-service', active: false, reason: 'b' },
    ]);
    expect(latch.active()).toEqual([]);
  });
});

describe('the offline outbox', () => {
  const alert = (n: number): OutboxMessage => ({
    topic: 't',
    payload: String(n),
    retain: false,
    kind: 'alert',
  });
  const status = (n: number): OutboxMessage => ({
    topic: 't',
    payload: `s${n}`,
    retain: false,
    kind: 'status',
  });

  it('keeps the newest up to its limit and counts what it dropped', () => {
    const box = new Outbox(3);
    for (let n = 1; n <= 5; n++) box.push(alert(n));
    expect(box.dropped).toBe(2);
    expect(box.drain().map((m) => m.payload)).toEqual(['3', '4', '5']);
    expect(box.size).toBe(0);
  });

  it('keeps one summary, the newest, in order', () => {
    const box = new Outbox(10);
    box.push(status(1));
    box.push(alert(1));
    box.push(status(2));
    expect(box.drain().map((m) => m.payload)).toEqual(['1', 's2']);
    expect(box.dropped).toBe(0);
  });

  it('puts back what could not go in front of what came since', () => {
    const box = new Outbox(3);
    box.push(alert(3));
    box.putBack([alert(1), alert(2)]);
    expect(box.drain().map((m) => m.payload)).toEqual(['1', '2', '3']);
    expect(() => new Outbox(0)).toThrow(/1 or more/);
  });
});

describe('the fleet config', () => {
  it('refuses credentials in the URL, TLS files on a plain URL, a cert without its key, wildcards in the topic', () => {
    const issue = (mqtt: object) => {
      const result = fleetConfigSchema.safeParse({ mqtt });
      return result.success
        ? null
        : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    };
    expect(issue({ url: 'mqtts://broker.example:8883', username: 'booth', password: 'pw' })).toBeNull();
    expect(issue({ url: 'mqtt://booth:pw@broker:1883' })).toMatch(
      /^mqtt.url: put the credentials in username/,
    );
    expect(issue({ url: 'mqtt://broker:1883', tls: { ca: '/etc/ca.pem' } })).toMatch(/use an mqtts:\/\/ URL/);
    expect(issue({ url: 'mqtts://broker', tls: { cert: '/c.pem' } })).toMatch(/cert and key go together/);
    expect(issue({ url: 'mqtt://broker', topicPrefix: 'booths/#' })).toMatch(/topicPrefix/);
    expect(issue({ url: 'http://broker' })).toMatch(/mqtt:\/\/ or mqtts:\/\//);
  });
});
