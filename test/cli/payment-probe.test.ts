import { afterEach, describe, expect, it } from 'vitest';
import {
  CcTalkEmulators,
  emulatorSerialNumbers,
} from '../../hardware/payment/cctalk/emulators/cctalk-emulators.ts';
import { openPtyPair } from '../../hardware/payment/cctalk/emulators/pty-pair.ts';
import { runKiosk } from '../support/run-kiosk.ts';

const kiosk = (args: string[]) => runKiosk(args);

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** The ccTalk emulators on a real pty pair, as `port: "simulator"` runs them. */
async function emulators(checksum: 'simple8' | 'crc16' = 'simple8', echo = true) {
  const e = await CcTalkEmulators.open({
    checksum,
    echo,
    coin: { address: 2, values: { EU050A: 50, EU100A: 100, EU200A: 200 } },
    bill: { address: 40, values: { EU0005A: 500, EU0010A: 1000 }, escrow: true },
  });
  closers.push(() => e.close());
  return e;
}

describe('kiosk payment probe', () => {
  it('prints the coin acceptor’s identity and status as JSON', async () => {
    const e = await emulators();
    e.coin!.loseEvents(3); // something happened before: the event counter shows it
    const { code, stdout, stderr } = await kiosk(['payment', 'probe', '--port', e.hostPath]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toEqual({
      port: e.hostPath,
      checksum: 'simple8',
      echo: true,
      address: 2,
      category: 'Coin Acceptor',
      manufacturer: 'Booth Sim',
      productCode: 'SIMCOIN',
      serialNumber: emulatorSerialNumbers.coin,
      channels: [
        { channel: 1, id: 'EU050A' },
        { channel: 2, id: 'EU100A' },
        { channel: 3, id: 'EU200A' },
      ],
      masterInhibit: true,
      status: {
        selfCheckFault: 0,
        enabledChannels: [],
        eventCounter: 3,
        line: expect.objectContaining({ retries: 0, noise: 0 }),
      },
      // The usual settings answered at once: nothing else was tried.
      tried: [],
    });
    // Probing only asks: nothing on the device changed.
    expect(e.coin!.accepting).toBe(false);
    expect(e.coin!.eventCounter).toBe(3);
  }, 30_000);

  it('finds the bill validator with --device bill, over CRC-16 and a line without echo', async () => {
    const e = await emulators('crc16', false);
    const { code, stdout } = await kiosk([
      'payment',
      'probe',
      '--port',
      e.hostPath,
      '--device',
      'bill',
      '--checksum',
      'crc16',
      '--no-echo',
    ]);
    expect(code).toBe(0);
    const probed = JSON.parse(stdout);
    expect(probed).toMatchObject({
      checksum: 'crc16',
      echo: false,
      address: 40,
      category: 'Bill Validator',
      productCode: 'SIMBILL',
      serialNumber: emulatorSerialNumbers.bill,
      channels: [
        { channel: 1, id: 'EU0005A' },
        { channel: 2, id: 'EU0010A' },
      ],
      status: { selfCheckFault: 0, eventCounter: 0 },
    });
  }, 30_000);

  it('finds the checksum and echo by itself when they are left out, and says what it tried', async () => {
    // An independent coin acceptor on an RS-232 adapter: CRC-16 and no echo, neither given.
    const e = await emulators('crc16', false);
    const { code, stdout, stderr } = await kiosk(['payment', 'probe', '--port', e.hostPath]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const probed = JSON.parse(stdout) as { tried: { checksum: string; echo: boolean; error: string }[] };
    expect(probed).toMatchObject({ checksum: 'crc16', echo: false, category: 'Coin Acceptor' });
    expect(probed.tried.map(({ checksum, echo }) => ({ checksum, echo }))).toEqual([
      { checksum: 'simple8', echo: true },
      { checksum: 'simple8', echo: false },
      { checksum: 'crc16', echo: true },
    ]);
    for (const t of probed.tried) expect(t.error).toMatch(/\S/);
    // What is given is not searched: --echo on this line finds nothing.
    const told = await kiosk(['payment', 'probe', '--port', e.hostPath, '--checksum', 'crc16', '--echo']);
    expect(told.code).toBe(1);
    expect(told.stderr).toContain('(crc16 checksum, echo on)');
  }, 60_000);

  it('says nothing answered and exits 1 when the line is silent or the address is wrong', async () => {
    const pair = await openPtyPair();
    closers.push(() => pair.close());
    const silent = await kiosk(['payment', 'probe', '--port', pair.hostPath, '--no-echo']);
    expect(silent.code).toBe(1);
    expect(silent.stdout).toBe('');
    expect(silent.stderr).toContain(
      `no valid reply from a ccTalk device at address 2 on ${pair.hostPath} ` +
        '(simple8 checksum, echo off; crc16 checksum, echo off)',
    );
    expect(silent.stderr).toContain('no reply within');

    const e = await emulators();
    const elsewhere = await kiosk(['payment', 'probe', '--port', e.hostPath, '--address', '9']);
    expect(elsewhere.code).toBe(1);
    expect(elsewhere.stderr).toContain('no valid reply from a ccTalk device at address 9');

    const missing = await kiosk(['payment', 'probe', '--port', '/dev/no-such-ccTalk-port']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('cannot open the serial port /dev/no-such-ccTalk-port');
  }, 60_000);

  it('refuses a wrong call with exit 2 and the usage', async () => {
    for (const [args, message] of [
      [['payment', 'probe'], '--port PATH'],
      [['payment'], 'payment needs a subcommand: probe'],
      [['payment', 'poke', '--port', '/dev/ttyUSB0'], 'unknown payment subcommand "poke"'],
      [
        ['payment', 'probe', '--port', '/dev/ttyUSB0', '--device', 'hopper'],
        '--device must be "coin" or "bill"',
      ],
      [['payment', 'probe', '--port', '/dev/ttyUSB0', '--checksum', 'crc8'], '--checksum must be'],
      [['payment', 'probe', '--port', '/dev/ttyUSB0', '--address', '300'], '--address must be 2 to 255'],
      [['payment', 'probe', '--port', '/dev/ttyUSB0', '--address', '1'], '--address must be a whole number'],
    ] as const) {
      const { main } = await import('../../app/cli/main.ts');
      const err: string[] = [];
      const code = await main([...args], { out: () => {}, err: (l) => err.push(l) });
      expect(code, args.join(' ')).toBe(2);
      expect(err.join('\n')).toContain(message);
      expect(err.join('\n')).toContain('kiosk payment probe --port PATH');
    }
  });
});
