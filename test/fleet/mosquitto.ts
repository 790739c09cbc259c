// Debian's Mosquitto as the fleet tests' broker: a temp config on 127.0.0.1, a password file made
// with mosquitto_passwd, persistence in the temp dir (a restarted broker keeps the watcher's
// session and the retained presence), and "ready" meaning a client could connect, not a pid file.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type IClientOptions, type MqttClient } from 'mqtt';
import { stopChild } from '../support/stop-child.ts';

export const brokerUser = { username: 'booth', password: 'fleet-s3cret-pw' };

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export class Mosquitto {
  readonly dir = mkdtempSync(join(tmpdir(), 'mosquitto-'));
  #child: ChildProcess | null = null;
  log = '';

  private constructor(readonly port: number) {}

  static async start(extraConfig: string[] = []): Promise<Mosquitto> {
    const broker = new Mosquitto(await freePort());
    const made = spawnSync(
      'mosquitto_passwd',
      ['-b', '-c', join(broker.dir, 'passwd'), brokerUser.username, brokerUser.password],
      { encoding: 'utf8' },
    );
    if (made.status !== 0) throw new Error(`mosquitto_passwd failed: ${made.stderr}`);
    writeFileSync(
      join(broker.dir, 'mosquitto.conf'),
      [
        // As root (CI) Mosquitto would drop to its own user, which cannot read our 0700 temp dir.
        ...(process.getuid?.() === 0 ? ['user root'] : []),
        `listener ${broker.port} 127.0.0.1`,
        'allow_anonymous false',
        `password_file ${join(broker.dir, 'passwd')}`,
        'persistence true',
        `persistence_location ${broker.dir}/`,
        'log_dest stderr',
        ...extraConfig,
        '',
      ].join('\n'),
    );
    await broker.restart();
    return broker;
  }

  url(): string {
    return `mqtt://127.0.0.1:${this.port}`;
  }

  /** Starts (again) on the same port and waits until it takes a connection. */
  async restart(): Promise<void> {
    const child = spawn('/usr/sbin/mosquitto', ['-c', join(this.dir, 'mosquitto.conf')], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.stderr!.on('data', (chunk: Buffer) => (this.log += chunk.toString()));
    this.#child = child;
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`mosquitto exited ${child.exitCode}: ${this.log}`);
      const client = await tryConnect(this.url(), {
        ...brokerUser,
        reconnectPeriod: 0,
        connectTimeout: 1_000,
      });
      if (client) {
        await client.endAsync();
        return;
      }
      if (Date.now() > deadline) throw new Error(`mosquitto did not answer on ${this.port}: ${this.log}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Adds an account to the password file and has the running broker read it again (SIGHUP). */
  addUser(username: string, password: string): void {
    const made = spawnSync('mosquitto_passwd', ['-b', join(this.dir, 'passwd'), username, password], {
      encoding: 'utf8',
    });
    if (made.status !== 0) throw new Error(`mosquitto_passwd failed: ${made.stderr}`);
    this.#child?.kill('SIGHUP');
  }

  /** SIGTERM (it writes its persistence file), then waits for it to exit. */
  async stop(): Promise<void> {
    if (this.#child) await stopChild(this.#child);
    this.#child = null;
  }

  async close(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function tryConnect(url: string, options: IClientOptions): Promise<MqttClient | null> {
  return new Promise((resolve) => {
    const client = connect(url, options);
    client.once('connect', () => resolve(client));
    client.once('error', () => {
      client.end(true);
      resolve(null);
    });
    client.once('close', () => resolve(null));
  });
}

export interface Received {
  topic: string;
  payload: Record<string, unknown>;
  retain: boolean;
}

/** A technician's client: subscribes to `booths/#` (QoS 1) and keeps every message. */
export async function watcher(
  url: string,
  options: IClientOptions = {},
): Promise<{ client: MqttClient; got: Received[] }> {
  const client = connect(url, { ...brokerUser, reconnectPeriod: 200, ...options });
  const got: Received[] = [];
  client.on('message', (topic, payload, packet) =>
    got.push({
      topic,
      payload: JSON.parse(payload.toString()) as Record<string, unknown>,
      retain: packet.retain,
    }),
  );
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', reject);
  });
  await client.subscribeAsync('booths/#', { qos: 1 });
  return { client, got };
}

export async function until<T>(
  what: string,
  find: () => T | undefined | null | false,
  ms = 15_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const found = find();
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
