import { z } from 'zod';
import type { Clock } from '../../core/clock.ts';
import type { PrintMedia } from '../../core/print-media.ts';
import { pathText, periodMs, urlWith } from '../../core/config-fields.ts';
import type { PhotoPrinter } from './photo-printer-port.ts';
import { SimulatedPhotoPrinter } from './simulated-photo-printer.ts';
import { IppPhotoPrinter } from './ipp-photo-printer.ts';
import { FolderPhotoPrinter } from './folder-photo-printer.ts';
import type { MediaCounter } from './media-counter.ts';

export type { MediaCount, MediaCounter } from './media-counter.ts';

/** `hardware.photoPrinter`: where the booth's print sheets go. */
export const photoPrinterConfigSchema = z
  .discriminatedUnion('adapter', [
    z.strictObject({
      adapter: z.literal('simulated'),
      seed: z.number().int().optional(),
      capacity: z.number().int().nonnegative().default(400),
    }),
    z.strictObject({
      adapter: z.literal('ipp'),
      /** ipp://, ipps:// or http(s):// URL of the printer or its CUPS queue. */
      url: urlWith(['ipp', 'ipps', 'http', 'https']),
      /** Prints the loaded media is good for (counted down per print) where the printer cannot tell. */
      loadedPrints: z.number().int().nonnegative().nullable().default(null),
      pollMs: periodMs().default(5000),
    }),
    z.strictObject({
      adapter: z.literal('folder'),
      /** An existing folder the sheets are written to (demo mode, printers outside IPP). */
      path: pathText(),
      loadedPrints: z.number().int().nonnegative().nullable().default(null),
    }),
  ])
  .default({ adapter: 'simulated', capacity: 400 });

export type PhotoPrinterConfig = z.infer<typeof photoPrinterConfigSchema>;

export interface PhotoPrinterDeps {
  clock: Clock;
  seed: number;
  /** The media loaded (`production.media`): the folder printer refuses sheets for any other. */
  media: PrintMedia;
  /**
   * Where the IPP and folder printers count their media, across restarts (the booth's
   * PaperStock); without it they count `loadedPrints` down in memory.
   */
  mediaCounter?: MediaCounter;
}

/** The photo printer a config names, not yet opened. */
export function createPhotoPrinter(config: PhotoPrinterConfig, deps: PhotoPrinterDeps): PhotoPrinter {
  switch (config.adapter) {
    case 'simulated':
      return createSimulatedPhotoPrinter(config, deps);
    case 'ipp':
      return new IppPhotoPrinter({
        url: config.url,
        loadedPrints: config.loadedPrints,
        mediaCounter: deps.mediaCounter,
        pollMs: config.pollMs,
      });
    case 'folder':
      return new FolderPhotoPrinter({
        folder: config.path,
        media: deps.media,
        loadedPrints: config.loadedPrints,
        mediaCounter: deps.mediaCounter,
      });
  }
}

export function createSimulatedPhotoPrinter(
  config: PhotoPrinterConfig | undefined,
  deps: PhotoPrinterDeps,
): SimulatedPhotoPrinter {
  return new SimulatedPhotoPrinter({
    clock: deps.clock,
    seed: deps.seed,
    capacity: config?.adapter === 'simulated' ? config.capacity : 400,
  });
}

/**
 * What a printer is built from: a change of any of it means a new printer (a media change
 * matters only to the folder printer; IPP and the simulator take each sheet's media as it comes).
 */
export function photoPrinterIdentity(config: PhotoPrinterConfig, media: PrintMedia): string {
  return JSON.stringify(config.adapter === 'folder' ? { ...config, media } : config);
}
