import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import {
  isFromChild,
  type ChildInput,
  type ChildNotice,
  type ChildOp,
  type ChildOps,
  type FromChild,
} from './child-protocol.ts';
import { FrameRecordReader, type FrameRecord } from './frame-record.ts';
import { nodeChildCommand } from './node-child.ts';

/** Why a call to the child did not give a value. Told as a value, never thrown. */
export type ChildFailure =
  /** libgphoto2 (gpCode) or the child's own code (gpCode null) failed the call. */
  | { kind: 'camera'; gpCode: number | null; message: string }
  /** No reply in time: the camera call hangs in the child. */
  | { kind: 'timeout'; message: string }
  /** The child is gone (exited, killed, crashed) or was never up. */
  | { kind: 'gone'; message: string };

export type CallOutcome<T> = { ok: true; value: T } | { ok: false; failure: ChildFailure };

export interface ChildExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** What the child said before it went (`fatal`), or the tail of its stderr. */
  readonly message: string;
  /** The child said it cannot work at all (the binding is missing): restarting will not help. */
  readonly fatal: boolean;
}

export interface ChildLinkOptions {
  /** The child's script; the camera child by default (tests pass a fake). */
  script?: URL | string;
  /** A folder this link makes a private subfolder in for the child, and removes after it. */
  scratchRoot: string;
  /** Added to this process's environment for the child (libgphoto2's IOLIBS, CAMLIBS…). */
  env?: Readonly<Record<string, string>>;
  logLevel?: number;
  onFrame: (frame: FrameRecord) => void;
  onNotice?: (notice: ChildNotice) => void;
  onExit?: (exit: ChildExit) => void;
  /** Each line the child writes to stdout or stderr (libgphoto2 prints its errors there). */
  onOutput?: (line: string) => void;
}

const defaultScript = new URL(
  `./camera-child${import.meta.url.endsWith('.js') ? '.js' : '.ts'}`,
  import.meta.url,
);
const stderrTailLines = 12;

interface Pending {
  resolve: (outcome: CallOutcome<unknown>) => void;
  timer: NodeJS.Timeout;
}

/**
 * The booth's end of one camera child process: starts it, sends it commands and matches the
 * replies, reads its frame pipe, and tells when it is gone. One link is one child; the
 * adapter makes a new link for every restart.
 */
export class ChildLink {
  readonly #child: ChildProcess;
  readonly #options: ChildLinkOptions;
  readonly #scratchDir: string;
  readonly #pending = new Map<number, Pending>();
  readonly #stderr: string[] = [];
  readonly #exited: Promise<ChildExit>;
  readonly #ready: Promise<CallOutcome<null>>;
  #nextId = 1;
  #gone: ChildExit | undefined;
  #fatal: string | undefined;
  #settleReady!: (outcome: CallOutcome<null>) => void;
  readonly spawnedAt = Date.now();

