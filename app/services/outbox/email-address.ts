import { z } from 'zod';

/** zod's own address check (the same the config's `mail.from` passes), not a hand-written regex. */
const address = z.string().max(254).email();

/**
 * Whether `text` has the shape of an email address (`name@domain.tld`). The keyboard screen
 * offers "Send" only then; the outbox checks again. Surrounding spaces are the caller's to trim.
 */
export function isEmailAddress(text: string): boolean {
  return address.safeParse(text).success;
}
