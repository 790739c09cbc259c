/** Sheet geometry in whole printer pixels: millimetres to pixels, rectangles, grids of cells. */

const inch = 25.4;

export interface Rect {
  left: number;
  top: number;
  width: number;
  height: number;
}

export const mmToPx = (mm: number, dpi: number): number => Math.round((mm / inch) * dpi);

/** Whole cells of `size` (with `gutter` between them) that fit in `space`. */
export const cellsIn = (space: number, size: number, gutter: number): number =>
  Math.max(0, Math.floor((space + gutter) / (size + gutter)));

export const spanOf = (cells: number, size: number, gutter: number): number =>
  cells * size + Math.max(0, cells - 1) * gutter;

export interface Grid {
  columns: number;
  rows: number;
}

/**
 * The grid for `copies` within a capacity: fewest empty cells first (a sheet of full rows cuts
 * cleanest), then the most square, so copies sit as an even block rather than a long line.
 */
export function evenGrid(copies: number, maxColumns: number, maxRows: number): Grid | undefined {
  let best: Grid | undefined;
  const score = (g: Grid) => [g.columns * g.rows - copies, Math.abs(g.columns - g.rows)] as const;
  for (let columns = 1; columns <= Math.min(maxColumns, copies); columns++) {
    const rows = Math.ceil(copies / columns);
    if (rows > maxRows) continue;
    const grid = { columns, rows };
    if (!best || isBetter(score(grid), score(best))) best = grid;
  }
  return best;
}

/** Compares scores in order: the first that differs decides, lower is better. */
export const isBetter = (a: readonly number[], b: readonly number[]): boolean => {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
  return false;
};
