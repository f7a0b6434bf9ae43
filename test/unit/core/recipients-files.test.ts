/**
 * Recipient lists as spreadsheets export them (test/fixtures/recipients):
 * Excel in European locales, LibreOffice, Google Sheets, broken rows.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RecipientsFileError } from '../../../functions/core/errors.js';
import {
  describeFormat,
  importRecipients,
  importSummary,
  streamRecipients,
  type CsvFormat,
  type RowOutcome,
} from '../../../functions/core/recipients.js';

const bytes = (name: string) =>
  readFileSync(new URL(`../../fixtures/recipients/${name}`, import.meta.url));

async function streamed(data: Uint8Array, size: number) {
  async function* chunks() {
    for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
  }
  const out: RowOutcome[] = [];
  let format: CsvFormat | undefined;
  for await (const o of streamRecipients(chunks(), 'x.csv', (f) => (format = f))) out.push(o);
  return { out, format };
}

describe('spreadsheet exports', () => {
  it('reads Excel (German locale, CSV UTF-8): BOM, semicolons, CRLF, every group spelling', () => {
    const { recipients, problems, format, rows } = importRecipients(
      bytes('excel-de-utf8-bom-semicolon-crlf.csv'),
    );
    expect(problems).toEqual([]);
    expect(rows).toBe(7); // the trailing row of separators is a blank row, not a recipient
    expect(describeFormat(format)).toBe('semicolon-separated, UTF-8 with BOM, CRLF line ends');
    expect(recipients.map((r) => r.group)).toEqual([
      'minister',
      'minister',
      'minister',
      'eu-institution',
      'eu-institution',
      'ngo',
      'ngo',
    ]);
    expect(recipients[0]).toMatchObject({
      email: 'poststelle@auswaertiges-amt.example.de',
      name: 'Annalena Brückner',
      organisation: 'Auswärtiges Amt',
    });
  });

  it('reads Excel (French locale, plain CSV) in Windows-1252, and says so', () => {
    const { recipients, problems, format } = importRecipients(bytes('excel-fr-windows-1252.csv'));
    expect(problems).toEqual([]);
    expect(describeFormat(format)).toBe('semicolon-separated, Windows-1252, CRLF line ends');
    expect(recipients.map((r) => r.name)).toEqual([
      'Élise Lefèvre',
      'Jean-Noël Schmit',
      'Françoise Bérard',
    ]);
    expect(recipients[0]!.organisation).toBe('Ministère de l’Europe et des Affaires étrangères');
  });

  it('reads LibreOffice tab-separated text with every value quoted', () => {
    const { recipients, problems, format } = importRecipients(bytes('libreoffice-tab.tsv'));
    expect(problems).toEqual([]);
    expect(format).toMatchObject({ delimiter: '\t', encoding: 'UTF-8', bom: false });
    expect(recipients[1]).toMatchObject({
      name: 'Radosław Sikorski-Łęcki',
      organisation: 'Ministry of Foreign Affairs, Poland',
    });
    expect(recipients.map((r) => r.group)).toEqual([
      'minister',
      'minister',
      'eu-institution',
      'eu-institution',
    ]);
  });

  it('reads a Google Sheets download and refuses mailto:, "Name <address>", country names and unknown groups, saying what was found and what is expected', () => {
    const { recipients, problems, format } = importRecipients(bytes('google-sheets.csv'));
    expect(format.delimiter).toBe(',');
    expect(recipients.map((r) => r.email)).toEqual([
      'minister@mfa.example.se',
      'press@mfa.example.ee',
    ]);
    expect(problems.map((p) => [p.line, p.field])).toEqual([
      [5, 'email'],
      [7, 'email'],
      [8, 'country'],
      [9, 'group'],
    ]);
    expect(problems[0]!.message).toBe(
      'email "mailto:info@hrhouse.example.org" is a mailto: link; expected the address alone, such as info@hrhouse.example.org',
    );
    expect(problems[1]!.message).toContain(
      'has a name with the address; expected the address alone (olena@ngo.example.ua)',
    );
    expect(problems[2]!.message).toBe('country "Georgia" must be an ISO 3166 alpha-2 code: GE');
    expect(problems[3]!.message).toBe(
      'group "astronaut" is not one of minister, eu-institution, ngo, other',
    );
  });

  it('names the line where each bad row starts, after multi-line values, with every problem of a row', () => {
    const { recipients, problems } = importRecipients(bytes('multiline-and-broken.csv'));
    // A line break inside an ignored column (notes) is no problem; inside a known one it is.
    expect(recipients.map((r) => r.email)).toEqual([
      'b@mfa.example.dk',
      'f@mfa.example.pt',
      'g@mfa.example.es',
    ]);
    expect(recipients[2]!.name).toBe('Gonzalo "Gonzo" Ruiz');
    expect(problems.map((p) => ({ line: p.line, end: p.endLine, field: p.field }))).toEqual([
      { line: 2, end: 3, field: 'organisation' },
      { line: 7, end: undefined, field: 'country' },
      { line: 8, end: undefined, field: 'email' },
      { line: 9, end: undefined, field: '' },
      { line: 14, end: undefined, field: 'email' },
    ]);
    const byLine = new Map(problems.map((p) => [p.line, p]));
    expect(byLine.get(2)!.message).toMatch(/^organisation has a line break inside the cell/);
    expect(byLine.get(7)!.message).toBe('country "Ireland" must be an ISO 3166 alpha-2 code: IE');
    expect(byLine.get(8)!.issues).toEqual([
      {
        field: 'email',
        message:
          '"not-an-address" is not an email address; expected one such as minister@mfa.example.org',
      },
      { field: 'group', message: expect.stringContaining('"astronauts" is not one of') },
    ]);
    expect(byLine.get(9)!.message).toMatch(/has 9 fields but the header has 8/);
    expect(byLine.get(14)!.message).toBe(
      'email has 65 characters before the @; at most 64 (RFC 5321)',
    );
  });

  it('gives the same outcomes streamed in chunks of any size as read whole, and the same format', async () => {
    for (const name of [
      'excel-de-utf8-bom-semicolon-crlf.csv',
      'excel-fr-windows-1252.csv',
      'libreoffice-tab.tsv',
      'google-sheets.csv',
      'multiline-and-broken.csv',
    ]) {
      const data = bytes(name);
      const whole = importRecipients(data, 'x.csv');
      for (const size of [1, 2, 3, 5, 64, 100_000]) {
        const { out, format } = await streamed(data, size);
        expect(out.flatMap((o) => ('recipient' in o ? [o.recipient] : []))).toEqual(
          whole.recipients,
        );
        expect(
          out.flatMap((o) => ('problem' in o ? [o.problem] : [])).sort((a, b) => a.line - b.line),
        ).toEqual(whole.problems);
        expect(format).toEqual(whole.format);
      }
    }
  });

  it('refuses an Excel workbook whole, saying how to export CSV', async () => {
    const xlsx = bytes('recipients.xlsx');
    expect(() => importRecipients(xlsx, 'recipients.xlsx')).toThrow(RecipientsFileError);
    expect(() => importRecipients(xlsx, 'recipients.xlsx')).toThrow(
      /recipients\.xlsx: is an Excel \(\.xlsx\) or LibreOffice \(\.ods\) workbook, not a CSV file: .*CSV UTF-8/,
    );
    await expect(streamed(xlsx, 10)).rejects.toThrow(/workbook, not a CSV file/);
  });

  it('says in one line what was read, counting each bad row once', () => {
    const { recipients, problems, format } = importRecipients(bytes('google-sheets.csv'));
    expect(importSummary(recipients.length, problems.length, format)).toBe(
      'Read 2 recipients, 4 rows skipped (comma-separated, UTF-8, CRLF line ends).',
    );
  });
});
