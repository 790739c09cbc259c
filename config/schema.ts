import { z } from 'zod';
import { printMediaIds } from '../core/print-media.ts';
import { durationMs, pathText, text, urlWith } from '../core/config-fields.ts';
import { DocumentCatalogue } from './documents/document-catalogue.ts';
import { documentSpecSchema } from './documents/document-spec.ts';
import { cameraConfigSchema } from '../hardware/camera/index.ts';
import { checkCcTalkAgainstMoney, paymentConfigSchema } from '../hardware/payment/index.ts';
import { checkHopperAgainstPayment, hopperConfigSchema } from '../hardware/hopper/index.ts';
import { photoPrinterConfigSchema } from '../hardware/printer/index.ts';
import { receiptPrinterConfigSchema } from '../hardware/receipt/index.ts';
import { fleetConfigSchema } from './fleet-config.ts';

/**
 * The one schema for a unit's configuration. Every field has a default, so `{}` is a valid
 * config that runs the demo on simulated hardware. Money is in the currency's minor unit.
 */

const minorUnits = z.number().int().nonnegative();
const ms = durationMs();
const languageCode = z
  .string()
  .regex(/^[a-z]{2,3}(-[A-Za-z]{2,4})?$/, 'must be a language code like "en" or "zh-Hans"');
const scryptHash = z
  .string()
  .regex(
    /^scrypt\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/,
    'must be a hash made by `kiosk config set-pin`, not a PIN',
  );

/**
 * Before PIN roles a unit had one PIN, `operator.pinHash`, and it guarded everything there was:
 * it becomes the technician's PIN (every right), so an updated unit keeps starting with its file
 * as it is and the same PIN still opens everything. Anything else passes through untouched.
 */
function legacyOperatorPin(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || !('pinHash' in value)) return value;
  const { pinHash, ...rest } = value as { pinHash: unknown; pins?: unknown };
  if ('pins' in rest) return value; // both: let the strict schema name the stray pinHash
  return { ...rest, pins: { operator: null, technician: pinHash } };
}

/** `"08:00-20:00"`: opening and closing time, 24-hour, local; they may not be equal. */
const openingRange = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/, 'a range like "08:00-20:00"')
  .refine((r) => r.slice(0, 5) !== r.slice(6), 'opening and closing times must differ');

/** `operator`: the PIN roles of operator mode, and how long it waits for a touch. */
export const operatorConfigSchema = z.preprocess(
  legacyOperatorPin,
  z
    .strictObject({
      /**
       * scrypt hashes made by `kiosk config set-pin --role R` or the PIN pad's "change PIN".
       * `operator`: daily work (takings, paper, prices); `technician`: everything. While neither
       * is set the demo PIN 0000 opens `technician`, and on real hardware must be changed at once.
       */
      pins: z
        .strictObject({
          operator: scryptHash.nullable().default(null),
          technician: scryptHash.nullable().default(null),
        })
        .prefault({}),
      /** Operator mode goes back to service after this long without a touch. */
      inactivityMs: ms.default(120_000),
      /**
       * Paper counted by hand (app/operator/paper-stock.ts, for IPP and folder printers that
       * cannot count theirs): below `lowAt` prints left the booth warns `media-low`; at `emptyAt`
       * or fewer it is `media-empty` and takes no more orders (a reserve for a count that is off).
       */
      paper: z
        .strictObject({
          lowAt: z.number().int().min(0).max(10_000).default(20),
          emptyAt: z.number().int().min(0).max(1_000).default(0),
        })
        .prefault({})
        .refine((p) => p.lowAt === 0 || p.emptyAt < p.lowAt, 'emptyAt must be below lowAt'),
      /**
       * When the booth serves, per weekday in its local time (`"08:00-20:00"`; a range may run past
       * midnight; a day left out is closed); null: always open. Outside them the booth shows
       * closed and takes no money.
       */
      openingHours: z
        .strictObject(
          Object.fromEntries(
            (['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const).map((day) => [
              day,
              z.array(openingRange).max(4).optional(),
            ]),
          ) as Record<
            'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun',
            z.ZodOptional<z.ZodArray<typeof openingRange>>
          >,
        )
        .nullable()
        .default(null),
      /**
       * A key that opens the PIN pad (a `KeyboardEvent.code` such as "F12"), for booths with a
       * service key wired as a keyboard; null: only the hidden corner taps open it.
       */
      serviceKey: z
        .string()
        .regex(/^[A-Za-z0-9]{1,24}$/, 'a KeyboardEvent.code such as "F12"')
        .nullable()
        .default(null),
    })
    .prefault({}),
);