  constructor(options: ChildLinkOptions) {
    this.#options = options;
    this.#scratchDir = join(options.scratchRoot, `child-${process.pid}-${randomBytes(6).toString('hex')}`);
    mkdirSync(options.scratchRoot, { recursive: true, mode: 0o700 });
    removeOrphans(options.scratchRoot);
    mkdirSync(this.#scratchDir, { mode: 0o700 });
    const input: ChildInput = { scratchDir: this.#scratchDir, logLevel: options.logLevel };
    const { command, args } = nodeChildCommand(options.script ?? defaultScript);
    this.#ready = new Promise((resolve) => (this.#settleReady = resolve));
    this.#child = spawn(command, [...args, JSON.stringify(input)], {
      stdio: ['ignore', 'pipe', 'pipe', 'pipe', 'ipc'],
      serialization: 'advanced',
      env: { ...process.env, ...options.env },
    });
    this.#exited = new Promise((resolve) => {
      // 'close', not 'exit': by then its output is read to the end, so the message is whole.
      this.#child.once('close', (code, signal) => resolve(this.#onGone(code, signal)));
      this.#child.once('error', (error) => {
        // Spawning failed (no exit event follows) or a kill failed (one may): end once.
        if (this.#child.exitCode === null && this.#child.pid === undefined)
          resolve(this.#onGone(null, null, error.message));
      });
    });
    this.#readOutput(this.#child.stdout);
    this.#readOutput(this.#child.stderr);
    this.#readFrames(this.#child.stdio[3] as Readable);
    this.#child.on('message', (message: unknown) => {
      if (isFromChild(message)) this.#onMessage(message);
    });
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** What the child said when it cannot work at all (see ChildExit.fatal). */
  get fatal(): string | undefined {
    return this.#fatal;
  }

  get alive(): boolean {
    return this.#gone === undefined;
  }

  /** Resolves once the child loaded the binding (or says why it never will). */
  ready(timeoutMs: number): Promise<CallOutcome<null>> {
    const timer = setTimeout(
      () => this.#settleReady(fail('timeout', `the camera child did not start within ${timeoutMs} ms`)),
      timeoutMs,
    );
    return this.#ready.finally(() => clearTimeout(timer));
  }

  /** Resolves when the child has exited and its folder is removed. */
  get exited(): Promise<ChildExit> {
    return this.#exited;
  }

  call<O extends ChildOp>(
    op: O,
    args: ChildOps[O]['args'],
    timeoutMs: number,
  ): Promise<CallOutcome<ChildOps[O]['result']>> {
    if (this.#gone) return Promise.resolve(fail('gone', `the camera child is gone: ${this.#gone.message}`));
    const id = this.#nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        resolve(fail('timeout', `the camera did not answer ${op} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pending.set(id, { resolve: resolve as Pending['resolve'], timer });
      this.#child.send({ type: 'command', id, op, ...args }, (error) => {
        if (!error) return;
        const pending = this.#pending.get(id);
        if (!pending) return;
        this.#pending.delete(id);
        clearTimeout(pending.timer);
        pending.resolve(fail('gone', `the camera child cannot be reached: ${error.message}`));
      });
    });
  }

  /**
   * Ends the child: SIGTERM, then SIGKILL if it has not gone within `graceMs` (a camera call
   * stuck in the kernel can outlast a SIGTERM). Resolves once it has exited.
   */
  async kill(graceMs = 1000): Promise<ChildExit> {
    if (!this.#gone) {
      this.#child.kill('SIGTERM');
      const timer = setTimeout(() => this.#child.kill('SIGKILL'), graceMs);
      timer.unref();
      this.#exited.then(() => clearTimeout(timer)).catch(() => {});
    }
    return this.#exited;
  }

  #onMessage(message: FromChild): void {
    switch (message.type) {
      case 'ready':
        this.#settleReady({ ok: true, value: null });
        return;
      case 'fatal':
        this.#fatal = message.message;
        this.#settleReady(fail('gone', message.message));
        return;
      case 'live-view-failed':
        this.#options.onNotice?.(message);
        return;
      case 'reply': {
        const pending = this.#pending.get(message.id);
        if (!pending) return; // timed out already
        this.#pending.delete(message.id);
        clearTimeout(pending.timer);
        pending.resolve(
          message.ok
            ? { ok: true, value: message.value }
            : { ok: false, failure: { kind: 'camera', gpCode: message.gpCode, message: message.message } },
        );
      }
    }
  }

  #onGone(code: number | null, signal: NodeJS.Signals | null, spawnError?: string): ChildExit {
    if (this.#gone) return this.#gone;
    const how = signal ? `killed by ${signal}` : `exited with ${code}`;
    const said = this.#fatal ?? spawnError ?? this.#stderr.slice(-3).join(' | ');
    const exit: ChildExit = {
      code,
      signal,
      message: said ? `${how}: ${said}` : how,
      fatal: this.#fatal !== undefined,
    };
    this.#gone = exit;
    this.#settleReady(fail('gone', `the camera child ${exit.message}`));
    for (const [id, pending] of this.#pending) {
      this.#pending.delete(id);
      clearTimeout(pending.timer);
      pending.resolve(fail('gone', `the camera child ${exit.message}`));
    }
    // Preview files a failed call left behind (node-gphoto2 keeps them on a failure).
    rmSync(this.#scratchDir, { recursive: true, force: true });
    this.#options.onExit?.(exit);
    return exit;
  }

  #readOutput(stream: Readable | null): void {
    if (!stream) return;
    stream.setEncoding('utf8');
    let partial = '';
    stream.on('data', (text: string) => {
      const lines = (partial + text).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.trim()) continue;
        this.#stderr.push(line);
        if (this.#stderr.length > stderrTailLines) this.#stderr.shift();
        this.#options.onOutput?.(line);
      }
    });
  }

  #readFrames(stream: Readable): void {
    const reader = new FrameRecordReader();
    stream.on('data', (chunk: Buffer) => {
      if (this.#gone) return;
      let frames: FrameRecord[];
      try {
        frames = reader.push(chunk);
      } catch (error) {
        // A pipe out of step cannot be put back in step: this child is done.
        this.#stderr.push((error as Error).message);
        this.kill(0).catch(() => {});
        return;
      }
      for (const frame of frames) this.#options.onFrame(frame);
    });
    stream.on('error', () => {}); // the exit is what tells the child is gone
  }
}

/**
 * Removes the folders of children whose booth is gone (killed -9 or crashed before it could
 * remove them): a preview file a failed call left may be in one. A folder is named after the
 * booth process that made it, so one of a booth still running is left alone.
 */
function removeOrphans(scratchRoot: string): void {
  for (const name of readdirSync(scratchRoot)) {
    const owner = /^child-(\d+)-[0-9a-f]+$/.exec(name);
    if (!owner || processAlive(Number(owner[1]))) continue;
    rmSync(join(scratchRoot, name), { recursive: true, force: true });
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // someone else's, and alive
  }
}

function fail(kind: 'timeout' | 'gone', message: string): { ok: false; failure: ChildFailure } {
  return { ok: false, failure: { kind, message } };
}
