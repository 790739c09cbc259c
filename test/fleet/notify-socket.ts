// A real unix datagram socket for the notify tests (Node's core cannot bind one): the Python
// stand-in in notify-listener.py, its messages collected in order.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { until } from './mosquitto.ts';

const script = fileURLToPath(new URL('./notify-listener.py', import.meta.url));

export class NotifySocket {
  readonly messages: string[] = [];
  readonly #dir: string;
  readonly #child: ChildProcess;
  readonly path: string;
  failed: string | null = null;

  private constructor() {
    this.#dir = mkdtempSync(join(tmpdir(), 'notify-'));
    this.path = join(this.#dir, 'notify.sock');
    this.#child = spawn('python3', [script, this.path], { stdio: ['ignore', 'pipe', 'inherit'] });
    this.#child.on('error', (error) => (this.failed = error.message));
    let buffer = '';
    this.#child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop()!;
      for (const line of lines) this.messages.push(JSON.parse(line) as string);
    });
  }

  static async open(): Promise<NotifySocket> {
    const socket = new NotifySocket();
    await until('the notify socket', () => socket.messages.includes('LISTENING') || socket.failed, 10_000);
    if (socket.failed)
      throw new Error(`python3 runs the notify socket (apt-get install python3): ${socket.failed}`);
    socket.messages.length = 0;
    return socket;
  }

  /** How many messages held `assignment` (a message is newline-separated assignments). */
  count(assignment: string): number {
    return this.messages.filter((m) => m.split('\n').includes(assignment)).length;
  }

  close(): void {
    this.#child.kill('SIGKILL');
    rmSync(this.#dir, { recursive: true, force: true });
  }
}
