import type { Clock } from '../../core/clock.ts';
import type { SeededRandom } from '../../hardware/sim/seeded-random.ts';
import type { BoothConfig } from '../../config/schema.ts';
import type { Booth, SessionSnapshot } from '../booth/booth.ts';
import type { SimulatedDevices } from '../booth/create-devices.ts';
import { drawPersona, type Persona } from './personas.ts';
import { simulationFaults, type CcTalkFaultTargets, type SimulationFault } from './fault-plan.ts';

/** Where a customer's coins and notes go, by value (minor units). */
export interface MoneySlot {
  insertCoin(value: number): unknown;
  insertBill(value: number): unknown;
}

export interface CustomerScriptOptions {
  booth: Booth;
  devices: SimulatedDevices;
  /** Where customers put their money; the simulated payment device unless told otherwise. */
  money?: MoneySlot;
  /** The ccTalk emulators, when payment runs over ccTalk: its line faults strike there. */
  cctalk?: CcTalkFaultTargets;
  clock: Clock;
  random: SeededRandom;
  config: BoothConfig;
  customers: number;
  faults: readonly SimulationFault[];
  /** Chance that an enabled fault strikes a session that reaches its state. */
  faultRate?: number;
  /** How long until a technician mends a fault. */
  repairMs?: number;
}

const errorStates = new Set([
  'paymentFailed',
  'cameraFailed',
  'printFailed',
  'printOwed',
  'productionFailed',
  'storageFailed',
  'unavailable',
  'failed',
  'outOfService',
]);

/**
 * Customers who walk up one after another and use the booth as people do: some decline, some
 * linger, some walk away, some retake, most pay with several coins. They act only through the
 * screen (booth events) and the devices (coins into the acceptor), like a real person.
 */
export class ScriptedCustomers {
  readonly errors: Record<string, number> = {};
  arrived = 0;
  #persona: Persona | null = null;
  #visit = 0;
  #retakesDone = 0;
  /** A lingering person dawdles once, gets the "are you still there?" prompt, then gets on with it. */
  #lingered = false;
  #state = '';
  #top = '';
  #mending = new Set<SimulationFault>();
  #technicianCalled = false;

  constructor(private readonly o: CustomerScriptOptions) {}

