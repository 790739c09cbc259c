import type { BoothHost } from '../host/booth-host.ts';
import type { OperatorConfigSource } from '../operator/operator-access.ts';
import type { Logger } from '../logging/logger.ts';

/** The devices a technician may re-probe, as the health checks name them. */
export const probeableDevices = ['camera', 'payment', 'photo-printer', 'receipt-printer', 'hopper'] as const;
export type ProbeableDevice = (typeof probeableDevices)[number];

export type ActionResult =
  | { ok: true; status: number; result: Record<string, unknown> }
  | { ok: false; status: number; code: string; message: string };

/**
 * What a technician may do from afar: restart the booth, close it to customers and open it
 * again, re-probe a device. Nothing that moves money or touches a customer's data: those stay
 * on the booth's screen and `kiosk` commands behind the PIN. Everything waits for a moment with
 * no customer at the booth, as a config change does, so nobody's session is cut off.
 */
export class TechnicianActions {
  readonly #o: {
    host: BoothHost;
    configSource: OperatorConfigSource | null;
    logger: Logger;
    restartProcess?: () => void;
  };

  constructor(options: {
    host: BoothHost;
    configSource: OperatorConfigSource | null;
    logger: Logger;
    /** Ends the process for its service manager to start again (`kiosk start` under systemd). */
    restartProcess?: () => void;
  }) {
    this.#o = options;
  }

  /**
   * `process`: the process ends for systemd to start it again (Restart=always), once no
   * customer is at the booth. `flow`: the booth's flow starts again in place, devices kept.
   */
  restart(scope: 'flow' | 'process'): ActionResult {
    const { host, logger } = this.#o;
    if (scope === 'process') {
      const restart = this.#o.restartProcess;
      if (!restart)
        return {
          ok: false,
          status: 409,
          code: 'not-allowed',
          message: 'this booth runs without a service manager to restart it',
        };
      logger.info({ by: 'technician', scope }, 'diagnostics: restart requested');
      this.#whenNoCustomer(restart);
      return { ok: true, status: 202, result: { restart: scope, applies: this.#applies() } };
    }
    logger.info({ by: 'technician', scope }, 'diagnostics: restart requested');
    host.requestConfig(this.#config());
    return { ok: true, status: 202, result: { restart: scope, applies: this.#applies() } };
  }

  /** Out of service (`on`) or back in service: the operator's own switch, kept across restarts. */
  async maintenance(on: boolean): Promise<ActionResult> {
    const { host, logger } = this.#o;
    const desk = host.booth.operator;
    if (!desk)
      return {
        ok: false,
        status: 409,
        code: 'operator-unavailable',
        message: 'this booth has no operator services',
      };
    const applies = this.#applies();
    await desk.setMaintenance({ on, role: 'technician' });
    // The booth reads the switch when its flow starts: a fresh flow between customers takes it.
    host.requestConfig(this.#config());
    logger.info({ by: 'technician', maintenance: on }, 'diagnostics: service switched');
    return { ok: true, status: 202, result: { maintenance: on, applies } };
  }

  /** Closes and opens one device again, between customers, and says what it reports now. */
  async reprobe(device: string): Promise<ActionResult> {
    if (!(probeableDevices as readonly string[]).includes(device))
      return {
        ok: false,
        status: 400,
        code: 'request-invalid',
        message: `unknown device "${device}" (known: ${probeableDevices.join(', ')})`,
      };
    const { host, logger } = this.#o;
    const view = host.booth.view();
    if (!view.betweenCustomers)
      return {
        ok: false,
        status: 409,
        code: 'customer-at-booth',
        message: 'a customer is at the booth: re-probe between customers',
      };
    const devices = host.booth.devices;
    const port = {
      camera: devices.camera,
      payment: devices.payment,
      'photo-printer': devices.photoPrinter,
      'receipt-printer': devices.receiptPrinter,
      hopper: devices.hopper,
    }[device as ProbeableDevice];
    if (!port)
      return { ok: false, status: 404, code: 'request-invalid', message: `this booth has no ${device}` };
    logger.info({ by: 'technician', device }, 'diagnostics: device re-probe');
    await port.close().catch(() => {});
    try {
      await port.open();
    } catch (error) {
      return {
        ok: true,
        status: 200,
        result: { device, opened: false, error: (error as Error).message, status: port.status() },
      };
    }
    return { ok: true, status: 200, result: { device, opened: true, status: port.status() } };
  }

  #config() {
    return this.#o.configSource?.current() ?? this.#o.host.config;
  }

  #applies(): 'now' | 'after the customer at the booth' {
    return this.#o.host.booth.view().betweenCustomers ? 'now' : 'after the customer at the booth';
  }

  #whenNoCustomer(then: () => void): void {
    const { host } = this.#o;
    if (host.booth.view().betweenCustomers) return then();
    const off = host.booth.onChange((view) => {
      if (!view.betweenCustomers) return;
      off();
      then();
    });
  }
}
