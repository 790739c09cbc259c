import type { PaymentFaultCode } from '../../../../core/errors.ts';
import {
  BillCredit,
  BillEvent,
  billEventText,
  CoinError,
  coinErrorText,
  firstInhibitedChannelCode,
} from '../driver/cctalk-codes.ts';

/**
 * What one buffered event of a coin acceptor (229) or bill validator (159) means to the booth.
 * Credits and escrow name the channel (coin channel or bill type); the adapter looks up its id
 * and value. Refusals are things the customer sees (the coin falls back); faults are for staff.
 */
export type CcTalkEventMeaning =
  | { kind: 'none' }
  | { kind: 'credit'; channel: number }
  | { kind: 'escrow'; channel: number }
  | { kind: 'returned' }
  | { kind: 'rejected'; reason: string; message: string }
  | { kind: 'fault'; code: PaymentFaultCode; message: string }
  /** The stacker is back in order (emptied or put back): the stacker-full condition is over. */
  | { kind: 'stacker-ok'; message: string };

/** Coin error codes that mean the coin went back to the customer, as the booth names them. */
const coinRefusals: Readonly<Record<number, string>> = {
  [CoinError.RejectCoin]: 'coin-rejected',
  [CoinError.InhibitedCoin]: 'inhibited',
  3: 'coin-rejected', // multiple window
  5: 'coin-rejected', // validation timeout
  24: 'coin-rejected', // repeated sequential trip
  [CoinError.RejectSlug]: 'slug',
};

/** Coin error codes staff should hear about by a name of their own. */
const coinFaults: Readonly<Record<number, PaymentFaultCode>> = {
  [CoinError.CreditSequenceError]: 'credit-sequence-error',
  [CoinError.CoinGoingBackwards]: 'coin-going-backwards',
  [CoinError.CoinOnString]: 'string-fraud',
  36: 'swallowed-coin',
  40: 'light-attack',
  [CoinError.FlightDeckOpen]: 'flight-deck-open',
  [CoinError.UnspecifiedAlarm]: 'coin-alarm',
};

export function coinEventMeaning(resultA: number, resultB: number): CcTalkEventMeaning {
  if (resultA !== 0) return { kind: 'credit', channel: resultA };
  if (resultB === CoinError.NullEvent) return { kind: 'none' };
  const text = coinErrorText[resultB] ?? `coin error code ${resultB}`;
  if (resultB >= firstInhibitedChannelCode && resultB < firstInhibitedChannelCode + 32) {
    const channel = resultB - firstInhibitedChannelCode + 1;
    return { kind: 'rejected', reason: 'inhibited', message: `a coin of inhibited channel ${channel}` };
  }
  const refusal = coinRefusals[resultB];
  if (refusal) return { kind: 'rejected', reason: refusal, message: text };
  return { kind: 'fault', code: coinFaults[resultB] ?? `coin-error-${resultB}`, message: text };
}

const billRefusals: Readonly<Record<number, string>> = {
  [BillEvent.MasterInhibitActive]: 'inhibited',
  [BillEvent.InvalidBillValidation]: 'bill-rejected',
  [BillEvent.InvalidBillTransport]: 'bill-rejected',
  [BillEvent.InhibitedBillSerial]: 'inhibited',
  [BillEvent.InhibitedBillDipSwitch]: 'inhibited',
  [BillEvent.BarcodeDetected]: 'barcode',
};

const billFaults: Readonly<Record<number, PaymentFaultCode>> = {
  [BillEvent.JammedInTransportUnsafe]: 'note-jam',
  [BillEvent.JammedInStacker]: 'note-jam',
  [BillEvent.JammedInTransportSafe]: 'note-jam',
  [BillEvent.PulledBackwards]: 'note-pulled-back',
  [BillEvent.BillTamper]: 'bill-tamper',
  [BillEvent.StackerRemoved]: 'stacker-removed',
  [BillEvent.StackerFaulty]: 'stacker-faulty',
  [BillEvent.StackerFull]: 'stacker-full',
  [BillEvent.StackerJammed]: 'stacker-jam',
  [BillEvent.OptoFraud]: 'opto-fraud',
  [BillEvent.StringFraud]: 'string-fraud',
  [BillEvent.AntiStringFaulty]: 'anti-string-faulty',
  [BillEvent.UnknownBillTypeStacked]: 'unknown-bill-stacked',
};

export function billEventMeaning(resultA: number, resultB: number): CcTalkEventMeaning {
  if (resultA !== 0) {
    if (resultB === BillCredit.Stacked) return { kind: 'credit', channel: resultA };
    if (resultB === BillCredit.Escrow) return { kind: 'escrow', channel: resultA };
    return {
      kind: 'fault',
      code: `bill-event-${resultA}-${resultB}`,
      message: `bill type ${resultA} with an unknown result ${resultB}`,
    };
  }
  const text = billEventText[resultB] ?? `bill event code ${resultB}`;
  if (resultB === BillEvent.ReturnedFromEscrow) return { kind: 'returned' };
  if (resultB === BillEvent.StackerOk || resultB === BillEvent.StackerInserted) {
    return { kind: 'stacker-ok', message: text };
  }
  const refusal = billRefusals[resultB];
  if (refusal) return { kind: 'rejected', reason: refusal, message: text };
  return { kind: 'fault', code: billFaults[resultB] ?? `bill-event-${resultB}`, message: text };
}