  start(): void {
    this.o.booth.onChange((view) => {
      const state = view.state;
      if (state === this.#state) return;
      this.#state = state;
      this.#visit++;
      // Count each time the booth enters an error screen, not its internal re-checks.
      const top = state.split('.')[0]!;
      if (errorStates.has(top) && top !== this.#top) this.errors[top] = (this.errors[top] ?? 0) + 1;
      this.#top = top;
      this.#strikeFaults(state);
      this.#callTechnician(view.outOfServiceReason);
      this.#act(state, view.session);
    });
  }

  /** Runs `fn` after a person's think time, if the booth is still where it was. */
  #later(ms: number, fn: () => void): void {
    const visit = this.#visit;
    this.o.clock.setTimeout(() => {
      if (this.#visit === visit) fn();
    }, ms);
  }

  #think(min = 1_000, max = 4_000): number {
    return this.o.random.int(min, max);
  }

  #act(state: string, snapshot: SessionSnapshot | null): void {
    const { booth, random, config } = this.o;
    const p = this.#persona;
    switch (state) {
      case 'attract.idle':
        this.#persona = null;
        if (this.arrived < this.o.customers) {
          this.#later(random.int(5_000, 60_000), () => {
            this.arrived++;
            this.#persona = drawPersona(random, config);
            this.#retakesDone = 0;
            this.#lingered = false;
            booth.send({ type: 'TOUCH' });
          });
        }
        return;
      case 'customer.language':
        if (p && p.walksAwayAt !== 'language')
          this.#later(this.#think(), () => booth.send({ type: 'SELECT_LANGUAGE', language: p.language }));
        return;
      case 'customer.consent':
        if (p)
          this.#later(this.#think(3_000, 10_000), () =>
            booth.send({ type: p.declinesConsent ? 'DECLINE_CONSENT' : 'ACCEPT_CONSENT' }),
          );
        return;
      case 'customer.choose': {
        if (!p || p.walksAwayAt === 'choose') return;
        const dawdle = p.lingers && !this.#lingered;
        this.#lingered ||= p.lingers;
        this.#later(dawdle ? config.timeouts.inactivityMs + 1_000 : this.#think(2_000, 8_000), () =>
          booth.send({ type: 'CHOOSE', documentId: p.documentId, productId: p.productId }),
        );
        return;
      }
      case 'customer.payment.waiting':
        if (p) this.#pay(p, 0);
        return;
      case 'customer.shooting.pose':
        // The coach decides; someone it cannot get ready uses the capture button once offered.
        this.#later(config.timeouts.poseMs + 500, () => {
          if (booth.view().session?.context.manualCaptureOffered) booth.send({ type: 'CAPTURE_NOW' });
        });
        return;
      case 'customer.review': {
        if (!p || p.walksAwayAt === 'review') return;
        const review = snapshot?.context.review;
        const canRetake = (snapshot?.context.retakesLeft ?? 0) > 0;
        this.#later(this.#think(2_000, 6_000), () => {
          if (canRetake && (review?.verdict !== 'pass' || this.#retakesDone < p.retakes)) {
            this.#retakesDone++;
            booth.send({ type: 'RETAKE' });
          } else {
            booth.send({ type: review?.verdict === 'pass' ? 'ACCEPT_PHOTO' : 'CANCEL' });
          }
        });
        return;
      }
      case 'stillThere':
        if (p && p.walksAwayAt === null) this.#later(this.#think(), () => booth.send({ type: 'STILL_HERE' }));
        return;
      case 'confirmCancel':
        // Told what happens to the money, the person who meant to cancel confirms it.
        if (p) this.#later(this.#think(), () => booth.send({ type: 'CANCEL' }));
        return;
      case 'thankYou':
      case 'printOwed':
        this.#later(this.#think(3_000, 8_000), () => booth.send({ type: 'FINISH' }));
        return;
    }
  }

  /** Inserts the persona's money one piece at a time while the booth is in payment. */
  #pay(p: Persona, index: number): void {
    const { devices, booth, clock, random } = this.o;
    const slot = this.o.money ?? devices.payment;
    const piece = p.money[index];
    if (!piece) return;
    const leaving = p.walksAwayAt === 'payment' || p.cancelsInPayment;
    if (leaving && index >= 1) {
      if (p.cancelsInPayment) this.#later(this.#think(), () => booth.send({ type: 'CANCEL' }));
      return;
    }
    clock.setTimeout(
      () => {
        if (!booth.state.startsWith('customer.payment')) return;
        if (piece.kind === 'coin') slot.insertCoin(piece.value);
        else slot.insertBill(piece.value);
        this.#pay(p, index + 1);
      },
      random.int(1_500, 4_000),
    );
  }

  /**
   * What keeps the booth closed until staff come: a payment device that kept faulting (a
   * technician clears it), a printer whose paper ran out in use (the operator loads a new roll).
   * They come after the repair time; injected faults mend on their own schedule.
   */
  #callTechnician(reason: string | null): void {
    const mend = reason?.startsWith('payment:repeated-')
      ? () => this.o.booth.clearPaymentFaults()
      : reason === 'photo-printer:media-empty'
        ? () => this.o.devices.photoPrinter.refill()
        : null;
    if (!mend || this.#technicianCalled) return;
    this.#technicianCalled = true;
    this.o.clock.setTimeout(
      () => {
        this.#technicianCalled = false;
        mend();
      },
      this.o.repairMs ?? 10 * 60_000,
    );
  }

  #strikeFaults(state: string): void {
    const { faults, random, clock } = this.o;
    const targets = { ...this.o.devices, cctalk: this.o.cctalk };
    for (const name of faults) {
      const fault = simulationFaults[name];
      if (fault.strikesIn !== state || this.#mending.has(name) || !random.chance(this.o.faultRate ?? 0.1))
        continue;
      this.#mending.add(name);
      // Strike a moment into the state: mid-payment after a coin, mid-job for the printer.
      clock.setTimeout(() => fault.inject(targets), fault.delayMs);
      clock.setTimeout(
        () => {
          fault.mend(targets);
          this.#mending.delete(name);
        },
        this.o.repairMs ?? 10 * 60_000,
      );
    }
  }
}
