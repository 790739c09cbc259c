import { z } from 'zod';
import type { Clock } from '../../core/clock.ts';
import { pathText } from '../../core/config-fields.ts';
import type { ReceiptPrinter } from './receipt-printer-port.ts';
import { SimulatedReceiptPrinter } from './simulated-receipt-printer.ts';
import { EscPosReceiptPrinter } from './escpos-receipt-printer.ts';

/** `hardware.receiptPrinter`: the small printer for the receipt code, or none (code on screen only). */
export const receiptPrinterConfigSchema = z
  .discriminatedUnion('adapter', [
    z.strictObject({ adapter: z.literal('simulated'), seed: z.number().int().optional() }),
    z.strictObject({ adapter: z.literal('none') }),
    z.strictObject({
      adapter: z.literal('escpos'),
      /** `tcp://host[:9100]` or a serial or USB printer device path. */
      address: pathText(),
    }),
  ])
  .default({ adapter: 'simulated' });

export type ReceiptPrinterConfig = z.infer<typeof receiptPrinterConfigSchema>;

/** The receipt printer a config names (null for none), not yet opened. */
export function createReceiptPrinter(
  config: ReceiptPrinterConfig,
  deps: { clock: Clock; seed: number },
): ReceiptPrinter | null {
  switch (config.adapter) {
    case 'simulated':
      return new SimulatedReceiptPrinter({ clock: deps.clock, seed: deps.seed });
    case 'none':
      return null;
    case 'escpos':
      return new EscPosReceiptPrinter({ uri: config.address });
  }
}
