/**
 * The directory as CSV: the columns a directory import reads, so an export
 * edited in a spreadsheet and imported again changes exactly what was
 * edited. Cells are escaped against spreadsheet formulas as every export is.
 */
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { fieldText, type Target, TARGET_FIELDS } from '../core/directory/model.js';
import { csvCell } from './view.js';

/** A CSV download: UTF-8 with a BOM (Excel reads it as UTF-8), CRLF line ends. */
export function csvResponse(name: string, lines: string[]): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: 200,
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${name}"`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
    body: `\uFEFF${lines.join('\r\n')}\r\n`,
  };
}

export function directoryExport(targets: readonly Target[]): APIGatewayProxyStructuredResultV2 {
  const lines = [[...TARGET_FIELDS, 'targetId', 'targetVersion', 'failing'].join(',')];
  for (const t of targets)
    lines.push(
      [
        ...TARGET_FIELDS.map((f) => csvCell(fieldText(t, f))),
        t.id,
        String(t.version),
        csvCell(t.failing ? `${t.failing.reason} (${t.failing.at.slice(0, 10)})` : ''),
      ].join(','),
    );
  return csvResponse('demarche-directory.csv', lines);
}
