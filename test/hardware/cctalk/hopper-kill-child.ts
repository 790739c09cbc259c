/**
 * A process to kill -9 in the middle of a payout, for hopper-kill.test.ts. It says what it does
 * as JSON lines on stdout (a write to a pipe goes out at once, so a line said is a line the
 * test reads, even when the process dies right after).
 *
 *   booth <host pty>             the booth's side of a ccTalk hopper: host + adapter at address 3;
 *                                says {"count"} after open, then pays PAY coins if asked
 *   simulated <state file>       a booth with a simulated hopper on the system clock
 *   emulator <device pty> <file> the ccTalk hopper emulator itself, on the device end of a pty
 *
 * With KILL_AT_COIN=n the simulated hopper or the emulator SIGKILLs itself just after telling
 * coin n (`{"coin": n}`), and with KILL_BEFORE_COIN=n just before telling it: its count is
 * then already durable, the telling not done.
 */
import { SystemClock } from '../../../core/clock.ts';
import { SimulatedHopper } from '../../../hardware/hopper/simulated-hopper.ts';
import { CcTalkHopper } from '../../../hardware/payment/cctalk/adapter/cctalk-hopper.ts';
import { CcTalkHost } from '../../../hardware/payment/cctalk/driver/cctalk-host.ts';
import { SerialTransport } from '../../../hardware/payment/cctalk/driver/serial-transport.ts';
import { CcTalkHopperSimulator } from '../../../hardware/payment/cctalk/emulators/cctalk-hopper-simulator.ts';

const say = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);
const killAt = Number(process.env.KILL_AT_COIN ?? 0);
const killBefore = Number(process.env.KILL_BEFORE_COIN ?? 0);
const pay = Number(process.env.PAY ?? 0);

function die(): never {
  process.kill(process.pid, 'SIGKILL');
  for (;;) {
    // the signal is on its way
  }
}

/** Tells each coin as it leaves; dies where the test asked. */
function tellCoins(onCoin: (listener: (n: number) => void) => void): void {
  onCoin((n) => {
    if (n === killBefore) die();
    say({ coin: n });
    if (n === killAt) die();
  });
}

const [role, path, file] = process.argv.slice(2);
if (role === 'booth') {
  const host = await CcTalkHost.open(path!, { checksum: 'simple8', echo: false, timeoutMs: 60, retries: 2 });
  const hopper = new CcTalkHopper({ link: host, coinValue: 50, pollMs: 20, checkMs: 1_000 });
  await hopper.open();
  say({ ready: true, count: await hopper.dispensedCount(), deviceId: hopper.deviceId });
  if (pay > 0) say({ result: await hopper.payout(pay * 50) });
  await hopper.close();
  await host.close();
} else if (role === 'simulated') {
  const hopper = new SimulatedHopper({
    clock: new SystemClock(),
    coinValue: 50,
    coins: 100,
    coinMs: Number(process.env.COIN_MS ?? 30),
    answerMs: 1,
    stateFile: path,
  });
  tellCoins((listener) => hopper.onCoin(listener));
  await hopper.open();
  say({ ready: true, count: await hopper.dispensedCount() });
  if (pay > 0) say({ result: await hopper.payout(pay * 50) });
  await hopper.close();
} else if (role === 'emulator') {
  const emulator = new CcTalkHopperSimulator(await SerialTransport.open(path!), {
    checksum: 'simple8',
    interByteTimeoutMs: 20,
    coinMs: Number(process.env.COIN_MS ?? 30),
    stateFile: file,
  });
  tellCoins((listener) => emulator.onCoin(listener));
  say({ ready: true, count: emulator.dispensed });
  // It serves the host until the test stops (or kills) it.
  process.on('SIGTERM', () => void emulator.close().then(() => process.exit(0)));
} else {
  throw new Error(`usage: hopper-kill-child.ts booth|simulated|emulator <path> [state file], not ${role}`);
}
