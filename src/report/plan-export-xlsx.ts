/** The migration spreadsheet as an XLSX workbook (exceljs): users, and the permission sets they get. */
import ExcelJS from 'exceljs';
import type { AuditSnapshot } from '../core/model.js';
import type { MigrationPlan } from '../core/plan-types.js';
import { sheetText } from './csv.js';
import { SPREADSHEET_COLUMNS, spreadsheetRows } from './plan-export-rows.js';

/** The workbook bytes. */
export async function renderPlanXlsx(plan: MigrationPlan, snapshot: AuditSnapshot | null): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'iam2sso';
  const users = book.addWorksheet('Migration');
  users.columns = SPREADSHEET_COLUMNS.map((header) => ({ header, key: header, width: header === 'Notes' ? 60 : 24 }));
  // XLSX string cells are never evaluated as formulas; they only lose raw line breaks.
  for (const row of spreadsheetRows(plan, snapshot)) users.addRow(row.map(sheetText));
  users.getRow(1).font = { bold: true };
  users.views = [{ state: 'frozen', ySplit: 1 }];
  users.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: SPREADSHEET_COLUMNS.length } };
  const sets = book.addWorksheet('Permission sets');
  sets.columns = [
    { header: 'Permission set', key: 'name', width: 34 },
    { header: 'Session duration', key: 'duration', width: 16 },
    { header: 'AWS managed policies', key: 'managed', width: 50 },
    { header: 'Customer managed policies', key: 'customer', width: 30 },
    { header: 'Inline policy (characters)', key: 'inline', width: 24 },
    { header: 'Reason', key: 'reason', width: 80 },
  ];
  for (const ps of plan.permissionSets) {
    sets.addRow({
      name: ps.name,
      duration: ps.sessionDuration,
      managed: ps.managedPolicies.map((a) => a.slice(a.lastIndexOf('/') + 1)).join(', '),
      customer: ps.customerManagedPolicies.map((c) => `${c.path}${c.name}`).join(', '),
      inline: ps.inlinePolicy ? ps.inlinePolicy.length : 0,
      reason: sheetText(ps.reason),
    });
  }
  sets.getRow(1).font = { bold: true };
  return Buffer.from(await book.xlsx.writeBuffer());
}
