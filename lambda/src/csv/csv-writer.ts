/**
 * A streaming CSV writer that follows RFC 4180: fields separated by commas, records ended by CRLF,
 * a field quoted when it holds a quote, comma, CR or LF, and quotes inside doubled. It replaces the
 * dataframe library the old function loaded only to produce this text.
 *
 * Spreadsheet formula injection: a cell that starts with `=`, `+`, `-`, `@`, TAB or CR is run as a
 * formula by Excel, LibreOffice and Google Sheets when the file is opened. Such cells get a leading
 * apostrophe (OWASP "CSV Injection"), which spreadsheets show as text and do not evaluate. Plain
 * numbers such as `-12.5` are left alone: they cannot be formulas, and prefixing them would corrupt
 * the data.
 */

/** A cell is text already formatted for the user, or null for "no value" (an empty field). */
export type CsvCell = string | null;

export interface CsvWriterOptions {
  /** Guard against formula injection; on by default, off only for exports that never meet a spreadsheet. */
  formulaGuard?: boolean;
}

const formulaTrigger = /^[=+\-@\t\r]/;
const plainNumber = /^[+-]?(?:\d+(?:[.,]\d+)?|[.,]\d+)(?:[eE][+-]?\d+)?$/;
const needsQuoting = /[",\r\n]/;

/** Whether a cell would be treated as a formula by a spreadsheet. */
export function isFormulaLike(value: string): boolean {
  return formulaTrigger.test(value) && !plainNumber.test(value);
}

export function formatCsvField(cell: CsvCell, options: CsvWriterOptions = {}): string {
  if (cell === null || cell === "") return "";
  const guarded = options.formulaGuard !== false && isFormulaLike(cell) ? `'${cell}` : cell;
  return needsQuoting.test(guarded) ? `"${guarded.replaceAll('"', '""')}"` : guarded;
}

/** One record with its CRLF terminator. */
export function formatCsvRecord(cells: readonly CsvCell[], options: CsvWriterOptions = {}): string {
  // A record of one empty field would be an empty line, which readers skip or misread: quote it.
  if (cells.length === 1 && (cells[0] === null || cells[0] === "")) return '""\r\n';
  let line = "";
  for (let index = 0; index < cells.length; index++) {
    if (index > 0) line += ",";
    line += formatCsvField(cells[index] ?? null, options);
  }
  return `${line}\r\n`;
}

/**
 * Turns a header and batches of records into CSV text chunks, one chunk per batch, so the consumer
 * (the S3 upload) receives a few large writes rather than one per row, and memory stays bounded by
 * a batch whatever the export's size.
 */
export async function* generateCsv(
  header: readonly string[],
  batches: AsyncIterable<readonly (readonly CsvCell[])[]>,
  options: CsvWriterOptions = {},
): AsyncGenerator<string> {
  yield formatCsvRecord(header, options);
  for await (const batch of batches) {
    let chunk = "";
    for (const record of batch) chunk += formatCsvRecord(record, options);
    if (chunk !== "") yield chunk;
  }
}
