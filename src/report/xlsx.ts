/** The inventory as an Excel workbook: Users, Findings and Accounts sheets, header frozen and filtered. */
import ExcelJS from 'exceljs';
import type { AuditRun } from '../store/audit-repo.js';
import { sheetText } from './csv.js';
import { type InventoryRow, SHEET_COLUMNS, sheetCells } from './inventory-rows.js';

function sheet(
  book: ExcelJS.Workbook,
  name: string,
  header: readonly string[],
  rows: (string | number)[][],
  widths: number[],
) {
  const ws = book.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = header.map((h, i) => ({ header: h, key: `c${i}`, width: widths[i] ?? 18 }));
  ws.getRow(1).font = { bold: true };
  for (const r of rows) ws.addRow(r.map((v) => (typeof v === 'string' ? sheetText(v) : v)));
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: header.length } };
  ws.eachRow((row) => {
    row.alignment = { vertical: 'top', wrapText: true };
  });
}

/** Builds the workbook as a buffer. */
export async function inventoryXlsx(run: AuditRun, rows: InventoryRow[]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'iam2sso';
  book.created = new Date(run.snapshot.takenAt);
  sheet(
    book,
    'Users',
    SHEET_COLUMNS,
    rows.map(sheetCells),
    [22, 14, 16, 18, 11, 30, 30, 20, 8, 14, 6, 60, 30, 30, 50, 40],
  );
  sheet(
    book,
    'Findings',
    ['Severity', 'Kind', 'Account', 'User', 'Message', 'Fix', 'Id'],
    run.findings.map((f) => [f.severity, f.kind, f.accountId, f.userName ?? '(root)', f.message, f.fix, f.id]),
    [10, 24, 14, 22, 50, 60, 40],
  );
  sheet(
    book,
    'Accounts',
    ['Account', 'Name', 'Alias', 'Status', 'Users', 'Error'],
    run.snapshot.accounts.map((a) => [a.accountId, a.name, a.alias ?? '', a.status, a.users.length, a.error ?? '']),
    [14, 20, 20, 12, 8, 60],
  );
  return Buffer.from(await book.xlsx.writeBuffer());
}
