import { describe, expect, it } from 'vitest';
import { boothConfigSchema } from '../../config/schema.ts';
import { defaultBillValues, defaultCoinValues } from '../../hardware/payment/cctalk/cctalk-config.ts';

/** The parsed `hardware.payment`, or the issues as `path: message` lines. */
function payment(input: unknown, rest: Record<string, unknown> = {}) {
  const parsed = boothConfigSchema.safeParse({ hardware: { payment: input }, ...rest });
  if (parsed.success) return { ok: true as const, payment: parsed.data.hardware.payment };
  return {
    ok: false as const,
    issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
  };
}

function issues(input: unknown, rest: Record<string, unknown> = {}): string[] {
  const result = payment(input, rest);
  expect(result.ok).toBe(false);
  return result.ok ? [] : result.issues;
}

describe('hardware.payment: ccTalk', () => {
  it('fills in the euro coin acceptor at 2 and the bill validator at 40 with escrow', () => {
    const result = payment({ adapter: 'cctalk', port: '/dev/ttyUSB0' });
    expect(result).toEqual({
      ok: true,
      payment: {
        adapter: 'cctalk',
        port: '/dev/ttyUSB0',
        checksum: 'simple8',
        echo: true,
        pollMs: 200,
        coin: { address: 2, values: defaultCoinValues },
        bill: { address: 40, values: defaultBillValues, escrow: true },
      },
    });
    // The default tables are the default money lists, id for value.
    const defaults = boothConfigSchema.parse({});
    expect(Object.values(defaultCoinValues)).toEqual(defaults.money.coins);
    expect(Object.values(defaultBillValues)).toEqual(defaults.money.bills);
    // Parsing the result again changes nothing.
    const config = boothConfigSchema.parse({
      hardware: { payment: { adapter: 'cctalk', port: 'simulator' } },
    });
    expect(boothConfigSchema.parse(config)).toEqual(config);
  });

  it('takes every field: CRC-16, no echo, poll interval, own tables, no bill validator', () => {
    const result = payment({
      adapter: 'cctalk',
      port: 'simulator',
      checksum: 'crc16',
      echo: false,
      pollMs: 500,
      coin: { address: 3, values: { EU100A: 100, EU200A: 200, EU200B: 200 } },
      bill: null,
    });
    expect(result.ok && result.payment).toMatchObject({
      port: 'simulator',
      checksum: 'crc16',
      echo: false,
      pollMs: 500,
      coin: { address: 3, values: { EU100A: 100, EU200A: 200, EU200B: 200 } },
      bill: null,
    });
    const billsOnly = payment({ adapter: 'cctalk', port: 'COM3', coin: null, bill: { escrow: false } });
    expect(billsOnly.ok && billsOnly.payment).toMatchObject({
      coin: null,
      bill: { address: 40, escrow: false, values: defaultBillValues },
    });
  });

  it('keeps the older coinAddress and billAddress working', () => {
    const result = payment({
      adapter: 'cctalk',
      port: '/dev/ttyS0',
      coinAddress: 3,
      billAddress: 41,
      echo: false,
    });
    expect(result.ok && result.payment).toMatchObject({
      echo: false,
      coin: { address: 3, values: defaultCoinValues },
      bill: { address: 41, values: defaultBillValues, escrow: true },
    });
    expect(result.ok && 'coinAddress' in result.payment).toBe(false);
    expect(issues({ adapter: 'cctalk', port: '/dev/ttyS0', coinAddress: 3, coin: { address: 4 } })).toEqual([
      'hardware.payment.coinAddress: is the older spelling of coin.address and disagrees with it (3 and 4); give only coin.address',
    ]);
    expect(issues({ adapter: 'cctalk', port: '/dev/ttyS0', billAddress: 41, bill: null })[0]).toMatch(
      /^hardware\.payment\.billAddress: .*null/,
    );
  });

  it('names each wrong field', () => {
    expect(issues({ adapter: 'cctalk', port: 'ttyUSB0', checksum: 'crc8', pollMs: 50, echo: 'yes' })).toEqual(
      [
        'hardware.payment.port: must be a device path like "/dev/ttyUSB0" (or "COM3"), or "simulator" for the built-in ccTalk emulators',
        'hardware.payment.checksum: Invalid option: expected one of "simple8"|"crc16"',
        'hardware.payment.echo: Invalid input: expected boolean, received string',
        'hardware.payment.pollMs: must be 100 to 500 ms',
      ],
    );
    expect(issues({ adapter: 'cctalk', port: '' })).toEqual([
      'hardware.payment.port: must name the serial port, like "/dev/ttyUSB0", or be "simulator"',
      'hardware.payment.port: must be a device path like "/dev/ttyUSB0" (or "COM3"), or "simulator" for the built-in ccTalk emulators',
    ]);
    const wrongTables = issues({
      adapter: 'cctalk',
      port: '/dev/ttyUSB0',
      coin: { address: 1, values: { EU2: 200, EU050A: 0 } },
      bill: { values: { EU10A: 1000 }, escrow: 'no' },
    });
    expect(wrongTables).toContain(
      'hardware.payment.coin.address: must be 2 to 255 (0 is broadcast, 1 is the host)',
    );
    expect(wrongTables).toContain('hardware.payment.coin.values.EU050A: must be above 0');
    expect(wrongTables).toContain(
      'hardware.payment.coin.values.EU2: "EU2" is not a ccTalk coin id: 6 characters like "EU200A"',
    );
    expect(wrongTables).toContain(
      'hardware.payment.bill.values.EU10A: "EU10A" is not a ccTalk bill id: 7 characters like "EU0010A"',
    );
    expect(wrongTables).toContain(
      'hardware.payment.bill.escrow: Invalid input: expected boolean, received string',
    );
    expect(issues({ adapter: 'cctalk', port: '/dev/ttyUSB0', coin: { values: {} } })).toEqual([
      'hardware.payment.coin.values: needs at least one coin id',
    ]);
    expect(issues({ adapter: 'cctalk', port: '/dev/ttyUSB0', coins: {} })).toEqual([
      'hardware.payment: Unrecognized key: "coins"',
    ]);
  });

  it('needs one device, each at its own address', () => {
    expect(issues({ adapter: 'cctalk', port: '/dev/ttyUSB0', coin: null, bill: null })).toEqual([
      'hardware.payment.coin: coin and bill are both null: the booth needs one',
    ]);
    expect(issues({ adapter: 'cctalk', port: '/dev/ttyUSB0', bill: { address: 2 } })).toEqual([
      "hardware.payment.bill.address: is 2, the coin acceptor's address too: each device on the line needs its own",
    ]);
  });

  it('takes only coins and notes that money.coins and money.bills list', () => {
    expect(
      issues(
        { adapter: 'cctalk', port: '/dev/ttyUSB0', coin: { values: { EU200A: 200, EU500A: 500 } } },
        { money: { bills: [500, 1000] } },
      ),
    ).toEqual([
      'hardware.payment.coin.values.EU500A: 500 is not in money.coins (10, 20, 50, 100, 200): add it there or drop EU500A',
      'hardware.payment.bill.values.EU0020A: 2000 is not in money.bills (500, 1000): add it there or drop EU0020A',
    ]);
  });

  it('leaves the simulated payment device as it was', () => {
    expect(payment(undefined)).toEqual({ ok: true, payment: { adapter: 'simulated' } });
    expect(payment({ adapter: 'simulated', seed: 3 })).toEqual({
      ok: true,
      payment: { adapter: 'simulated', seed: 3 },
    });
    expect(issues({ adapter: 'mdb', port: '/dev/ttyUSB0' })[0]).toMatch(/^hardware\.payment\.adapter: /);
  });
});
