import { randomBytes } from 'node:crypto';
import { hashSecret } from '../../config/pin.ts';
import type { BoothConfigInput } from '../../config/schema.ts';

/**
 * A new technician token: 32 random bytes, base64url (43 characters). Only its scrypt hash is
 * written to the config (through the unit's config store: validated, atomic); the token itself
 * is returned once, to be shown once, and is kept nowhere. The old token stops working.
 */
export function issueTechnicianToken(store: {
  update(change: (draft: BoothConfigInput) => void): unknown;
}): string {
  const token = randomBytes(32).toString('base64url');
  const hash = hashSecret(token, 'token');
  store.update((draft) => {
    draft.diagnostics = { ...(draft.diagnostics ?? {}), technicianTokenHash: hash };
  });
  return token;
}
