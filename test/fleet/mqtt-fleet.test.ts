// The fleet over a real broker: Debian's Mosquitto on 127.0.0.1, a booth in a child process
// (so it can be killed -9) and a technician's client subscribed to booths/#.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import { stopChild } from '../support/stop-child.ts';
import { boothChild } from './fleet-child.ts';
import { brokerUser, Mosquitto, until, watcher, type Received } from './mosquitto.ts';

let broker: Mosquitto;
const undo: (() => unknown)[] = [];

beforeAll(async () => {
  broker = await Mosquitto.start();
});
afterEach(async () => {
  for (const step of undo.splice(0).reverse()) await step();
});
afterAll(async () => {
  await broker?.close();
});

async function technician(): Promise<{ client: MqttClient; got: Received[] }> {
  const w = await watcher(broker.url());
  undo.push(() => w.client.endAsync(true));
  return w;
}

/** What a client that connects now is handed as retained on the unit's status topic. */
async function retainedStatus(unit: string): Promise<Record<string, unknown>> {
  const late = await technician();
  const found = await until('the retained status', () =>
    late.got.find((m) => m.topic === `booths/${unit}/status` && m.retain),
  );
  return found.payload;
}

const alertsOf = (got: Received[], unit: string) =>
  got.filter((m) => m.topic === `booths/${unit}/events` && m.payload.type === 'alert').map((m) => m.payload);

