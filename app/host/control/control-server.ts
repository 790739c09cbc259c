import { chmodSync, lstatSync, rmSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { errorCode, foreignCode } from '../../../core/errors.ts';
import type { Logger } from '../../logging/logger.ts';
import {
  ControlError,
  maxRequestBytes,
  parseRequest,
  type ControlRequest,
  type ControlResponse,
} from './control-protocol.ts';

export type ControlHandler = (request: ControlRequest) => Promise<unknown>;

/**
 * Serves the control channel on a Unix socket, owner only. Every line is one request, answered
 * with one line; whatever a client sends (garbage, a megabyte without a newline, a command that
 * throws) costs it an error answer, never the booth. Requests that change something run one at
 * a time across all clients (two `owed give-up`s must not interleave); reads answer at once.
 */
export class ControlServer {
  readonly path: string;
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();

  private constructor(path: string, server: Server) {
    this.path = path;
    this.#server = server;
  }

  /**
   * Listens on `path`. A socket file left by a crash or an earlier boot (nothing answers it) is
   * removed first; one that answers means another booth serves it, and is refused (the data
   * directory's lock makes that a misconfiguration: two data directories sharing a socket).
   */
  static async listen(options: {
    path: string;
    handle: ControlHandler;
    /** Whether a command changes something (it then waits its turn). */
    changes: (request: ControlRequest) => boolean;
    logger: Logger;
  }): Promise<ControlServer> {
    const { path, logger } = options;
    await removeStale(path);
    let queue: Promise<unknown> = Promise.resolve();
    const server = createServer({ allowHalfOpen: false });
    const control = new ControlServer(path, server);
    server.on('connection', (socket) => {
      control.#sockets.add(socket);
      socket.on('close', () => control.#sockets.delete(socket));
      serveConnection(socket, logger, async (request) => {
        if (!options.changes(request)) return options.handle(request);
        const turn = queue.then(() => options.handle(request));
        queue = turn.catch(() => {});
        return turn;
      });
    });
    server.on('error', (error) => logger.error({ code: foreignCode(error) }, 'control channel failed'));
    // Owner only from the first moment: the umask covers the bind (a chmod after would leave a
    // window), the chmod covers a file system that ignores it. Node binds a Unix socket
    // synchronously inside listen(), so the process-wide umask is back before anything else runs.
    await new Promise<void>((resolve, reject) => {
      const onError = (error: Error) => reject(withPath(error, path));
      server.once('error', onError);
      const umask = process.umask(0o177);
      try {
        server.listen(path, () => {
          server.off('error', onError);
          resolve();
        });
      } finally {
        process.umask(umask);
      }
    });
    chmodSync(path, 0o600);
    logger.info({}, 'control channel listening');
    return control;
  }

  /** Stops listening, ends every connection and removes the socket file. */
  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
    rmSync(this.path, { force: true });
  }
}

function serveConnection(socket: Socket, logger: Logger, handle: ControlHandler): void {
  let buffer = '';
  let chain: Promise<void> = Promise.resolve();
  const send = (response: ControlResponse) => {
    if (!socket.destroyed) socket.write(JSON.stringify(response) + '\n');
  };
  socket.setEncoding('utf8');
  // A client that hung up mid-answer is its own business.
  socket.on('error', () => {});
  socket.on('data', (chunk: string) => {
    buffer += chunk;
    let newline: number;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      if (line.trim() === '') continue;
      // Answers go back in the order the requests came, one connection at a time.
      chain = chain.then(() => answer(line, handle, logger).then(send));
    }
    if (Buffer.byteLength(buffer) > maxRequestBytes) {
      // Nothing after this can be framed again: say why and hang up.
      buffer = '';
      const error = new ControlError(
        'request-too-long',
        `a request line is at most ${maxRequestBytes} bytes`,
      );
      chain = chain.then(() => {
        logger.warn({ code: error.code }, 'control: request refused');
        send({ id: null, ok: false, error: { code: error.code, message: error.message } });
        socket.end();
      });
      socket.pause();
    }
  });
}

/** The answer to one line. Refusals are logged for staff with their code: never the line (it may hold a PIN). */
async function answer(line: string, handle: ControlHandler, logger: Logger): Promise<ControlResponse> {
  if (Buffer.byteLength(line) > maxRequestBytes) {
    const message = `a request line is at most ${maxRequestBytes} bytes`;
    logger.warn({ code: 'request-too-long' }, 'control: request refused');
    return { id: null, ok: false, error: { code: 'request-too-long', message } };
  }
  const parsed = parseRequest(line);
  if (!parsed.ok) {
    logger.warn({ code: parsed.error.code }, 'control: request refused');
    return { id: parsed.id, ok: false, error: { code: parsed.error.code, message: parsed.error.message } };
  }
  try {
    return { id: parsed.request.id, ok: true, result: await handle(parsed.request) };
  } catch (error) {
    const code = errorCode(error);
    logger.warn({ command: parsed.request.command, code }, 'control: request refused');
    return {
      id: parsed.request.id,
      ok: false,
      error: { code, message: error instanceof Error ? error.message : String(error) },
    };
  }
}

/** Removes a socket file nobody answers on; refuses one somebody does, and anything not a socket. */
async function removeStale(path: string): Promise<void> {
  let stat;
  try {
    stat = lstatSync(path);
  } catch {
    return;
  }
  if (!stat.isSocket())
    throw new Error(`${path} is in the way of the control socket and is not one: move it away`);
  const answered = await new Promise<boolean>((resolve) => {
    const probe = connect(path);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
  if (answered) throw new Error(`another booth answers on ${path}; stop it first`);
  rmSync(path, { force: true });
}

function withPath(error: Error, path: string): Error {
  // Unix socket paths are limited to about 107 bytes: say so, not just "EINVAL".
  const hint = path.length > 100 ? ' (the data directory path is too long for a Unix socket)' : '';
  return new Error(`cannot serve the control channel on ${path}: ${error.message}${hint}`, {
    cause: error,
  });
}
