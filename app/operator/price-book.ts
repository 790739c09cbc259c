import type { BoothConfig, OperatorRole } from '../../config/schema.ts';
import type { OperatorConfigSource } from './operator-access.ts';
import type { AuditInput } from './operator-audit.ts';
import { OperatorError } from './operator-error.ts';

export interface PriceChange {
  product: string;
  before: number;
  after: number;
  currency: string;
  /** The config with the new price, handed to `apply`. */
  config: BoothConfig;
}

/**
 * The operator's prices. A change goes through the unit's config store (validated by the same
 * schema as the file, written atomically), is audited (who, the product, old → new) and is handed
 * to `apply`, which the host makes "between customers" (BoothHost.requestConfig): a customer who
 * has already chosen pays what the screen showed them.
 */
export class PriceBook {
  readonly #config: OperatorConfigSource;
  readonly #audit: (entry: AuditInput) => void;
  readonly #apply: (config: BoothConfig) => void;

  constructor(deps: {
    config: OperatorConfigSource;
    audit: (entry: AuditInput) => void;
    apply: (config: BoothConfig) => void;
  }) {
    this.#config = deps.config;
    this.#audit = deps.audit;
    this.#apply = deps.apply;
  }

  /** `amount` in minor units (cents). Refuses an unknown product or an amount that is not a price. */
  setPrice(input: { product: string; amount: number; role: OperatorRole }): PriceChange {
    const { product, amount, role } = input;
    if (!Number.isSafeInteger(amount) || amount < 0)
      throw new OperatorError(
        'price-invalid',
        `a price is a whole number of minor units (cents), 0 or more, not ${amount}`,
      );
    const current = this.#config.current();
    const known = current.products.find((p) => p.id === product);
    if (!known)
      throw new OperatorError(
        'product-unknown',
        `no product "${product}" (the products are ${current.products.map((p) => p.id).join(', ')})`,
      );
    const before = known.price;
    // The file's own products, changed in place: defaults the file leaves out stay left out.
    const next = this.#config.update((draft) => {
      const products = (draft.products ?? current.products).map((p) =>
        p.id === product ? { ...p, price: amount } : p,
      );
      draft.products = products;
    });
    this.#audit({ role, action: 'price-changed', subject: product, before, after: amount });
    this.#apply(next);
    return { product, before, after: amount, currency: next.currency, config: next };
  }

  /**
   * Offers a product to customers again, or withdraws it (its price is kept for later). The
   * schema refuses withdrawing the last one offered. Applied between customers, audited.
   */
  setOffered(input: { product: string; offered: boolean; role: OperatorRole }): BoothConfig {
    const { product, offered, role } = input;
    const current = this.#config.current();
    const known = current.products.find((p) => p.id === product);
    if (!known)
      throw new OperatorError(
        'product-unknown',
        `no product "${product}" (the products are ${current.products.map((p) => p.id).join(', ')})`,
      );
    if (known.offered === offered) return current;
    const next = this.#config.update((draft) => {
      draft.products = (draft.products ?? current.products).map((p) =>
        p.id === product ? { ...p, offered } : p,
      );
    });
    this.#audit({
      role,
      action: offered ? 'product-offered' : 'product-withdrawn',
      subject: product,
      before: known.offered,
      after: offered,
    });
    this.#apply(next);
    return next;
  }
}