describe('fleet presence and alerts over MQTT (Mosquitto)', () => {
  it('online is retained; an out-of-paper printer is one paper-empty alert and one clear; kill -9 leaves the retained last will', async () => {
    const tech = await technician();
    const booth = await boothChild(
      undo,
      { url: broker.url(), ...brokerUser, statusEveryMs: 1_000 },
      { cashBox: { coins: 10, nearlyFullShare: 0.9 } },
    );
    const status = `booths/${booth.unit}/status`;
    await until('online', () => tech.got.find((m) => m.topic === status && m.payload.status === 'online'));
    const retained = await retainedStatus(booth.unit);
    expect(retained).toMatchObject({ status: 'online', version: expect.any(String) as string });
    expect(Date.parse(retained.time as string)).toBeGreaterThan(0);

    // The periodic summary: devices, prints left, cash box counts; no money amounts.
    const summary = await until('a status summary', () =>
      tech.got.find((m) => m.topic === `booths/${booth.unit}/events` && m.payload.type === 'status'),
    );
    expect(summary.payload).toMatchObject({
      unit: booth.unit,
      devicesDown: [],
      cashBox: { coins: 0, notes: 0 },
    });
    expect(summary.payload.printsLeft).toEqual(expect.any(Number));
    expect(JSON.stringify(summary.payload)).not.toMatch(/takings|cashIn|revenue|amount/);

    booth.send('fault printer out-of-paper');
    const empty = await until('paper-empty', () =>
      alertsOf(tech.got, booth.unit).find((a) => a.alert === 'paper-empty'),
    );
    expect(empty).toMatchObject({ active: true, reason: 'media-empty', unit: booth.unit });
    // Several summaries later it has not been sent again: an alert goes when it starts and clears.
    const summaries = () => tech.got.filter((m) => m.payload.type === 'status').length;
    const before = summaries();
    await until('two more summaries', () => summaries() >= before + 2);
    expect(alertsOf(tech.got, booth.unit).filter((a) => a.alert === 'paper-empty')).toHaveLength(1);
    booth.send('clear printer');
    await until('paper-empty cleared', () =>
      alertsOf(tech.got, booth.unit).find((a) => a.alert === 'paper-empty' && a.active === false),
    );

    booth.send('coins 9');
    const full = await until('cash-box-nearly-full', () =>
      alertsOf(tech.got, booth.unit).find((a) => a.alert === 'cash-box-nearly-full'),
    );
    expect(full).toMatchObject({ active: true, reason: 'coins' });
    booth.send('fault camera disconnect');
    await until('camera-down', () =>
      alertsOf(tech.got, booth.unit).find((a) => a.alert === 'camera-down' && a.active),
    );

    booth.child.kill('SIGKILL');
    const will = await until('the last will', () =>
      tech.got.find((m) => m.topic === status && m.payload.status === 'offline'),
    );
    expect(will.payload).toMatchObject({ status: 'offline', reason: 'connection-lost' });
    expect(await retainedStatus(booth.unit)).toMatchObject({ status: 'offline', reason: 'connection-lost' });
    // The password went to the broker only, never into a log line.
    expect(booth.log()).toContain('fleet: connected to broker');
    expect(booth.log()).not.toContain(brokerUser.password);
  }, 90_000);

  it('a clean stop says offline (shutdown) itself: a clean disconnect fires no will', async () => {
    const tech = await technician();
    const booth = await boothChild(undo, { url: broker.url(), ...brokerUser });
    const status = `booths/${booth.unit}/status`;
    await until('online', () => tech.got.find((m) => m.topic === status && m.payload.status === 'online'));
    await stopChild(booth.child, 10_000);
    expect(booth.child.exitCode).toBe(0);
    expect(await retainedStatus(booth.unit)).toMatchObject({ status: 'offline', reason: 'shutdown' });
  }, 60_000);

  it('a refused login is logged once, without the password, and tried again until the broker takes it', async () => {
    const tech = await technician();
    const account = { username: `late-${process.pid}`, password: 'not-yet-known-xyz' };
    const booth = await boothChild(undo, { url: broker.url(), ...account });
    await until('the refusal in the log', () => booth.log().includes('fleet: broker refused or failed'));
    // It keeps trying (every 200 ms here), and says so once, not at every refusal.
    await new Promise((r) => setTimeout(r, 1_500));
    expect(booth.log().split('fleet: broker refused or failed')).toHaveLength(2);
    expect(booth.log()).not.toContain('fleet: connected to broker');
    // The fleet adds the booth's account on the broker: the booth is online without a restart.
    broker.addUser(account.username, account.password);
    await until('online', () =>
      tech.got.find((m) => m.topic === `booths/${booth.unit}/status` && m.payload.status === 'online'),
    );
    expect(booth.log()).not.toContain(account.password);
  }, 60_000);

  it('while the broker is away alerts wait in a bounded queue: the newest go out on reconnect, the oldest are dropped and counted', async () => {
    // The watcher keeps its session across the broker's restart (persistence), so nothing sent
    // to it while it reconnects is lost on our side of the test.
    const tech = await watcher(broker.url(), { clientId: `tech-${process.pid}`, clean: false });
    undo.push(() => tech.client.endAsync(true));
    const booth = await boothChild(undo, {
      url: broker.url(),
      ...brokerUser,
      queueLimit: 3,
      statusEveryMs: 600_000,
    });
    const status = `booths/${booth.unit}/status`;
    await until('online', () => tech.got.find((m) => m.topic === status && m.payload.status === 'online'));
    await broker.stop();
    await until('the booth to see the broker gone', () =>
      booth.log().includes('fleet: broker connection lost'),
    );
    const logged = booth.log().length;
    booth.send('fault printer out-of-paper');
    await new Promise((r) => setTimeout(r, 700));
    booth.send('clear printer');
    await new Promise((r) => setTimeout(r, 700));
    booth.send('fault camera disconnect');
    await new Promise((r) => setTimeout(r, 1_000));
    const seenBefore = alertsOf(tech.got, booth.unit).length;
    await broker.restart();
    await until('the booth back on the broker', () =>
      booth.log().slice(logged).includes('fleet: connected to broker'),
    );
    // What the booth raised while offline, in order, from its own log (up to its reconnect).
    const offlineLog = booth.log().slice(logged);
    const raised = offlineLog
      .slice(0, offlineLog.indexOf('fleet: connected to broker'))
      .split('\n')
      .filter((l) => l.includes('"fleet: alert"'))
      .map((l) => JSON.parse(l) as { alert: string; active: boolean });
    expect(raised.length).toBeGreaterThan(3);
    await until('the queued alerts', () => alertsOf(tech.got, booth.unit).length - seenBefore >= 3, 20_000);
    await new Promise((r) => setTimeout(r, 500));
    // Exactly the newest three, in order.
    // The queue goes out on connect before anything new: an alert raised since comes after it.
    const delivered = alertsOf(tech.got, booth.unit).slice(seenBefore, seenBefore + 3);
    expect(delivered.map((a) => [a.alert, a.active])).toEqual(
      raised.slice(-3).map((a) => [a.alert, a.active]),
    );
    booth.send('stats');
    const stats = await until('stats', () => booth.lines.find((l) => l.stats));
    expect(stats.stats).toEqual({ dropped: raised.length - 3 });
  }, 90_000);
});