export type OperatorRole = 'operator' | 'technician';

/**
 * A unit's raw `operator` block (as its file has it, legacy `pinHash` too) with `role`'s PIN
 * hash set, keeping whatever else the operator wrote there. For the config store's `update`.
 */
export function operatorWithPin(raw: unknown, role: OperatorRole, hash: string): Record<string, unknown> {
  const { pins } = operatorConfigSchema.parse(raw ?? {});
  const kept: Record<string, unknown> = typeof raw === 'object' && raw !== null ? { ...raw } : {};
  delete kept.pinHash;
  return { ...kept, pins: { ...pins, [role]: hash } };
}

export const productSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lower-case letters, digits and dashes'),
  /** Sheets printed for this product. */
  prints: z.number().int().min(0).max(10),
  /** Photos laid out on each sheet. */
  photosPerSheet: z.number().int().min(1).max(16).default(4),
  /** Whether a digital file is produced too. */
  digital: z.boolean().default(false),
  price: minorUnits,
  /** Sold to customers; false: withdrawn by the operator (kept with its price for later). */
  offered: z.boolean().default(true),
});

/**
 * The products customers can choose now: those the operator has not withdrawn, and a digital
 * one only where the booth can email its file (a `mail` server is configured): nobody pays for
 * a file the booth cannot deliver.
 */
export function offeredProducts<P extends { offered: boolean; digital: boolean }>(config: {
  products: readonly P[];
  mail: unknown;
}): P[] {
  return config.products.filter((p) => p.offered && (!p.digital || config.mail !== null));
}

/** The booth's devices: each kind's config schema lives beside its adapters (`hardware/<kind>/`). */
export const hardwareSchema = z
  .strictObject({
    camera: cameraConfigSchema,
    payment: paymentConfigSchema,
    photoPrinter: photoPrinterConfigSchema,
    receiptPrinter: receiptPrinterConfigSchema,
    hopper: hopperConfigSchema,
  })
  .prefault({});

const emailAddress = z.string().trim().max(254).email('must be an email address');

/**
 * `mail`: the SMTP server the outbox sends the digital copy and contact requests through
 * (app/services/outbox). Never plain text: `starttls` (port 587, STARTTLS required) or `tls`
 * (implicit TLS, port 465); the server's certificate is always checked, against the system's
 * CAs or `caFile`. null: the booth sends no mail (no email entry is offered).
 */
export const mailConfigSchema = z
  .strictObject({
    host: text(255),
    port: z.number().int().min(1).max(65535).default(587),
    security: z.enum(['starttls', 'tls']).default('starttls'),
    /** A PEM file of CAs to trust for this server (a private CA), besides the system's. */
    caFile: pathText().nullable().default(null),
    user: text(255),
    /** Never logged and never sent to the screen. */
    password: z.string().min(1).max(1024),
    from: emailAddress,
    /** Where "contact us" requests go. */
    operatorAddress: emailAddress,
    /** The reply time the contact screen promises, in working days. */
    replyWorkingDays: z.number().int().min(1).max(60).default(10),
    /** How long a message may wait for the server before it is shredded unsent; at most the retention. */
    lifetimeHours: z
      .number()
      .positive()
      .max(365 * 24)
      .default(72),
    /** The first retry waits this long, each next one twice as long, up to `maxRetryDelayMs`. */
    firstRetryDelayMs: ms.default(60_000),
    maxRetryDelayMs: ms.default(3_600_000),
    /**
     * For operators who run their own download service: an https URL with `{token}` where the
     * booth puts a random token; the thank-you screen and the receipt show it as a QR code.
     */
    pickupUrlTemplate: urlWith(['https'])
      .refine((u) => u.includes('{token}'), 'must contain {token}')
      .nullable()
      .default(null),
  })
  .refine(
    (m) => m.firstRetryDelayMs <= m.maxRetryDelayMs,
    'firstRetryDelayMs must be at most maxRetryDelayMs',
  );

