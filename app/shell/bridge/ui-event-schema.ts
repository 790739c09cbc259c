import { z } from 'zod';
import type { BridgeClientMessage, UiEvent, UiStaffEvent } from './kiosk-api.ts';
import { deviceTests, operatorPages } from '../../../flows/operator/events.ts';
import { contactReasons } from '../../services/outbox/outbox-api.ts';

/**
 * Everything the screen sends is untrusted: a renderer can be buggy or, in the browser shell,
 * another local page could try. Each event is a strict object (no extra keys), strings are short
 * and match a narrow pattern, amounts are positive whole numbers. Anything else is dropped.
 */
const language = z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/);
const id = z
  .string()
  .max(64)
  .regex(/^[a-z0-9][a-z0-9._-]*$/i);

/** An email address as the on-screen keyboard types it (the outbox checks it again before sealing it). */
const emailAddress = z.string().max(254).email();

const bare = <T extends string>(type: T) => z.strictObject({ type: z.literal(type) });
const pin = z.string().regex(/^\d{4,12}$/);
/** A voucher or receipt code as typed on the code pad: Crockford letters and digits, an optional dash; the service normalises. */
const printedCode = z
  .string()
  .max(16)
  .regex(/^[0-9A-Za-z -]*$/);

export const uiEventSchema = z.discriminatedUnion('type', [
  bare('TOUCH'),
  z.strictObject({ type: z.literal('SELECT_LANGUAGE'), language }),
  bare('ACCEPT_CONSENT'),
  bare('DECLINE_CONSENT'),
  z.strictObject({ type: z.literal('CHOOSE'), documentId: id, productId: id }),
  bare('CANCEL'),
  bare('KEEP_GOING'),
  bare('CAPTURE_NOW'),
  bare('ACCEPT_PHOTO'),
  bare('RETAKE'),
  bare('STILL_HERE'),
  bare('FINISH'),
  z.strictObject({ type: z.literal('REDEEM_VOUCHER'), code: printedCode }),
  // An address typed on the email keyboard: only its shape here, the outbox checks it again.
  z.strictObject({ type: z.literal('EMAIL_SEND'), address: emailAddress }),
  bare('EMAIL_SKIP'),
  bare('CONTACT_US'),
  z.strictObject({ type: z.literal('CONTACT_SEND'), address: emailAddress, reason: z.enum(contactReasons) }),
  bare('CONTACT_CANCEL'),
  z.strictObject({
    type: z.literal('STAFF_INSERT'),
    kind: z.enum(['coin', 'bill']),
    value: z.number().int().positive().max(1_000_000),
  }),
  z.strictObject({
    type: z.literal('STAFF_FAULT'),
    device: z.enum(['camera', 'payment', 'photoPrinter', 'receiptPrinter', 'hopper']),
    fault: z.enum(['disconnect', 'jam', 'out-of-paper', 'timeout', 'garbage', 'empty']),
  }),
  bare('STAFF_CLEAR_FAULTS'),
  bare('STAFF_REFILL_PRINTER'),
  bare('STAFF_NEXT_PERSON'),
  bare('OPERATOR_ENTER'),
  // Digits only, as config/pin.ts takes them; the PIN is checked (and counted) by the services.
  z.strictObject({ type: z.literal('OPERATOR_PIN'), pin: pin }),
  z.strictObject({ type: z.literal('OPERATOR_NEW_PIN'), pin: pin }),
  z.strictObject({ type: z.literal('OPERATOR_OPEN'), page: z.enum(operatorPages) }),
  bare('OPERATOR_BACK'),
  bare('OPERATOR_EXIT'),
  // A cash box holds far less than this; more is a typing slip, not a count.
  z.strictObject({
    type: z.literal('OPERATOR_EMPTY_CASH'),
    counted: z.number().int().min(0).max(100_000_000),
  }),
  z.strictObject({ type: z.literal('OPERATOR_MEDIA_LOADED'), prints: z.number().int().min(1).max(100_000) }),
  bare('OPERATOR_OUT_OF_SERVICE'),
  bare('OPERATOR_IN_SERVICE'),
  bare('OPERATOR_RESTART'),
  bare('OPERATOR_DECOMMISSION'),
  z.strictObject({ type: z.literal('OPERATOR_FIND_RECEIPT'), code: printedCode }),
  bare('OPERATOR_REPRINT'),
  bare('OPERATOR_DELETE_PHOTOS'),
  z.strictObject({ type: z.literal('OPERATOR_RUN_TEST'), test: z.enum(deviceTests) }),
  z.strictObject({ type: z.literal('OPERATOR_RETRY_OWED'), orderId: id }),
  z.strictObject({ type: z.literal('OPERATOR_RESEND_MAIL'), id }),
  z.strictObject({ type: z.literal('OPERATOR_SET_DOCUMENT'), documentId: id, enabled: z.boolean() }),
  z.strictObject({ type: z.literal('OPERATOR_SET_PRODUCT'), productId: id, enabled: z.boolean() }),
  z.strictObject({
    type: z.literal('OPERATOR_GIVE_UP_OWED'),
    orderId: id,
    as: z.enum(['refund', 'voucher']),
  }),
  z.strictObject({
    type: z.literal('OPERATOR_SET_PRICE'),
    productId: id,
    price: z.number().int().min(0).max(1_000_000),
  }),
  z.strictObject({
    type: z.literal('OPERATOR_RESET_COUNTER'),
    name: z
      .string()
      .max(80)
      .regex(/^[a-z]+(:[a-z0-9._-]+)?$/i),
  }),
]) satisfies z.ZodType<UiEvent>;

/** The one message a client sends: `{ kind: 'event', event }`. */
export const bridgeClientMessageSchema = z.strictObject({ kind: z.literal('event'), event: uiEventSchema });

/** A valid UiEvent, or null for anything else (never throws). */
export function parseUiEvent(raw: unknown): UiEvent | null {
  const result = uiEventSchema.safeParse(raw);
  return result.success ? (result.data as UiEvent) : null;
}

/** A valid client message's event, or null. */
export function parseClientMessage(raw: unknown): BridgeClientMessage | null {
  const result = bridgeClientMessageSchema.safeParse(raw);
  return result.success ? (result.data as BridgeClientMessage) : null;
}

/** The staff panel's events (demo mode only). */
export function isStaffEvent(event: UiEvent): event is UiStaffEvent {
  return event.type.startsWith('STAFF_');
}
