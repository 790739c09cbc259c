import { execFile } from 'node:child_process';
import type { Logger } from '../logging/logger.ts';

/**
 * The systemd notify protocol (sd_notify(3)): `READY=1` once the booth serves, `WATCHDOG=1`
 * while it is alive, `STOPPING=1` when it stops, each a datagram to the unix socket in
 * `$NOTIFY_SOCKET`.
 *
 * Sent through systemd's own `systemd-notify` rather than from Node: Node's core has no unix
 * datagram socket, and the npm options are native addons (`unix-dgram`, and `sd-notify`, which
 * also needs libsystemd-dev) that would have to compile on every booth image. `systemd-notify`
 * is there wherever systemd is, speaks every form of the socket address (abstract `@…` too) and,
 * by default, waits on a barrier until the manager has read the message: without it a message
 * from a process that has already exited may not be matched to the unit. The price is one short
 * process per message (every WatchdogSec/2) and `NotifyAccess=all` in the unit (the sender is
 * the booth's child, not its main process).
 */
export class SystemdNotifier {
  readonly #socket: string;
  readonly #logger: Logger;
  readonly #command: string;

  private constructor(socket: string, logger: Logger, command: string) {
    this.#socket = socket;
    this.#logger = logger;
    this.#command = command;
  }

  /** Null when not started by systemd as `Type=notify` (no `NOTIFY_SOCKET`): then nothing is sent. */
  static fromEnv(env: NodeJS.ProcessEnv, logger: Logger, command = 'systemd-notify'): SystemdNotifier | null {
    const socket = env.NOTIFY_SOCKET;
    return socket ? new SystemdNotifier(socket, logger, command) : null;
  }

  ready(): Promise<boolean> {
    return this.send(['READY=1', `MAINPID=${process.pid}`]);
  }

  watchdog(): Promise<boolean> {
    return this.send(['WATCHDOG=1']);
  }

  stopping(): Promise<boolean> {
    return this.send(['STOPPING=1']);
  }

  /** Sends the assignments in one message; false (logged) when it could not. */
  send(assignments: string[]): Promise<boolean> {
    return new Promise((resolve) => {
      execFile(
        this.#command,
        assignments,
        { env: { NOTIFY_SOCKET: this.#socket }, timeout: 10_000 },
        (error, _stdout, stderr) => {
          if (error)
            this.#logger.warn(
              {
                message: assignments.map((a) => a.split('=')[0]).join(','),
                reason: stderr.trim() || error.message,
              },
              'systemd: notify failed',
            );
          resolve(!error);
        },
      );
    });
  }
}

/**
 * How often to ping the watchdog: half of `WATCHDOG_USEC` (as sd_watchdog_enabled(3) advises),
 * null when systemd watches no one here, or another process (`WATCHDOG_PID`).
 */
export function watchdogEveryMs(env: NodeJS.ProcessEnv, pid = process.pid): number | null {
  const usec = Number(env.WATCHDOG_USEC);
  if (!Number.isFinite(usec) || usec <= 0) return null;
  if (env.WATCHDOG_PID && Number(env.WATCHDOG_PID) !== pid) return null;
  return Math.max(1, Math.floor(usec / 2_000));
}
