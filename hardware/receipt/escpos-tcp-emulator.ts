import { createServer, type Server, type Socket } from 'node:net';
import { decodeEscPos } from './escpos-decode.ts';

export type EmulatedPaper = 'ok' | 'near-end' | 'out';

/**
 * A network receipt printer for tests and `kiosk simulate`: listens on localhost like a printer's
 * raw port (9100), records every byte of every connection, and answers the real-time status
 * request DLE EOT n when it is the last command received (at the end of a job or on its own).
 */
export class EscPosTcpEmulator {
  /** Every connection's bytes, in the order the connections were made. */
  readonly connections: Buffer[] = [];
  /** What the paper sensors say. */
  paper: EmulatedPaper = 'ok';
  /** The roll runs out while the next job prints (paper becomes `out` once its bytes are in). */
  runsOutDuringNextJob = false;
  /** When false the printer never answers a status request (as some interfaces do not). */
  answerStatus = true;
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();

  private constructor(
    server: Server,
    readonly port: number,
  ) {
    this.#server = server;
    server.on('connection', (socket) => this.#accept(socket));
  }

  static async start(port = 0): Promise<EscPosTcpEmulator> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no TCP port');
    return new EscPosTcpEmulator(server, address.port);
  }

  get uri(): string {
    return `tcp://127.0.0.1:${this.port}`;
  }

  /** The connections that carried a print job, not just status requests. */
  jobs(): Buffer[] {
    return this.connections.filter((bytes) => !isOnlyStatusRequests(bytes));
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #accept(socket: Socket): void {
    const index = this.connections.push(Buffer.alloc(0)) - 1;
    this.#sockets.add(socket);
    socket.on('close', () => this.#sockets.delete(socket));
    socket.on('error', () => {});
    socket.on('data', (chunk) => {
      const bytes = Buffer.concat([this.connections[index]!, chunk]);
      this.connections[index] = bytes;
      if (!this.answerStatus || bytes.length < 3 || bytes[bytes.length - 3] !== 0x10) return;
      // Answer a DLE EOT n that is a command of its own, not bytes inside an image or QR code.
      let last;
      try {
        last = decodeEscPos(bytes).items.at(-1);
      } catch {
        return; // a command not yet complete
      }
      if (last?.kind !== 'status-request') return;
      if (this.runsOutDuringNextJob && !isOnlyStatusRequests(bytes)) {
        this.runsOutDuringNextJob = false;
        this.paper = 'out';
      }
      socket.write(Buffer.from([this.#statusByte(last.n)]));
    });
  }

  /** DLE EOT n's answer: fixed bits 1 and 4 set; for n = 4 (roll paper sensor) bits 2-3 near end, 5-6 out. */
  #statusByte(n: number): number {
    if (n !== 4) return 0x12;
    return 0x12 | (this.paper === 'near-end' ? 0x0c : 0) | (this.paper === 'out' ? 0x6c : 0);
  }
}

function isOnlyStatusRequests(bytes: Buffer): boolean {
  if (bytes.length === 0 || bytes.length % 3 !== 0) return false;
  for (let i = 0; i < bytes.length; i += 3) {
    if (bytes[i] !== 0x10 || bytes[i + 1] !== 0x04) return false;
  }
  return true;
}
