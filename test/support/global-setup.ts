/**
 * Vitest global setup: runs once before any test worker starts.
 *
 * ippeveprinter needs a live system D-Bus and avahi-daemon. Starting them here, once, keeps
 * parallel test files from racing to start (and clean up after) the same daemons; the printer
 * helper still checks, for a single file run outside this setup.
 */
import { ensureDbusAndAvahi, findIppeveprinter } from '../hardware/ipp/ipp-everywhere-printer.ts';

export default function setup(): void {
  if (findIppeveprinter() && process.getuid?.() === 0) ensureDbusAndAvahi();
}
