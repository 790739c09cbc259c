/**
 * The media a booth's photo printer can be loaded with: the ids of `production.media`, the
 * sheet layout's sizes and the printers' media names all key on these.
 */
export const printMediaIds = ['4x6', '5x7', 'a6', '2x6-strips'] as const;

export type PrintMedia = (typeof printMediaIds)[number];

export function isPrintMedia(value: string): value is PrintMedia {
  return (printMediaIds as readonly string[]).includes(value);
}

export interface MediaSize {
  /** Portrait size of the sheet the printer gets, in mm. */
  readonly widthMm: number;
  readonly heightMm: number;
  /** How the media is named to an operator, as in "… do not fit on 4x6 in media". */
  readonly label: string;
  /**
   * The printer cuts the sheet in two down the middle of its width (portrait), so each half
   * must be a strip of photos of its own.
   */
  readonly cutIntoStrips: boolean;
}

const inch = 25.4;

export const mediaSizes: Readonly<Record<PrintMedia, MediaSize>> = {
  '4x6': { widthMm: 4 * inch, heightMm: 6 * inch, label: '4x6 in', cutIntoStrips: false },
  '5x7': { widthMm: 5 * inch, heightMm: 7 * inch, label: '5x7 in', cutIntoStrips: false },
  a6: { widthMm: 105, heightMm: 148, label: 'A6 (105x148 mm)', cutIntoStrips: false },
  '2x6-strips': { widthMm: 4 * inch, heightMm: 6 * inch, label: '2x6 in strip', cutIntoStrips: true },
};
