import { z } from 'zod';
import { durationMs, pathText, text, urlWith } from '../core/config-fields.ts';

/**
 * `fleet`: how the booth tells a fleet's technicians about itself over MQTT (presence, a status
 * summary, alerts), and the limits its alerts are judged by. `mqtt: null` (the default): the
 * booth talks to no broker.
 */

/** A topic level the booth writes under: no MQTT wildcard, no empty level, no leading `$`. */
const topicPrefix = z
  .string()
  .max(128, 'must be at most 128 characters')
  .regex(/^[^#+$/\s][^#+\s]*[^#+/\s]$|^[^#+$/\s]$/, 'a topic like "booths" or "acme/booths", no # + or $');

const mqttConfigSchema = z
  .strictObject({
    /** `mqtt://broker:1883` or `mqtts://broker:8883` (TLS). */
    url: urlWith(['mqtt', 'mqtts']),
    /** Default `booth-<unit id>`: one session per booth on the broker. */
    clientId: text(64).nullable().default(null),
    username: text(128).nullable().default(null),
    /** Sent to the broker only; never logged, never in a support bundle. */
    password: z.string().min(1).max(256).nullable().default(null),
    tls: z
      .strictObject({
        /** PEM file of the CA that signed the broker's certificate (else the system's CAs). */
        ca: pathText().nullable().default(null),
        /** PEM client certificate and its key, for brokers that authenticate booths by certificate. */
        cert: pathText().nullable().default(null),
        key: pathText().nullable().default(null),
      })
      .prefault({})
      .refine(
        (t) => (t.cert === null) === (t.key === null),
        'cert and key go together: give both or neither',
      ),
    /** Topics are `<topicPrefix>/<unit id>/status` and `…/events`. */
    topicPrefix: topicPrefix.default('booths'),
    /** How often the status summary goes out (alerts go at once). */
    statusEveryMs: durationMs().min(1_000, 'must be at least 1000 ms').default(60_000),
    keepaliveSeconds: z.number().int().min(5).max(3_600).default(30),
    /** Alerts and summaries kept while the broker cannot be reached; past it the oldest go. */
    queueLimit: z.number().int().min(1).max(10_000).default(500),
    /** Wait before trying the broker again. */
    reconnectMs: durationMs().default(5_000),
  })
  // A URL's credentials would reach the log: the broker's address is logged, its password never.
  .refine((m) => !URL.canParse(m.url) || (new URL(m.url).username === '' && new URL(m.url).password === ''), {
    path: ['url'],
    message: 'put the credentials in username and password, not in the URL',
  })
  .refine((m) => m.url.startsWith('mqtts:') || (m.tls.ca === null && m.tls.cert === null), {
    path: ['url'],
    message: 'TLS files are set: use an mqtts:// URL',
  });

export const fleetConfigSchema = z
  .strictObject({
    mqtt: mqttConfigSchema.nullable().default(null),
    alerts: z
      .strictObject({
        /** `paper-low` when the photo printer says media-low, or when this many prints or fewer are left. */
        paperLowPrints: z.number().int().min(0).max(100_000).default(20),
        cashBox: z
          .strictObject({
            /** How many coins / notes the cash box holds; null: no `cash-box-nearly-full` alert for it. */
            coins: z.number().int().positive().max(1_000_000).nullable().default(null),
            notes: z.number().int().positive().max(1_000_000).nullable().default(null),
            /** Share of the capacity from which the box counts as nearly full. */
            nearlyFullShare: z.number().min(0.5).max(1).default(0.9),
          })
          .prefault({}),
      })
      .prefault({}),
  })
  .prefault({});

export type FleetConfig = z.infer<typeof fleetConfigSchema>;
export type MqttConfig = NonNullable<FleetConfig['mqtt']>;
