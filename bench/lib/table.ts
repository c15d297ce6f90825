/** A table cell: numbers are printed with thousands separators, strings as given. */
export type Cell = string | number;

function formatCell(cell: Cell): string {
  if (typeof cell === 'string') return cell;
  if (!Number.isFinite(cell)) return String(cell);
  return Number.isInteger(cell) ? cell.toLocaleString('en-US') : cell.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

/** Formats rows as an aligned plain-text table (numbers right-aligned) and returns it. */
export function formatTable(headers: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const text = rows.map((row) => headers.map((_, column) => formatCell(row[column] ?? '')));
  const widths = headers.map((header, column) => Math.max(header.length, ...text.map((row) => (row[column] ?? '').length)));
  const numeric = headers.map((_, column) => rows.every((row) => typeof row[column] === 'number' || row[column] === undefined));

  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) => {
        const width = widths[column] ?? cell.length;
        return numeric[column] === true ? cell.padStart(width) : cell.padEnd(width);
      })
      .join('  ')
      .trimEnd();

  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [line(headers), rule, ...text.map(line)].join('\n');
}

/** Prints {@link formatTable} output to stdout, preceded by `title` when given. */
export function printTable(headers: readonly string[], rows: readonly (readonly Cell[])[], title?: string): void {
  if (title !== undefined) console.log(`\n${title}`);
  console.log(formatTable(headers, rows));
}