export type MailConfig = z.infer<typeof mailConfigSchema>;

export const boothConfigSchema = z
  .strictObject({
    unit: z
      .strictObject({
        id: text(64).default('demo-01'),
        name: text(80).default('Photo booth (demo)'),
        /** How a customer reaches the operator (a phone number, an email): shown where money is involved. */
        contact: text(120).nullable().default(null),
      })
      .prefault({}),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code like "EUR"')
      .default('EUR'),
    products: z
      .array(productSchema)
      .min(1, 'needs at least one product')
      .default([
        { id: 'photos-4', prints: 1, photosPerSheet: 4, digital: false, price: 800, offered: true },
        { id: 'photos-8', prints: 2, photosPerSheet: 4, digital: false, price: 1200, offered: true },
        { id: 'photos-4-digital', prints: 1, photosPerSheet: 4, digital: true, price: 1000, offered: true },
      ])
      .refine(
        (products) => new Set(products.map((p) => p.id)).size === products.length,
        'product ids must be unique',
      ),
    documents: z
      .array(text(64))
      .min(1, 'enable at least one document')
      .default(['eu-passport', 'schengen-visa', 'uk-passport', 'us-passport', 'us-visa', 'de-passport']),
    /** The operator's own document specs: new documents, or a built-in one replaced by its id. */
    documentSpecs: z
      .array(documentSpecSchema)
      .default([])
      .refine(
        (specs) => new Set(specs.map((s) => s.id)).size === specs.length,
        'document spec ids must be unique',
      ),
    production: z
      .strictObject({
        /** The photo printer's resolution: photos and sheets are made at exactly this many dots per inch. */
        dpi: z.number().int().min(150).max(1200).default(300),
        /** The media loaded in the photo printer. */
        media: z.enum(printMediaIds).default('4x6'),
        /** Thin marks in the gutters where the photos are cut apart. */
        cutMarks: z.boolean().default(true),
      })
      .prefault({}),
    printing: z
      .strictObject({
        /** A failed print job is tried again this many times, each once the printer is ready again. */
        retries: z.number().int().min(0).max(5).default(1),
        /** How long a retry waits for the printer to be ready again. */
        retryWaitMs: ms.default(10_000),
        /**
         * After the retries: `owe` records the paid prints and prints them as soon as the printer
         * is back (the customer keeps the receipt code); `refund` puts the price back into credit.
         */
        whenFailed: z.enum(['owe', 'refund']).default('owe'),
      })
      .prefault({}),
    languages: z
      .strictObject({
        default: languageCode.default('en'),
        enabled: z.array(languageCode).min(1).default(['en', 'zh', 'es', 'fr', 'de', 'ar']),
      })
      .prefault({})
      .refine(
        (l) => l.enabled.includes(l.default),
        'the default language must be one of the enabled languages',
      ),
    timeouts: z
      .strictObject({
        /** Idle time on a customer screen before "are you still there?". */
        inactivityMs: ms.default(45_000),
        /** How long "are you still there?" waits for an answer before the session ends. */
        stillThereMs: ms.default(15_000),
        /** Longest time in the pose step before capture is offered by hand. */
        poseMs: ms.default(60_000),
        countdownMs: ms.default(3_000),
        thankYouMs: ms.default(15_000),
        /** How often the out-of-service screen re-checks the devices. */
        healthRecheckMs: ms.default(10_000),
        /** How long an error screen stays (with the amount and what happens to it) before it closes. */
        errorNoticeMs: ms.default(30_000),
      })
      .prefault({}),
    retakes: z.number().int().min(0).max(10).default(2),
    money: z
      .strictObject({
        /**
         * What happens to credit a customer leaves behind (cancelled, walked away, overpaid, print
         * failed): `refund` pays it back through the coin hopper (a voucher for what it cannot pay),
         * `voucher` prints a voucher redeemable here for `voucherDays`, `carry` leaves it for the next
         * customer (both customers are told), `keep` keeps it for the operator.
         */
        unusedCredit: z.enum(['refund', 'voucher', 'carry', 'keep']).default('voucher'),
        /** How long a voucher can be redeemed at this booth, days. */
        voucherDays: z.number().int().min(1).max(730).default(90),
        /** Coin and note values the booth accepts, in minor units. */
        coins: z.array(minorUnits.positive()).default([10, 20, 50, 100, 200]),
        bills: z.array(minorUnits.positive()).default([500, 1000, 2000]),
        /** The device cannot pay out change; the screen says so. */
        noChangeGiven: z.boolean().default(true),
        /**
         * A payment device that faults this often (note jams, timeouts) within the window takes
         * the booth out of service until staff restart it or reload its config.
         */
        faultsBeforeOutOfService: z.number().int().min(1).max(100).default(3),
        faultWindowMinutes: z.number().int().min(1).max(1440).default(60),
      })
      .prefault({}),
    storage: z
      .strictObject({
        /**
         * Free space the data directory keeps in reserve: below it the booth takes no money and
         * is out of service (storage:low). Enough for a session's photos, sheets and journal rows.
         */
        reserveMb: z.number().int().min(1).max(1_000_000).default(200),
      })
      .prefault({}),
    retention: z
      .strictObject({
        days: z.number().positive().max(365).default(7),
        wipeAfterPrint: z.boolean().default(false),
        /** Delete by age only once the OS reports a synchronised clock (NTP, GPS). */
        requireClockSync: z.boolean().default(true),
        /** How often the retention wipe runs while the kiosk is up. */
        checkEveryMinutes: z.number().int().min(1).max(1440).default(60),
      })
      .prefault({}),
    vision: z
      .strictObject({
        /**
         * `face`: the face-analysis engine coaches the pose and checks every still against the
         * document. `basic`: coaching and review on exposure and steadiness only (for slow
         * units); the photos are still made with the engine, which the crop needs.
         */
        engine: z.enum(['face', 'basic']).default('face'),
        /** How long every live check must hold before the booth may take the photo. */
        steadyMs: ms.default(1200),
        /**
         * The unit's limits of the mouth and expression checks, live and on the still (a document
         * spec's own limits apply over them; see app/services/vision/checks/limits.ts).
         */
        checks: z
          .strictObject({
            /** mouth.closed: the inner lips' gap over the face height. */
            maxMouthGap: z.number().positive().max(1).default(0.03),
            /** mouth.closed: the share of the band between the lips that shows teeth. */
            maxTeethShare: z.number().positive().max(1).default(0.1),
            /** expression.neutral: the lift of the mouth corners over the mouth's width. */
            maxSmile: z.number().positive().max(1).default(0.06),
          })
          .prefault({}),
      })
      .prefault({}),
    environment: z
      .strictObject({
        /** Watch the empty booth's backdrop and lamps between customers (needs the face engine). */
        enabled: z.boolean().default(true),
        checkEveryMinutes: z.number().int().min(1).max(1440).default(10),
        backdrop: z
          .strictObject({
            colour: z
              .string()
              .regex(/^#[0-9a-fA-F]{6}$/, 'a colour like #f2f2f2')
              .default('#f2f2f2'),
            maxColourDistance: z.number().positive().default(40),
            brightness: z.tuple([z.number().min(0).max(255), z.number().min(0).max(255)]).default([110, 252]),
            maxUnevenness: z.number().positive().default(0.2),
            outOfServiceUnevenness: z.number().positive().default(0.45),
            maxLeftRightRatio: z.number().min(1).default(1.5),
          })
          // prefault: an absent object is parsed as {}, so the field defaults above apply once.
          .prefault({}),
      })
      .prefault({}),
    hardware: hardwareSchema,
    /** MQTT presence, status and alerts for a fleet's technicians (app/fleet). */
    fleet: fleetConfigSchema,
    /** The technicians' HTTPS diagnostics server (app/diagnostics). */
    diagnostics: z
      .strictObject({
        /**
         * `auto`: on when any device is real hardware, off on the demo's simulated devices (a
         * laptop running the demo must not open a port to its network).
         */
        enabled: z.union([z.boolean(), z.literal('auto')]).default('auto'),
        /** The addresses it listens on (one string is one address), e.g. the LAN's `192.168.1.20`. */
        bind: z
          .preprocess(
            (value) => (typeof value === 'string' ? [value] : value),
            z.array(text(255)).min(1).max(8),
          )
          .default(['127.0.0.1']),
        port: z.number().int().min(1).max(65535).default(8787),
        /** The bearer token's scrypt hash (`kiosk diag token` makes one and shows the token once). */
        technicianTokenHash: scryptHash.nullable().default(null),
        /**
         * The operator's own certificate and key (PEM files), both or neither; without them a
         * self-signed certificate is made on the first start and kept in the data directory.
         */
        certFile: pathText().nullable().default(null),
        keyFile: pathText().nullable().default(null),
      })
      .refine((d) => (d.certFile === null) === (d.keyFile === null), {
        message: 'certFile and keyFile go together: give both, or neither for a self-signed certificate',
        path: ['certFile'],
      })
      .prefault({}),
    operator: operatorConfigSchema,
    mail: mailConfigSchema.nullable().default(null),
    endOfService: z
      .strictObject({
        /** How long the booth shows "this booth is closing on <date>" before it stops serving. */
        noticeDays: z.number().int().min(0).max(90).default(14),
      })
      .prefault({}),
  })
  .strict()
  .superRefine((config, ctx) => {
    if (config.hardware.payment.adapter === 'cctalk')
      checkCcTalkAgainstMoney(config.hardware.payment, config.money, (path, message) =>
        ctx.addIssue({ code: 'custom', path, message }),
      );
    checkHopperAgainstPayment(config.hardware.hopper, config.hardware.payment, (path, message) =>
      ctx.addIssue({ code: 'custom', path, message }),
    );
    if (config.products.length > 0 && offeredProducts(config).length === 0)
      ctx.addIssue({
        code: 'custom',
        path: ['products'],
        message:
          'offer at least one product the booth can deliver (a digital one needs mail): with none no customer could buy anything',
      });
    // A booth that sells anything must take some money: an empty list would take none.
    if (
      config.products.some((p) => p.price > 0) &&
      config.money.coins.length + config.money.bills.length === 0
    )
      ctx.addIssue({
        code: 'custom',
        path: ['money', 'coins'],
        message: 'name at least one coin or note value: products have a price',
      });
    if (config.mail && config.mail.lifetimeHours > config.retention.days * 24)
      ctx.addIssue({
        code: 'custom',
        path: ['mail', 'lifetimeHours'],
        message: `must be at most the retention (${config.retention.days * 24} hours)`,
      });
    const catalogue = DocumentCatalogue.withOperatorSpecs(config.documentSpecs);
    config.documents.forEach((id, i) => {
      if (!catalogue.has(id))
        ctx.addIssue({
          code: 'custom',
          path: ['documents', i],
          message: `no spec for "${id}": add it to documentSpecs or use one of ${catalogue.ids().join(', ')}`,
        });
    });
  });

export type BoothConfig = z.infer<typeof boothConfigSchema>;
export type BoothConfigInput = z.input<typeof boothConfigSchema>;
export type Product = z.infer<typeof productSchema>;
export type HardwareConfig = z.infer<typeof hardwareSchema>;
export type PaymentConfig = HardwareConfig['payment'];
