import type { BoothDevices } from './booth-devices.ts';

interface HealthStatus {
  ready: boolean;
  reasons: readonly string[];
}

/** Something beside the devices that can keep the booth from taking money. */
export interface HealthSource {
  status(): HealthStatus;
}

export interface Health {
  ok: boolean;
  /** `<device>:<reason>` for staff, e.g. `photo-printer:media-empty`; null when ok. */
  reason: string | null;
}

/**
 * Can the booth take money for a product that needs `prints` sheets? The receipt printer is not
 * needed: the receipt code is on screen too.
 */
export function deviceHealth(
  devices: BoothDevices,
  prints: number,
  watches: {
    /** The booth's backdrop and lamps. */
    environment?: HealthSource;
    /** A payment device that answers but keeps faulting (see PaymentFaultWatch). */
    paymentFaults?: HealthSource;
    /** Free space for the journal and the vault (see StorageWatch). */
    storage?: HealthSource;
    /** The operator's opening hours (see OpeningHours): closed outside them. */
    hours?: HealthSource;
    /** The booth's end of service (see EndOfServiceWatch): closed for good from `closed` on. */
    endOfService?: HealthSource;
  } = {},
): Health {
  const { environment, paymentFaults, storage, hours, endOfService } = watches;
  const checks: [string, HealthStatus][] = [
    // A booth closing down takes no more money, whatever else holds.
    ...(endOfService ? [['service', endOfService.status()] as [string, HealthStatus]] : []),
    // Closed is closed: said first, whatever the devices.
    ...(hours ? [['hours', hours.status()] as [string, HealthStatus]] : []),
    // No photo or journal row can be kept without room: checked first, before any money is taken.
    ...(storage ? [['storage', storage.status()] as [string, HealthStatus]] : []),
    ['camera', devices.camera.status()],
    ['payment', devices.payment.status()],
    ...(paymentFaults ? [['payment', paymentFaults.status()] as [string, HealthStatus]] : []),
    ['photo-printer', devices.photoPrinter.status()],
    // The booth's own backdrop and lamps: no photo can pass when they are too far off.
    ...(environment ? [['environment', environment.status()] as [string, HealthStatus]] : []),
  ];
  for (const [name, status] of checks) {
    if (!status.ready) return { ok: false, reason: `${name}:${status.reasons[0] ?? 'not-ready'}` };
  }
  const remaining = devices.photoPrinter.status().mediaRemaining;
  if (remaining !== null && remaining < prints)
    return { ok: false, reason: 'photo-printer:media-low-for-product' };
  return { ok: true, reason: null };
}
