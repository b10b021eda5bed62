// Aligned columns for the CLI's human output (--json is for machines).

/** Rows (the first is the header) as lines of space-padded columns; the last column is not padded. */
export function formatTable(rows: readonly (readonly string[])[]): string {
  const first = rows[0];
  if (first === undefined) return '';
  const widths = first.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length)));
  return rows.map((row) => `${row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd()}\n`).join('');
}
