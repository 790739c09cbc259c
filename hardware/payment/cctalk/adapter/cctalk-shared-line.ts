import type { CcTalkPaymentConfig } from '../cctalk-config.ts';
import { CcTalkHost, type LineCounters } from '../driver/cctalk-host.ts';
import type { CcTalkLink } from '../driver/cctalk-link.ts';
import { CcTalkEmulators } from '../emulators/cctalk-emulators.ts';

/** A line that is open: the link to talk on and how to shut it (and anything behind it). */
export interface OpenLine {
  readonly link: CcTalkLink;
  /** What the host has seen on the line (commands, retries, noise). */
  counters?(): Readonly<LineCounters>;
  close(): Promise<void>;
}

/** One device's hold on a shared line; its `close` lets go (the last one out closes the line). */
export interface LineLease extends OpenLine {
  /** The emulators behind a `port: "simulator"` line (a device may add itself to their bus). */
  readonly emulators: CcTalkEmulators | undefined;
}

/** What of `hardware.payment` makes the line: where it goes, how it is spoken, who is emulated. */
export type CcTalkLineConfig = Pick<CcTalkPaymentConfig, 'port' | 'checksum' | 'echo' | 'coin' | 'bill'>;

interface SharedLine {
  readonly key: string;
  readonly fingerprint: string;
  readonly opening: Promise<OpenLine & { emulators?: CcTalkEmulators }>;
  leases: number;
  retired: boolean;
}

/**
 * The booth's ccTalk lines, one per serial port. A ccTalk bus has one master: the coin acceptor,
 * the bill validator and the hopper on one cable must share one host, or two hosts would talk
 * over each other and read each other's replies. Each device leases the line when it first
 * needs it; the line opens with the first lease and closes when the last is let go, so the
 * devices open and close in any order.
 *
 * A lease asked for a line spoken differently (a reloaded config changed the checksum or echo)
 * retires the old line at once, closing it under whoever still holds it (their commands then
 * fail as `closed`), and opens the new one once the old port is shut: the newest config wins.
 */
export class CcTalkLines {
  readonly #lines = new Map<string, SharedLine>();
  /** Lines being shut, by key: a port is opened again only once it is closed. */
  readonly #closing = new Map<string, Promise<void>>();

  /**
   * Leases the line `config` describes (or the one on `emulators`, already running), opening it
   * if no device holds it. Rejects as the opening does (a missing port, socat failing).
   */
  async lease(config: CcTalkLineConfig, given?: CcTalkEmulators): Promise<LineLease> {
    // Emulators already running stand in for the simulator only, never for a configured port.
    const emulators = config.port === 'simulator' ? given : undefined;
    const key = emulators ? emulators.hostPath : config.port;
    const fingerprint = JSON.stringify({
      checksum: config.checksum,
      echo: config.echo,
      // The devices the built-in emulators are started with make their line what it is.
      emulated: config.port === 'simulator' && !emulators ? { coin: config.coin, bill: config.bill } : null,
    });
    let line = this.#lines.get(key);
    if (line && line.fingerprint !== fingerprint) {
      this.#retire(line);
      line = undefined;
    }
    if (!line) line = this.#start(key, fingerprint, config, emulators);
    line.leases++;
    let open: OpenLine & { emulators?: CcTalkEmulators };
    try {
      open = await line.opening;
    } catch (error) {
      line.leases--;
      throw error;
    }
    const held = line;
    let released = false;
    return {
      link: open.link,
      counters: open.counters,
      emulators: open.emulators,
      close: async () => {
        if (released) return;
        released = true;
        held.leases--;
        if (held.leases === 0 && !held.retired) await this.#shut(held);
      },
    };
  }

  /** How many devices hold the line to `key` (a port, or an emulator's host path); 0 when shut. */
  holders(key: string): number {
    return this.#lines.get(key)?.leases ?? 0;
  }

  #start(
    key: string,
    fingerprint: string,
    config: CcTalkLineConfig,
    emulators: CcTalkEmulators | undefined,
  ): SharedLine {
    const before = this.#closing.get(key) ?? Promise.resolve();
    const opening = before.then(() => openLine(config, emulators));
    const line: SharedLine = { key, fingerprint, opening, leases: 0, retired: false };
    this.#lines.set(key, line);
    // A line that would not open is forgotten, so the next lease tries again.
    opening.catch(() => {
      if (this.#lines.get(key) === line) this.#lines.delete(key);
    });
    return line;
  }

  #retire(line: SharedLine): void {
    line.retired = true;
    this.#shut(line).catch(() => {}); // #shut never rejects; the next opening waits for it
  }

  #shut(line: SharedLine): Promise<void> {
    if (this.#lines.get(line.key) === line) this.#lines.delete(line.key);
    const closed = line.opening.then(
      (open) => open.close(),
      () => {},
    );
    const done = closed.catch(() => {}); // a port that fails to close is closed as far as we can
    this.#closing.set(line.key, done);
    done.then(
      () => {
        if (this.#closing.get(line.key) === done) this.#closing.delete(line.key);
      },
      () => {},
    );
    return done;
  }
}

/** The lines of this booth process: one owner per serial port. */
export const ccTalkLines = new CcTalkLines();

/**
 * Opens the host on the port (or on emulators already running), or, for `port: "simulator"`,
 * starts the built-in emulators for the config's devices and opens the host on them.
 */
async function openLine(
  config: CcTalkLineConfig,
  running: CcTalkEmulators | undefined,
): Promise<OpenLine & { emulators?: CcTalkEmulators }> {
  const hostOptions = { checksum: config.checksum, echo: config.echo };
  const onHost = (host: CcTalkHost) => ({ link: host, counters: () => host.counters });
  if (running) {
    const host = await CcTalkHost.open(running.hostPath, hostOptions);
    return { ...onHost(host), emulators: running, close: () => host.close() };
  }
  if (config.port !== 'simulator') {
    const host = await CcTalkHost.open(config.port, hostOptions);
    return { ...onHost(host), close: () => host.close() };
  }
  const emulators = await CcTalkEmulators.open(config);
  try {
    const host = await CcTalkHost.open(emulators.hostPath, hostOptions);
    return {
      ...onHost(host),
      emulators,
      close: async () => {
        await host.close();
        await emulators.close();
      },
    };
  } catch (error) {
    await emulators.close();
    throw error;
  }
}
