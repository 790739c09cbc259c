/** Faults a simulator can be told to have, as a technician would meet them (`empty`: a hopper runs dry). */
export type SimFault = 'disconnect' | 'jam' | 'out-of-paper' | 'timeout' | 'garbage' | 'empty';

export interface FaultInjectable {
  readonly supportedFaults: readonly SimFault[];
  readonly activeFaults: ReadonlySet<SimFault>;
  injectFault(fault: SimFault): void;
  /** Clears one fault, or all of them. */
  clearFault(fault?: SimFault): void;
}

/** The fault bookkeeping every simulator shares; `onChange` lets it refresh its status. */
export class FaultSet {
  readonly #active = new Set<SimFault>();

  constructor(
    readonly device: string,
    readonly supported: readonly SimFault[],
    private readonly onChange: () => void,
  ) {}

  get active(): ReadonlySet<SimFault> {
    return this.#active;
  }

  has(fault: SimFault): boolean {
    return this.#active.has(fault);
  }

  inject(fault: SimFault): void {
    if (!this.supported.includes(fault)) {
      throw new Error(
        `the simulated ${this.device} has no "${fault}" fault; it supports: ${this.supported.join(', ')}`,
      );
    }
    this.#active.add(fault);
    this.onChange();
  }

  clear(fault?: SimFault): void {
    if (fault) this.#active.delete(fault);
    else this.#active.clear();
    this.onChange();
  }
}
