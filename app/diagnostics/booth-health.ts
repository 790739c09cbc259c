import type { BoothHost } from '../host/booth-host.ts';
import type { DeviceStatus } from '../../hardware/device-status.ts';
import { ClockTrust } from '../services/vault/clock-trust.ts';
import { StorageWatch } from '../booth/storage-watch.ts';
import type { BoothMetrics } from './booth-metrics.ts';

/** The RFC draft "Health Check Response Format for HTTP APIs" (draft-inadarei-api-health-check). */
export type HealthStatus = 'pass' | 'warn' | 'fail';

export interface HealthCheck {
  componentType?: string;
  observedValue: unknown;
  observedUnit?: string;
  status: HealthStatus;
  time: string;
  output?: string;
}

export interface HealthReport {
  status: HealthStatus;
  version: string;
  serviceId: string;
  description: string;
  checks: Record<string, HealthCheck[]>;
}

/** Devices without which the booth cannot sell: not ready is `fail`. The others only `warn`. */
const essential = new Set(['camera', 'payment', 'photo-printer']);
/** Coaching slower than this is felt by the customer (the coach lags their movement). */
const slowCoachSeconds = 0.25;
/** A live view below this frame rate looks jerky to the customer. */
const lowFps = 10;

/**
 * What a technician (or a monitor) asks first: is this booth fit to sell, and if not, why. Each
 * check is named `<component>:<measurement>` as the draft has it; the booth's status is its
 * worst check's. Nothing personal: counts, bytes, times and reasons.
 */
export function boothHealth(parts: {
  host: BoothHost;
  metrics: BoothMetrics;
  dataDir: string;
  version: string;
}): HealthReport {
  const { host, metrics } = parts;
  const now = host.clock.now();
  const time = new Date(now).toISOString();
  const checks: Record<string, HealthCheck[]> = {};
  const add = (name: string, check: Omit<HealthCheck, 'time'>) => (checks[name] = [{ ...check, time }]);
  const config = host.config;
  const booth = host.booth;
  const devices = booth.devices;
  const device = (name: string, status: DeviceStatus) =>
    add(`${name}:ready`, {
      componentType: 'component',
      observedValue: status.ready,
      status: status.ready ? 'pass' : essential.has(name) ? 'fail' : 'warn',
      ...(status.reasons.length ? { output: status.reasons.join(', ') } : {}),
    });
  device('camera', devices.camera.status());
  device('payment', devices.payment.status());
  const printer = devices.photoPrinter.status();
  device('photo-printer', printer);
  add('photo-printer:media', {
    componentType: 'component',
    observedValue: printer.mediaRemaining,
    observedUnit: 'prints',
    status: printer.reasons.includes('media-empty')
      ? 'fail'
      : printer.reasons.includes('media-low')
        ? 'warn'
        : 'pass',
  });
  if (devices.receiptPrinter) device('receipt-printer', devices.receiptPrinter.status());
  if (devices.hopper) device('hopper', devices.hopper.status());

  const view = booth.view();
  add('booth:in-service', {
    componentType: 'system',
    observedValue: view.outOfServiceReason === null,
    status: view.outOfServiceReason === null ? 'pass' : 'warn',
    ...(view.outOfServiceReason ? { output: view.outOfServiceReason } : {}),
  });

  const reserve = config.storage.reserveMb * 1024 * 1024;
  const free = new StorageWatch({ dir: parts.dataDir, reserveBytes: reserve, clock: host.clock }).freeBytes();
  add('storage:free', {
    componentType: 'system',
    observedValue: free,
    observedUnit: 'bytes',
    status: free === null || free < reserve ? 'fail' : free < 2 * reserve ? 'warn' : 'pass',
  });

  const clock = ClockTrust.forConfig(host.privacy.vault.index, config.retention).check(now);
  add('clock:trusted', {
    componentType: 'system',
    observedValue: clock.trusted,
    // The booth sells on; only deleting by age waits for a clock it can trust.
    status: clock.trusted ? 'pass' : 'warn',
    ...(clock.reason ? { output: clock.reason } : {}),
  });

  const vault = host.privacy.vault.index.stats();
  add('vault:bytes', {
    componentType: 'datastore',
    observedValue: vault.bytes,
    observedUnit: 'bytes',
    status: 'pass',
  });
  // A session past its expiry an hour after the retention check should have run: retention is behind.
  const overdue =
    vault.nextExpiry !== null && vault.nextExpiry < now - (config.retention.checkEveryMinutes + 60) * 60_000;
  add('retention:next-wipe', {
    componentType: 'datastore',
    observedValue: vault.nextExpiry === null ? null : new Date(vault.nextExpiry).toISOString(),
    status: overdue ? 'warn' : 'pass',
    ...(overdue ? { output: 'photos past their retention are still in the vault' } : {}),
  });

  let journal: Omit<HealthCheck, 'time'>;
  try {
    const totals = host.journal.totals();
    const owed = host.journal.owedPrintCount();
    journal = {
      componentType: 'datastore',
      observedValue: { balance: totals.balance, printsOwed: owed, payoutsUnsettled: totals.payoutsUnsettled },
      status: owed > 0 || totals.payoutsUnsettled > 0 ? 'warn' : 'pass',
    };
  } catch (error) {
    journal = {
      componentType: 'datastore',
      observedValue: null,
      status: 'fail',
      output: (error as Error).message,
    };
  }
  add('journal:readable', journal);

  const fps = metrics.cameraFps();
  add('camera:fps', {
    componentType: 'component',
    observedValue: fps,
    observedUnit: 'frames/s',
    // 0 between customers: no live view runs then.
    status: fps > 0 && fps < lowFps ? 'warn' : 'pass',
  });
  const p95 = metrics.coachLatencyP95();
  add('coaching:latency', {
    componentType: 'component',
    observedValue: p95,
    observedUnit: 's',
    status: p95 !== null && p95 > slowCoachSeconds ? 'warn' : 'pass',
  });

  const all = Object.values(checks).flat();
  const status: HealthStatus = all.some((c) => c.status === 'fail')
    ? 'fail'
    : all.some((c) => c.status === 'warn')
      ? 'warn'
      : 'pass';
  return {
    status,
    version: parts.version,
    serviceId: config.unit.id,
    description: 'ID-photo booth',
    checks,
  };
}
