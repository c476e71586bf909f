/**
 * CSV for the painel's exports (central de logs, auditoria): RFC 4180 quoting, `;`-free, CRLF line
 * ends and a UTF-8 BOM so spreadsheet programs open the accents right. A cell that a spreadsheet
 * would run as a formula (`=`, `+`, `-`, `@`, tab, CR at the start) gets a leading `'`: an exported
 * value written by someone else (an operator's message, a name) must never execute when opened.
 */
export type CsvCell = string | number | boolean | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'string' ? value : String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(header: readonly string[], rows: Iterable<readonly CsvCell[]>): string {
  const lines = [header.map(csvCell).join(',')];
  for (const row of rows) lines.push(row.map(csvCell).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** A file name safe in a Content-Disposition header: `logs-2026-01-31.csv`. */
export function csvFileName(prefix: string, now: number): string {
  return `${prefix}-${new Date(now).toISOString().slice(0, 10)}.csv`;
}
