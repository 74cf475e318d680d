/** Plain-text tables for the terminal: cells padded to their column, columns two spaces apart. */

/** The width of each column: its longest cell (columns counted from the longest row). */
export function columnWidths(rows: readonly (readonly string[])[]): number[] {
  const columns = Math.max(0, ...rows.map((row) => row.length));
  return Array.from({ length: columns }, (_, i) => Math.max(0, ...rows.map((row) => row[i]?.length ?? 0)));
}

/**
 * One line per row: every cell padded with spaces to `widths` (default: {@link columnWidths} of
 * `rows`), cells joined by two spaces, trailing spaces trimmed.
 */
export function alignColumns(
  rows: readonly (readonly string[])[],
  widths: readonly number[] = columnWidths(rows),
): string[] {
  return rows.map((row) =>
    row
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd(),
  );
}

/**
 * {@link alignColumns} of `header` and `rows`, with a ruler under the header: one run of `-` as
 * wide as each column.
 */
export function ruledTable(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = columnWidths([header, ...rows]);
  return alignColumns([header, widths.map((w) => '-'.repeat(w)), ...rows], widths);
}
