import { decodeEscPos } from '../../hardware/receipt/escpos-decode.ts';
import { EscPosReceiptPrinter } from '../../hardware/receipt/escpos-receipt-printer.ts';
import { EscPosTcpEmulator } from '../../hardware/receipt/escpos-tcp-emulator.ts';
import { realTime } from './device-time.ts';
import { describeReceiptPrinterContract } from './receipt-printer-contract.ts';

/**
 * The ESC/POS adapter over TCP against a local printer emulator that records every byte and
 * answers DLE EOT 4; the driver decodes each print connection's bytes back to its text lines.
 */
describeReceiptPrinterContract('EscPosReceiptPrinter over TCP', async () => {
  const emulator = await EscPosTcpEmulator.start();
  const device = new EscPosReceiptPrinter({ uri: emulator.uri, pollMs: 0, timeZone: 'UTC' });
  return {
    device,
    driver: { printed: () => emulator.jobs().map((bytes) => decodeEscPos(bytes).lines.join('\n')) },
    time: realTime(),
    teardown: () => emulator.close(),
  };
});
