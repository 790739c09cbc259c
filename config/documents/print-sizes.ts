/**
 * Printed photo size per document, in millimetres (width × height). The full document specs
 * (head height, eye line, background, digital file rules) extend this list.
 */
export const documentPrintSizes: Readonly<Record<string, { widthMm: number; heightMm: number }>> = {
  'us-passport': { widthMm: 51, heightMm: 51 },
  'us-visa': { widthMm: 51, heightMm: 51 },
  'uk-passport': { widthMm: 35, heightMm: 45 },
  'schengen-visa': { widthMm: 35, heightMm: 45 },
  'eu-passport': { widthMm: 35, heightMm: 45 },
  'de-passport': { widthMm: 35, heightMm: 45 },
  'cn-passport': { widthMm: 33, heightMm: 48 },
  'cn-visa': { widthMm: 33, heightMm: 48 },
  'jp-passport': { widthMm: 35, heightMm: 45 },
  'ca-passport': { widthMm: 50, heightMm: 70 },
  'in-passport': { widthMm: 51, heightMm: 51 },
  'in-form': { widthMm: 35, heightMm: 45 },
  'au-passport': { widthMm: 35, heightMm: 45 },
};

export const knownDocumentIds = Object.keys(documentPrintSizes);
