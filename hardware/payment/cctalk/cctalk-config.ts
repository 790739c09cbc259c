import { z } from 'zod';

/**
 * `hardware.payment` for a ccTalk coin acceptor and/or bill validator on one serial line.
 * Values are in the currency's minor unit; each coin or bill id the device reports maps to one.
 */

/** Address 0 is broadcast and 1 the host; peripherals live at 2 to 255. */
const address = z
  .number()
  .int('must be a whole number')
  .min(2, 'must be 2 to 255 (0 is broadcast, 1 is the host)')
  .max(255, 'must be 2 to 255');

/** Coin ids: country, value, issue, e.g. "EU200A"; bill ids have a 4-character value: "EU0010A". */
const idLength = { coin: 6, bill: 7 } as const;
const idExample = { coin: 'EU200A', bill: 'EU0010A' } as const;
const isId = (kind: 'coin' | 'bill', id: string) => id.length === idLength[kind] && /^[\x21-\x7e]+$/.test(id);

/** ccTalk has 16 coin channels; bill validators report bill types 1 to 16 in this booth. */
export const maxChannels = 16;

/** The euro coins of `money.coins`' defaults, as ccTalk coin ids. */
export const defaultCoinValues: Readonly<Record<string, number>> = {
  EU010A: 10,
  EU020A: 20,
  EU050A: 50,
  EU100A: 100,
  EU200A: 200,
};

/** The euro notes of `money.bills`' defaults, as ccTalk bill ids. */
export const defaultBillValues: Readonly<Record<string, number>> = {
  EU0005A: 500,
  EU0010A: 1000,
  EU0020A: 2000,
};

function valueTable(kind: 'coin' | 'bill') {
  return z
    .record(z.string(), z.number().int('must be a whole number of minor units').positive('must be above 0'))
    .superRefine((table, ctx) => {
      const ids = Object.keys(table);
      if (ids.length === 0) ctx.addIssue({ code: 'custom', message: `needs at least one ${kind} id` });
      if (ids.length > maxChannels)
        ctx.addIssue({
          code: 'custom',
          message: `has ${ids.length} ${kind} ids; a ccTalk device has at most ${maxChannels} channels`,
        });
      for (const id of ids) {
        if (!isId(kind, id))
          ctx.addIssue({
            code: 'custom',
            path: [id],
            message: `"${id}" is not a ccTalk ${kind} id: ${idLength[kind]} characters like "${idExample[kind]}"`,
          });
      }
    });
}

const coinSchema = z
  .object({
    address: address.default(2),
    values: valueTable('coin').default(defaultCoinValues),
  })
  .strict();

const billSchema = z
  .object({
    address: address.default(40),
    values: valueTable('bill').default(defaultBillValues),
    /** Hold a note in escrow and stack it only when the session can use it. */
    escrow: z.boolean().default(true),
  })
  .strict();

/** What `port` must look like: a device path, a Windows COM port, or the built-in simulator. */
const port = z
  .string()
  .min(1, 'must name the serial port, like "/dev/ttyUSB0", or be "simulator"')
  .refine(
    (p) => p === 'simulator' || p.startsWith('/') || /^COM\d+$/i.test(p),
    'must be a device path like "/dev/ttyUSB0" (or "COM3"), or "simulator" for the built-in ccTalk emulators',
  );

export const ccTalkPaymentSchema = z
  .object({
    adapter: z.literal('cctalk'),
    /**
     * The serial port, or "simulator": the booth then starts a pty pair (socat) with a ccTalk coin
     * acceptor and bill validator emulator on the other end, for demos without hardware.
     */
    port,
    checksum: z.enum(['simple8', 'crc16']).default('simple8'),
    /** The line hands back every byte sent (a single-wire ccTalk bus does; many RS-232 adapters do not). */
    echo: z.boolean().default(true),
    /** How often buffered credit and bill events are read, ms. */
    pollMs: z
      .number()
      .int('must be a whole number of ms')
      .min(100, 'must be 100 to 500 ms')
      .max(500, 'must be 100 to 500 ms')
      .default(200),
    /** The coin acceptor, or null when the booth has none. Left out: the euro defaults at address 2. */
    coin: coinSchema.nullable().optional(),
    /** The bill validator, or null when the booth has none. Left out: the euro defaults at address 40. */
    bill: billSchema.nullable().optional(),
    /** The older spelling of `coin.address`. */
    coinAddress: address.optional(),
    /** The older spelling of `bill.address`. */
    billAddress: address.optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    const older = [
      ['coinAddress', c.coinAddress, c.coin],
      ['billAddress', c.billAddress, c.bill],
    ] as const;
    for (const [field, legacy, device] of older) {
      if (legacy === undefined || device === undefined) continue;
      const name = field === 'coinAddress' ? 'coin' : 'bill';
      if (device === null)
        ctx.addIssue({
          code: 'custom',
          path: [field],
          message: `gives an address for a ${name} device that ${name} (null) says is not there`,
        });
      else if (device.address !== legacy)
        ctx.addIssue({
          code: 'custom',
          path: [field],
          message: `is the older spelling of ${name}.address and disagrees with it (${legacy} and ${device.address}); give only ${name}.address`,
        });
    }
    const coin = c.coin === undefined ? 'default' : c.coin;
    const bill = c.bill === undefined ? 'default' : c.bill;
    if (coin === null && bill === null)
      ctx.addIssue({
        code: 'custom',
        path: ['coin'],
        message: 'coin and bill are both null: the booth needs one',
      });
    const coinAt = c.coin === undefined ? (c.coinAddress ?? 2) : c.coin?.address;
    const billAt = c.bill === undefined ? (c.billAddress ?? 40) : c.bill?.address;
    if (coinAt !== undefined && coinAt === billAt)
      ctx.addIssue({
        code: 'custom',
        path: ['bill', 'address'],
        message: `is ${billAt}, the coin acceptor's address too: each device on the line needs its own`,
      });
  })
  .transform(({ coinAddress, billAddress, coin, bill, ...rest }) => ({
    ...rest,
    coin:
      coin === undefined
        ? { address: coinAddress ?? 2, values: { ...defaultCoinValues } }
        : coin && { address: coin.address, values: coin.values },
    bill:
      bill === undefined
        ? { address: billAddress ?? 40, values: { ...defaultBillValues }, escrow: true }
        : bill && { address: bill.address, values: bill.values, escrow: bill.escrow },
  }));

export type CcTalkPaymentConfig = z.infer<typeof ccTalkPaymentSchema>;

/**
 * Cross-checks with the rest of the config: every coin and note the device is told to take must
 * be one the booth says it takes (`money.coins`, `money.bills`).
 */
export function checkCcTalkAgainstMoney(
  payment: CcTalkPaymentConfig,
  money: { coins: readonly number[]; bills: readonly number[] },
  addIssue: (path: (string | number)[], message: string) => void,
): void {
  const tables = [
    ['coin', payment.coin?.values, money.coins, 'money.coins'],
    ['bill', payment.bill?.values, money.bills, 'money.bills'],
  ] as const;
  for (const [kind, values, accepted, listName] of tables) {
    // The payment fields may have failed their own checks; only a well-formed table is compared.
    if (!values || typeof values !== 'object' || !Array.isArray(accepted)) continue;
    for (const [id, value] of Object.entries(values)) {
      if (typeof value === 'number' && !accepted.includes(value))
        addIssue(
          ['hardware', 'payment', kind, 'values', id],
          `${value} is not in ${listName} (${accepted.join(', ')}): add it there or drop ${id}`,
        );
    }
  }
}
