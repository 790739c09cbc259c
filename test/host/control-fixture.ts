// A running booth for the control channel's tests: a real BoothHost on simulated devices and its
// unit's data directory, its control socket, and helpers to talk to it and set up owed prints.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { dataPaths } from '../../config/data-dir.ts';
import { ConfigStore } from '../../config/store.ts';
import { newReceiptCode } from '../../core/receipt-code.ts';
import { BoothHost } from '../../app/host/booth-host.ts';
import { configuredDevices } from '../../app/host/device-set.ts';
import { serveControl } from '../../app/host/control/serve-control.ts';
import type { ControlServer } from '../../app/host/control/control-server.ts';
import { refusalOf } from '../../app/cli/control-client.ts';
import { createLogger, silentLogger, type Logger } from '../../app/logging/logger.ts';
import { until } from '../shell/booth-fixture.ts';

/** What each test leaves to undo, in reverse order (the test files' afterEach runs them). */
export const cleanups: Array<() => unknown> = [];

export async function cleanUp(): Promise<void> {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
}

export function unitDir(hardware: object = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'control-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(
    dataPaths(dir).config,
    JSON.stringify({
      environment: { enabled: false },
      timeouts: { countdownMs: 50, healthRecheckMs: 500 },
      products: [{ id: 'photos-2', prints: 1, photosPerSheet: 2, price: 200 }],
      documents: ['schengen-visa'],
      money: { coins: [100, 200] },
      hardware: { camera: { adapter: 'simulated', portrait: 1 }, ...hardware },
    }),
  );
  return dir;
}

/** A booth on `dir` with its control channel; `logger` (default silent) takes what both log. */
export async function running(
  dir: string,
  logger: Logger = silentLogger(),
): Promise<{ host: BoothHost; control: ControlServer }> {
  const store = new ConfigStore({ file: dataPaths(dir).config });
  const config = store.load();
  const host = await BoothHost.open(
    {
      dataDir: dir,
      logger,
      holder: 'test',
      vision: 'none',
      configStore: store,
      devices: ({ clock, journal }) => configuredDevices(clock, { seed: 3, counters: journal }),
    },
    config,
  );
  cleanups.push(() => host.close());
  await host.start(config);
  const control = await serveControl({ host, dataDir: dir, configStore: store, logger });
  cleanups.push(() => control.close());
  await until(() => host.booth.view().waitingForCustomer, 10_000, 'attract');
  return { host, control };
}

/** A logger whose JSON lines land in `lines`, to check what the booth wrote down. */
export function capturingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const logger = createLogger({
    level: 'info',
    destination: { write: (line: string) => void lines.push(line) },
  });
  return { logger, lines };
}

/** What the booth refused, as { code, message }. */
export async function refused(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, 'the request should have been refused').not.toBeNull();
  return refusalOf(error) ?? { code: (error as { code: string }).code, message: (error as Error).message };
}

/** Raw lines on the socket, as a client that does not use askBooth would send them. */
export function rawExchange(path: string, payload: string, answers: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const socket = connect(path);
    let buffer = '';
    socket.setEncoding('utf8');
    socket.on('error', reject);
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      const lines = buffer.split('\n').filter(Boolean);
      if (lines.length >= answers) {
        socket.destroy();
        resolve(lines);
      }
    });
    socket.on('close', () => resolve(buffer.split('\n').filter(Boolean)));
    socket.write(payload);
  });
}

/** A paid order whose one sheet is owed; `sheet: false` leaves no readable sheet behind. */
export async function owedOrder(
  host: BoothHost,
  options: { sheet: boolean; price?: number },
): Promise<string> {
  const price = options.price ?? 200;
  const sessionId = `test-${Math.random().toString(36).slice(2)}`;
  const orderId = crypto.randomUUID();
  let sheetId = 'no-such-sheet';
  if (options.sheet) {
    await host.privacy.vault.beginSession(sessionId, { receiptCode: newReceiptCode() });
    sheetId = await host.privacy.vault.put(
      sessionId,
      'print-sheet',
      Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1]),
    );
  }
  const ref = `ref-${orderId}`;
  host.journal.recordInserted({
    sessionId,
    ref,
    deviceId: 'SIM',
    amount: price,
    currency: 'EUR',
    channel: 'coin',
  });
  host.journal.placeOrder({ sessionId, orderId, productId: 'photos-2', price });
  host.journal.owePrints({
    orderId,
    sessionId,
    sheetIds: [sheetId],
    copies: 1,
    media: '4x6',
    reason: 'media-jam',
  });
  return orderId;
}
