import { describe, expect, it } from 'vitest';
import { boothConfigSchema } from '../../config/schema.ts';

/** The parsed `hardware.hopper`, or the issues as `path: message` lines. */
function hopper(input: unknown, hardware: Record<string, unknown> = {}) {
  const parsed = boothConfigSchema.safeParse({ hardware: { hopper: input, ...hardware } });
  if (parsed.success) return { ok: true as const, hopper: parsed.data.hardware.hopper };
  return { ok: false as const, issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) };
}

function issues(input: unknown, hardware: Record<string, unknown> = {}): string[] {
  const result = hopper(input, hardware);
  expect(result.ok, 'the config should be refused').toBe(false);
  return result.ok ? [] : result.issues;
}

const ccTalkPayment = { payment: { adapter: 'cctalk', port: '/dev/ttyUSB0' } };

describe('hardware.hopper', () => {
  it('is none by default: the booth hands vouchers', () => {
    expect(hopper(undefined)).toEqual({ ok: true, hopper: { adapter: 'none' } });
    expect(boothConfigSchema.parse({}).hardware.hopper).toEqual({ adapter: 'none' });
  });

  it('simulated: one euro coins, 200 of them, unless told otherwise', () => {
    expect(hopper({ adapter: 'simulated' })).toEqual({
      ok: true,
      hopper: { adapter: 'simulated', coinValue: 100, coins: 200 },
    });
    expect(hopper({ adapter: 'simulated', coinValue: 50, coins: 0 })).toEqual({
      ok: true,
      hopper: { adapter: 'simulated', coinValue: 50, coins: 0 },
    });
  });

  it('cctalk: at address 3 by default, on the ccTalk payment line, paying the coin it is told', () => {
    expect(hopper({ adapter: 'cctalk', coinValue: 50 }, ccTalkPayment)).toEqual({
      ok: true,
      hopper: { adapter: 'cctalk', address: 3, coinValue: 50 },
    });
    const parsed = boothConfigSchema.parse({
      hardware: { ...ccTalkPayment, hopper: { adapter: 'cctalk', address: 7, coinValue: 200 } },
    });
    expect(boothConfigSchema.parse(parsed)).toEqual(parsed); // parsing again changes nothing
    expect(issues({ adapter: 'cctalk' }, ccTalkPayment)).toEqual([
      'hardware.hopper.coinValue: Invalid input: expected number, received undefined',
    ]);
  });

  it('a ccTalk hopper needs the ccTalk payment line it rides on', () => {
    expect(issues({ adapter: 'cctalk', coinValue: 50 })).toEqual([
      'hardware.hopper.adapter: "cctalk" needs hardware.payment.adapter "cctalk": the hopper shares its serial line (it is "simulated")',
    ]);
  });

  it('a ccTalk hopper needs an address of its own on the line', () => {
    expect(issues({ adapter: 'cctalk', address: 2, coinValue: 50 }, ccTalkPayment)).toEqual([
      "hardware.hopper.address: is 2, the coin acceptor's address too: each device on the line needs its own",
    ]);
    expect(issues({ adapter: 'cctalk', address: 40, coinValue: 50 }, ccTalkPayment)).toEqual([
      "hardware.hopper.address: is 40, the bill validator's address too: each device on the line needs its own",
    ]);
    // Moved out of the way, the coin acceptor's address is free for it.
    expect(
      hopper(
        { adapter: 'cctalk', address: 2, coinValue: 50 },
        { payment: { adapter: 'cctalk', port: '/dev/ttyUSB0', coin: { address: 4 } } },
      ).ok,
    ).toBe(true);
  });

  it('names each wrong field', () => {
    expect(issues({ adapter: 'cctalk', address: 1, coinValue: 0 }, ccTalkPayment)).toEqual([
      'hardware.hopper.address: must be 2 to 255 (0 is broadcast, 1 is the host)',
      'hardware.hopper.coinValue: must be above 0',
    ]);
    expect(issues({ adapter: 'simulated', coinValue: 1.5, coins: -1 })).toEqual([
      'hardware.hopper.coinValue: must be a whole number of minor units',
      'hardware.hopper.coins: must be 0 or more',
    ]);
    expect(issues({ adapter: 'simulated', coinValue: 500_000 })).toEqual([
      'hardware.hopper.coinValue: must be at most 100000 minor units (a coin, not a note)',
    ]);
    expect(issues({ adapter: 'simulated', port: '/dev/ttyUSB1' })).toEqual([
      'hardware.hopper: Unrecognized key: "port"',
    ]);
    expect(issues({ adapter: 'mdb' })[0]).toMatch(/^hardware\.hopper\.adapter: /);
  });
});
