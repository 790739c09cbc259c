// The systemd notify protocol against a real unix datagram socket the test opens, through
// systemd's own systemd-notify as the booth sends it.
import { afterEach, describe, expect, it } from 'vitest';
import { SystemdNotifier, watchdogEveryMs } from '../../app/fleet/systemd-notify.ts';
import { boothAlive, SystemdWatchdog } from '../../app/fleet/systemd-watchdog.ts';
import { silentLogger } from '../../app/logging/logger.ts';
import { cleanUp, running, unitDir } from '../host/control-fixture.ts';
import { until } from './mosquitto.ts';
import { NotifySocket } from './notify-socket.ts';

const undo: (() => unknown)[] = [];
afterEach(async () => {
  for (const step of undo.splice(0).reverse()) await step();
  await cleanUp();
});

async function socket(): Promise<NotifySocket> {
  const s = await NotifySocket.open();
  undo.push(() => s.close());
  return s;
}
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('systemd notify', () => {
  it('sends nothing without NOTIFY_SOCKET; pings at half of WATCHDOG_USEC, and only for this process', () => {
    expect(SystemdNotifier.fromEnv({}, silentLogger())).toBeNull();
    expect(watchdogEveryMs({})).toBeNull();
    expect(watchdogEveryMs({ WATCHDOG_USEC: '30000000' })).toBe(15_000);
    expect(watchdogEveryMs({ WATCHDOG_USEC: '30000000', WATCHDOG_PID: String(process.pid) })).toBe(15_000);
    expect(watchdogEveryMs({ WATCHDOG_USEC: '30000000', WATCHDOG_PID: '1' })).toBeNull();
  });

  it('READY=1 with the main pid, STOPPING=1, each a datagram on the socket', async () => {
    const s = await socket();
    const notifier = SystemdNotifier.fromEnv({ NOTIFY_SOCKET: s.path }, silentLogger())!;
    expect(await notifier.ready()).toBe(true);
    expect(await notifier.stopping()).toBe(true);
    await until('two messages', () => s.messages.filter((m) => !m.startsWith('BARRIER')).length >= 2, 5_000);
    expect(s.messages.filter((m) => !m.startsWith('BARRIER'))).toEqual([
      `READY=1\nMAINPID=${process.pid}`,
      'STOPPING=1',
    ]);
  });

  it('a socket nobody listens on is reported, not thrown', async () => {
    const notifier = SystemdNotifier.fromEnv({ NOTIFY_SOCKET: '/nonexistent/notify.sock' }, silentLogger())!;
    expect(await notifier.watchdog()).toBe(false);
  });

  it('WATCHDOG=1 goes periodically while the flow is alive, and stops while it is stuck', async () => {
    const s = await socket();
    const notifier = SystemdNotifier.fromEnv({ NOTIFY_SOCKET: s.path }, silentLogger())!;
    let alive = true;
    const watchdog = new SystemdWatchdog({
      notifier,
      everyMs: 150,
      alive: () => alive,
      logger: silentLogger(),
    });
    watchdog.start();
    undo.push(() => watchdog.stop());
    await until('three pings', () => s.count('WATCHDOG=1') >= 3, 10_000);
    alive = false;
    // A ping already on its way may still land: wait for it, then count.
    await until('no ping on its way', () => !watchdog.sending, 10_000);
    await pause(300);
    const stuck = s.count('WATCHDOG=1');
    await pause(900);
    expect(s.count('WATCHDOG=1')).toBe(stuck);
    alive = true;
    await until('pings again', () => s.count('WATCHDOG=1') >= stuck + 2, 10_000);
  });

  it('the booth is alive while its flow runs, and not once the flow has stopped', async () => {
    const { host } = await running(unitDir());
    const alive = boothAlive(host);
    expect(alive()).toBe(true);
    await host.booth.stop();
    expect(alive()).toBe(false);
  });
});
