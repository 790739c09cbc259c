/** A state value as one dotted name: `{customer: {payment: 'waiting'}}` → `customer.payment.waiting`. */
export function stateName(value: unknown): string {
  if (typeof value === 'string') return value;
  const [key, child] = Object.entries(value as Record<string, unknown>)[0]!;
  return `${key}.${stateName(child)}`;
}
