/** RFC 4180 CSV of the inventory, ready for a spreadsheet. */
import { type InventoryRow, SHEET_COLUMNS, sheetCells } from './inventory-rows.js';

function field(value: string): string {
  // A leading =, +, - or @ would run as a formula in a spreadsheet: neutralize it.
  const safe = /^[=+\-@]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The inventory as CSV text (CRLF line ends, header first). */
export function inventoryCsv(rows: InventoryRow[]): string {
  return (
    [SHEET_COLUMNS as readonly string[], ...rows.map(sheetCells)].map((r) => r.map(field).join(',')).join('\r\n') +
    '\r\n'
  );
}
