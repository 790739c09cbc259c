// A booth in a child process for the fleet tests (it must be killable with SIGKILL): a real
// BoothHost on simulated devices over the data directory in argv[2], with the fleet started as
// `kiosk start` starts it. Commands on stdin, one per line:
//   fault <camera|printer> <fault>   inject a simulator fault (printer out-of-paper, camera disconnect)
//   clear <camera|printer>           clear the device's faults (the printer is refilled)
//   coins <n>                         n coins into the cash box through the payment test (credits nobody)
//   stats                             prints {"stats":{"dropped":n}} (messages the offline queue dropped)
// It prints {"ready":true} once the fleet is started. SIGTERM stops it cleanly.
import { createInterface } from 'node:readline';
import { dataPaths } from '../../config/data-dir.ts';
import { ConfigStore } from '../../config/store.ts';
import { BoothHost } from '../../app/host/booth-host.ts';
import { configuredDevices } from '../../app/host/device-set.ts';
import { demoDevices } from '../../app/host/demo-devices.ts';
import { createLogger } from '../../app/logging/logger.ts';
import { startFleet } from '../../app/fleet/fleet-reporter.ts';
import { boothVersion } from '../../app/fleet/booth-version.ts';
import type { SimFault } from '../../hardware/sim/faults.ts';

const dir = process.argv[2]!;
// Log lines go to stderr: stdout is the test's channel.
const logger = createLogger({
  level: 'info',
  destination: { write: (line: string) => void process.stderr.write(line) },
});
const store = new ConfigStore({ file: dataPaths(dir).config });
const config = store.load();
const host = await BoothHost.open(
  {
    dataDir: dir,
    logger,
    holder: 'fleet test',
    vision: 'none',
    configStore: store,
    devices: ({ clock, journal }) => configuredDevices(clock, { seed: 5, counters: journal }),
  },
  config,
);
await host.start(config);
const fleet = startFleet({ host, logger, version: boothVersion(), startedAt: host.clock.now() });
if (!fleet) throw new Error('the test config has no fleet.mqtt');
const say = (value: object) => process.stdout.write(`${JSON.stringify(value)}\n`);
say({ ready: true });

let coinRef = 0;
createInterface({ input: process.stdin }).on('line', (line) => {
  const [command, device, arg] = line.trim().split(/\s+/);
  const sims = demoDevices(host.booth.devices)!;
  const sim = device === 'camera' ? sims.camera : sims.photoPrinter;
  if (command === 'fault') sim.injectFault(arg as SimFault);
  else if (command === 'clear') sim.clearFault();
  else if (command === 'coins')
    for (let i = 0; i < Number(device); i++)
      host.journal.recordInserted(
        {
          sessionId: 'payment-test',
          ref: `fleet-test-${process.pid}-${++coinRef}`,
          deviceId: 'coin',
          amount: 100,
          currency: 'EUR',
          channel: 'coin',
        },
        { test: true },
      );
  else if (command === 'stats') {
    const link = fleet as unknown as { summary(): { queueDropped: number } };
    say({ stats: { dropped: link.summary().queueDropped } });
  }
});

process.once('SIGTERM', () => {
  void (async () => {
    await fleet.close();
    await host.close();
    process.exit(0);
  })();
});
