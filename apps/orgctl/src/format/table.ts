/** One row of a table: a text per column. */
export type Row = readonly string[];

const GAP = '  ';
const SEGMENTER = new Intl.Segmenter();

/**
 * Columns aligned under a header and a rule. The last column is not padded,
 * so that lines carry no trailing spaces.
 */
export function renderTable(header: Row, rows: readonly Row[]): string {
  const widths = header.map((title, column) =>
    Math.max(width(title), ...rows.map((row) => width(row[column] ?? ''))),
  );
  const rule = widths.map((columnWidth) => '-'.repeat(columnWidth));
  return [header, rule, ...rows].map((row) => line(row, widths)).join('\n');
}

/** Labels and values, the values aligned: a record shown as a table. */
export function renderFields(
  fields: readonly (readonly [string, string])[],
): string {
  const labelWidth = Math.max(0, ...fields.map(([label]) => width(label)));
  return fields
    .map(([label, value]) =>
      `${pad(label, labelWidth)}${GAP}${value}`.trimEnd(),
    )
    .join('\n');
}

function line(row: Row, widths: readonly number[]): string {
  return widths
    .map((columnWidth, column) => pad(row[column] ?? '', columnWidth))
    .join(GAP)
    .trimEnd();
}

function pad(text: string, columnWidth: number): string {
  return text + ' '.repeat(Math.max(0, columnWidth - width(text)));
}

function width(text: string): number {
  return [...SEGMENTER.segment(text)].length;
}
