/**
 * RFC 4180 CSV, safe to open in a spreadsheet: every CSV iam2sso writes goes through `csvText`. A cell that
 * starts with =, +, -, @, tab or CR would run as a formula in Excel, LibreOffice or Sheets, so it gets a leading
 * apostrophe (OWASP "CSV Injection"); line breaks inside a cell become spaces so each record is one line.
 */
import { type InventoryRow, SHEET_COLUMNS, sheetCells } from './inventory-rows.js';

/** A cell's text with line breaks replaced by spaces (also what XLSX cells get). */
export function sheetText(value: string): string {
  return value.replace(/\r\n|[\r\n\u2028\u2029]/g, ' ');
}

/** One CSV field: neutralised against formulas, quoted when it holds a comma or a quote. */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  const flat = sheetText(safe);
  return /[",]/.test(flat) ? `"${flat.replace(/"/g, '""')}"` : flat;
}

/** Rows (header first) as CSV text with CRLF line ends. */
export function csvText(rows: readonly (readonly string[])[]): string {
  return `${rows.map((r) => r.map(csvField).join(',')).join('\r\n')}\r\n`;
}

/** The inventory as CSV text (CRLF line ends, header first). */
export function inventoryCsv(rows: InventoryRow[]): string {
  return csvText([SHEET_COLUMNS as readonly string[], ...rows.map(sheetCells)]);
}
