import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Two pseudo-terminals wired back to back by socat: a serial cable with no hardware. */
export interface PtyPair {
  /** The end the booth's ccTalk host opens, as it would open /dev/ttyUSB0. */
  readonly hostPath: string;
  /** The end the device simulator opens. */
  readonly devicePath: string;
  /** Stops socat and removes the links. */
  close(): Promise<void>;
}

export interface PtyPairOptions {
  /** Where socat is; it is a Debian package (`scripts/setup.sh` installs it). */
  readonly socat?: string;
  /** How long to wait for socat to make both ends, ms. */
  readonly startTimeoutMs?: number;
}

/**
 * Starts `socat` with two raw, non-echoing ptys and waits until both links exist. Rejects with
 * socat's own words when it cannot start (not installed, cannot make a pty).
 */
export async function openPtyPair(options: PtyPairOptions = {}): Promise<PtyPair> {
  const socat = options.socat ?? 'socat';
  const startTimeoutMs = options.startTimeoutMs ?? 5000;
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-pty-'));
  const hostPath = join(dir, 'host');
  const devicePath = join(dir, 'device');
  // raw and echo=0: the pty must pass bytes as a serial line does, untouched and not echoed back
  // (an echo, when wanted, is the simulator's to make, as a single-wire bus would).
  const child = spawn(
    socat,
    ['-d', '-d', `pty,raw,echo=0,link=${hostPath}`, `pty,raw,echo=0,link=${devicePath}`],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text: string) => {
    // socat -d -d logs each transfer; keep only the start, which says what went wrong if it fails.
    if (stderr.length < 4000) stderr += text;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let startError: Error | undefined;
  child.once('error', (error) => {
    startError = error;
  });

  const removeLinks = () => rmSync(dir, { recursive: true, force: true });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    removeLinks();
  };

  const deadline = Date.now() + startTimeoutMs;
  while (!(existsSync(hostPath) && existsSync(devicePath))) {
    const failed =
      startError ?? (child.exitCode !== null ? new Error(`socat exited with ${child.exitCode}`) : null);
    if (failed || Date.now() > deadline) {
      await stop();
      const why = failed ? failed.message : `no ptys after ${startTimeoutMs} ms`;
      throw new Error(
        `could not start a pty pair with ${socat} (${why})${stderr ? `: ${stderr.trim()}` : ''}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return { hostPath, devicePath, close: stop };
}
