import { connect } from 'node:net';
import { dataPaths } from '../../config/data-dir.ts';
import {
  ControlError,
  type ControlArgs,
  type ControlCommand,
  type ControlResponse,
} from '../host/control/control-protocol.ts';

/** How long to wait for the booth to accept the connection: it is local, so it answers at once or never. */
const connectTimeoutMs = 2_000;

/** The running booth refused the request: its code and its message, as it said them. */
export interface BoothRefusal {
  code: string;
  message: string;
}

/** The booth's refusal of a request, as an Error whose `cause` is the refusal itself. */
export function refusalOf(error: unknown): BoothRefusal | null {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  return typeof cause?.code === 'string' && typeof cause.message === 'string'
    ? { code: cause.code, message: cause.message }
    : null;
}

/**
 * Sends one request to the booth running on `dataDir` and resolves with its result. Rejects with
 * ControlError('booth-not-running') when nothing answers there — no socket, or a stale one a crash
 * left (ECONNREFUSED) — never by starting a booth of its own; with an Error whose cause is its BoothRefusal when the booth
 * answered no; with ControlError('control-timeout') when it took longer than `timeoutMs`.
 */
export function askBooth<C extends ControlCommand>(
  dataDir: string,
  request: { command: C; args: ControlArgs<C>; pin?: string },
  options: { timeoutMs?: number } = {},
): Promise<unknown> {
  const path = dataPaths(dataDir).controlSocket;
  const notRunning = () =>
    new ControlError('booth-not-running', `no booth is running on ${dataDir} (start it with kiosk start)`);
  return new Promise((resolve, reject) => {
    const socket = connect(path);
    let buffer = '';
    let connected = false;
    const done = (error: Error | null, result?: unknown) => {
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve(result);
    };
    let timer = setTimeout(() => done(notRunning()), connectTimeoutMs);
    socket.setEncoding('utf8');
    socket.once('connect', () => {
      connected = true;
      clearTimeout(timer);
      timer = setTimeout(
        () => done(new ControlError('control-timeout', `the booth on ${dataDir} did not answer in time`)),
        options.timeoutMs ?? 15_000,
      );
      socket.write(JSON.stringify({ id: 1, ...request }) + '\n');
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (!connected && ['ENOENT', 'ECONNREFUSED', 'ENOTSOCK'].includes(error.code ?? ''))
        return done(notRunning());
      if (error.code === 'EACCES')
        return done(new Error(`${path} is not yours to use: run kiosk as the user the booth runs as`));
      done(new Error(`the booth's control channel failed: ${error.message}`));
    });
    socket.on('close', () =>
      done(connected ? new Error('the booth hung up without an answer') : notRunning()),
    );
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      const newline = buffer.indexOf('\n');
      if (newline < 0) return;
      let response: ControlResponse;
      try {
        response = JSON.parse(buffer.slice(0, newline)) as ControlResponse;
      } catch {
        return done(new Error('the booth answered something that is not JSON'));
      }
      if (response.ok) done(null, response.result);
      else done(new Error(response.error.message, { cause: response.error }));
    });
  });
}
