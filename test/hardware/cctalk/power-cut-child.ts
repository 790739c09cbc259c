/**
 * The booth's payment path in a process of its own, for the power-cut test: a ccTalk host on the
 * pty at argv[2], the ccTalk adapter for a coin acceptor at address 2, a cash desk and the credit
 * journal at argv[3]. It turns acceptance on, says `{"ready":true}` and runs for RUN_MS.
 *
 * POWER_CUT=before-write or after-write makes it SIGKILL itself just before or just after the
 * journal writes the first credit (the journal's recordInserted is wrapped here, in the test
 * script only): a power cut between a credit event and its journal write, or right after it.
 */
import { CashDesk } from '../../../app/booth/cash-desk.ts';
import { silentLogger } from '../../../app/logging/logger.ts';
import { CreditJournal } from '../../../app/money/credit-journal.ts';
import { SystemClock } from '../../../core/clock.ts';
import { CcTalkHost } from '../../../hardware/payment/cctalk/driver/cctalk-host.ts';
import { CcTalkPayment } from '../../../hardware/payment/cctalk/adapter/cctalk-payment.ts';

const say = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);

const [hostPath, journalFile] = process.argv.slice(2);
if (!hostPath || !journalFile) throw new Error('usage: power-cut-child.ts <host pty> <journal file>');
const powerCut = process.env.POWER_CUT;

const journal = CreditJournal.open(journalFile);
if (powerCut === 'before-write' || powerCut === 'after-write') {
  const record = journal.recordInserted.bind(journal);
  const die = (ref: string): never => {
    say({ powerCut, ref });
    process.kill(process.pid, 'SIGKILL');
    for (;;) {
      // the signal is on its way
    }
  };
  journal.recordInserted = (credit, options) => {
    if (powerCut === 'before-write') die(credit.ref);
    const written = record(credit, options);
    return die(credit.ref) ?? written;
  };
}

const host = await CcTalkHost.open(hostPath, {
  checksum: 'simple8',
  echo: false,
  timeoutMs: 60,
  interByteTimeoutMs: 20,
  retries: 2,
});
const device = new CcTalkPayment({
  link: host,
  currency: 'EUR',
  coin: { address: 2, values: { EU050A: 50, EU100A: 100, EU200A: 200 } },
  counters: journal,
  pollMs: 100,
});
device.onEvent((event) => say({ event }));
const desk = new CashDesk({
  device,
  journal,
  clock: new SystemClock(),
  logger: silentLogger(),
  currentSession: () => 'power-cut-session',
  tell: (event) => say({ told: event }),
});
desk.start();
await device.open();
await device.setAcceptance(true);
say({ ready: true, balance: journal.balance() });
await new Promise((resolve) => setTimeout(resolve, Number(process.env.RUN_MS ?? 1_000)));
await device.close();
desk.stop();
await host.close();
say({ done: true, balance: journal.balance() });
journal.close();
