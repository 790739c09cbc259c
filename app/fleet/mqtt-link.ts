import { readFileSync } from 'node:fs';
import { connect, type IClientOptions, type MqttClient } from 'mqtt';
import type { MqttConfig } from '../../config/fleet-config.ts';
import type { Logger } from '../logging/logger.ts';
import { Outbox, type OutboxMessage } from './outbox.ts';

/** The retained presence on `<prefix>/<unit>/status`. */
export interface Presence {
  status: 'online' | 'offline';
  /** online: when the connection was made; offline: when the booth said so, or (the last will) when the lost connection was made. */
  time: string;
  version: string;
  /** offline only: `shutdown` (the booth stopped cleanly) or `connection-lost` (the broker's last will). */
  reason?: 'shutdown' | 'connection-lost';
}

export interface MqttLinkOptions {
  config: MqttConfig;
  unitId: string;
  version: string;
  logger: Logger;
  now?: () => number;
}

/**
 * The booth's one connection to its fleet's broker (npm `mqtt`): a retained `online` on connect,
 * a retained `offline` last will for when the booth dies (kill -9, power cut, network gone), and
 * a retained `offline` said by the booth itself on a clean stop (a clean DISCONNECT makes the
 * broker discard the will). What is published while the broker is away waits in a bounded
 * Outbox (mqtt.js's own offline queue has no bound) and goes out, oldest first, on reconnect.
 */
export class MqttLink {
  readonly statusTopic: string;
  readonly eventsTopic: string;
  readonly #client: MqttClient;
  readonly #outbox: Outbox;
  readonly #o: MqttLinkOptions;
  readonly #now: () => number;
  #closed = false;
  #wasConnected = false;
  #lastError: string | null = null;

  private constructor(options: MqttLinkOptions, clientOptions: IClientOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
    const base = `${options.config.topicPrefix}/${options.unitId}`;
    this.statusTopic = `${base}/status`;
    this.eventsTopic = `${base}/events`;
    this.#outbox = new Outbox(options.config.queueLimit);
    this.#client = connect(options.config.url, { ...clientOptions, will: this.#will() });
    // The will is part of each CONNECT: give each new connection its own time.
    this.#client.on('reconnect', () => (this.#client.options.will = this.#will()));
    this.#client.on('connect', () => this.#onConnect());
    this.#client.on('close', () => {
      if (this.#wasConnected && !this.#closed)
        options.logger.warn({ broker: this.#broker() }, 'fleet: broker connection lost');
      this.#wasConnected = false;
    });
    // The error's message only: never the options (they hold the password).
    // Once per reason until the next connection: a broker that refuses every retry must not fill the log.
    this.#client.on('error', (error) => {
      if (error.message === this.#lastError) return;
      this.#lastError = error.message;
      options.logger.warn(
        { broker: this.#broker(), reason: error.message },
        'fleet: broker refused or failed',
      );
    });
  }

  /** Connects in the background (the booth does not wait for a broker). TLS files that cannot be read throw, naming the file. */
  static open(options: MqttLinkOptions): MqttLink {
    const { config } = options;
    const file = (what: string, path: string | null): Buffer | undefined => {
      if (path === null) return undefined;
      try {
        return readFileSync(path);
      } catch (error) {
        throw new Error(
          `fleet.mqtt.tls.${what}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
        );
      }
    };
    return new MqttLink(options, {
      clientId: config.clientId ?? `booth-${options.unitId}`,
      ...(config.username !== null ? { username: config.username } : {}),
      ...(config.password !== null ? { password: config.password } : {}),
      ...(config.tls.ca ? { ca: file('ca', config.tls.ca) } : {}),
      ...(config.tls.cert ? { cert: file('cert', config.tls.cert), key: file('key', config.tls.key) } : {}),
      rejectUnauthorized: true,
      keepalive: config.keepaliveSeconds,
      reconnectPeriod: config.reconnectMs,
      // A refused login is tried again too: the fleet may fix the booth's account on the broker.
      reconnectOnConnackError: true,
      connectTimeout: 10_000,
      clean: true,
      // Ours is the queue: mqtt.js would keep everything published offline, without a bound.
      queueQoSZero: false,
      resubscribe: false,
    });
  }

  get connected(): boolean {
    return this.#client.connected;
  }

  /** Messages dropped since start because the offline queue was full. */
  get dropped(): number {
    return this.#outbox.dropped;
  }

  get queued(): number {
    return this.#outbox.size;
  }

  /** Publishes an event (QoS 1), or queues it while the broker is away. */
  publishEvent(payload: object, kind: 'status' | 'alert'): void {
    this.#send({ topic: this.eventsTopic, payload: JSON.stringify(payload), retain: false, kind });
  }

  /**
   * Says `offline` (retained) and disconnects cleanly; waits at most `waitMs` for the broker to
   * take it. Without a connection the broker has already published the will.
   */
  async close(waitMs = 3_000): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const client = this.#client;
    if (client.connected) {
      const offline: Presence = {
        status: 'offline',
        time: this.#iso(),
        version: this.#o.version,
        reason: 'shutdown',
      };
      await withTimeout(
        client.publishAsync(this.statusTopic, JSON.stringify(offline), { qos: 1, retain: true }),
        waitMs,
      ).catch(() => {});
      await withTimeout(client.endAsync(), waitMs).catch(() => client.end(true));
    } else {
      await withTimeout(client.endAsync(true), waitMs).catch(() => {});
    }
  }

  #onConnect(): void {
    this.#wasConnected = true;
    this.#lastError = null;
    this.#o.logger.info(
      { broker: this.#broker(), queued: this.#outbox.size, dropped: this.#outbox.dropped },
      'fleet: connected to broker',
    );
    const online: Presence = { status: 'online', time: this.#iso(), version: this.#o.version };
    this.#client.publish(this.statusTopic, JSON.stringify(online), { qos: 1, retain: true });
    for (const message of this.#outbox.drain()) this.#send(message);
  }

  #send(message: OutboxMessage): void {
    if (this.#closed) return;
    if (!this.#client.connected) {
      this.#outbox.push(message);
      return;
    }
    this.#client.publish(message.topic, message.payload, { qos: 1, retain: message.retain }, (error) => {
      // Refused while connected (the connection went as it was sent): queued again for the next one.
      if (error && !this.#closed) this.#outbox.putBack([message]);
    });
  }

  #will(): NonNullable<IClientOptions['will']> {
    const offline: Presence = {
      status: 'offline',
      time: this.#iso(),
      version: this.#o.version,
      reason: 'connection-lost',
    };
    return { topic: this.statusTopic, payload: Buffer.from(JSON.stringify(offline)), qos: 1, retain: true };
  }

  /** Host and port only: a URL may carry credentials. */
  #broker(): string {
    const url = new URL(this.#o.config.url);
    return `${url.protocol}//${url.host}`;
  }

  #iso(): string {
    return new Date(this.#now()).toISOString();
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
